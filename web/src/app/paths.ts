/**
 * The client's paths (React Router routes them; the API answers each with index.html, so any of
 * them can be shared and reloaded). Build links with these, never by hand.
 */
export const paths = {
  home: "/",
  title: (id: string) => `/title/${encodeURIComponent(id)}`,
  genre: (name: string) => `/genre/${encodeURIComponent(name)}`,
  search: (query: string) => (query ? `/search?${new URLSearchParams({ q: query })}` : "/search"),
  myList: "/my-list",
  profiles: "/profiles",
  /** A profile was just created: pick favourites (cold start). */
  welcome: "/welcome",
  /** Operators' page (needs the admin key, not a profile). */
  admin: "/admin",
} as const;

/**
 * Where an old hash link (`#/genre/Drama`, `#/search?q=alien`, `#/browse`: the client's URLs
 * before it had real paths) now lives; null for any other hash, such as the skip link's `#main`.
 */
export function pathOfLegacyHash(hash: string): string | null {
  if (!hash.startsWith("#/")) return null;
  const [path = "", query = ""] = hash.slice(1).split("?");
  const [first = "", ...rest] = path.split("/").filter(Boolean);
  switch (first) {
    case "genre":
      return rest[0] ? paths.genre(safeDecode(rest[0])) : paths.home;
    case "search":
      return paths.search(new URLSearchParams(query).get("q") ?? "");
    case "my-list":
      return paths.myList;
    case "profiles":
      return paths.profiles;
    case "welcome":
      return paths.welcome;
    case "admin":
      return paths.admin;
    default:
      return paths.home;
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
