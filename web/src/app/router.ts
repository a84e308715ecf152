import { useSyncExternalStore } from "react";

/**
 * Hash routes (#/browse, #/genre/Drama, #/search?q=alien, #/my-list, #/profiles): the API serves the
 * built client as static files, so hash routing needs no server-side fallback.
 */
export type Route =
  | { name: "profiles" }
  | { name: "browse" }
  | { name: "genre"; genre: string }
  | { name: "search"; query: string }
  | { name: "my-list" }
  /** A profile was just created: pick favourites (cold start). */
  | { name: "welcome" }
  /** Operators' page (needs the admin key, not a profile). */
  | { name: "admin" };

export function parseRoute(hash: string): Route {
  const [path = "", queryString = ""] = hash.replace(/^#/, "").split("?");
  const parts = path.split("/").filter(Boolean);
  switch (parts[0]) {
    case "profiles":
      return { name: "profiles" };
    case "genre":
      return parts[1] ? { name: "genre", genre: decodeURIComponent(parts[1]) } : { name: "browse" };
    case "search":
      return { name: "search", query: new URLSearchParams(queryString).get("q") ?? "" };
    case "my-list":
      return { name: "my-list" };
    case "welcome":
      return { name: "welcome" };
    case "admin":
      return { name: "admin" };
    default:
      return { name: "browse" };
  }
}

export function routeHref(route: Route): string {
  switch (route.name) {
    case "profiles":
      return "#/profiles";
    case "browse":
      return "#/browse";
    case "genre":
      return `#/genre/${encodeURIComponent(route.genre)}`;
    case "search":
      return route.query ? `#/search?q=${encodeURIComponent(route.query)}` : "#/search";
    case "my-list":
      return "#/my-list";
    case "welcome":
      return "#/welcome";
    case "admin":
      return "#/admin";
  }
}

/** Search rewrites the URL on every keystroke; replacing keeps Back meaningful. */
export function navigate(route: Route, options: { replace?: boolean } = {}): void {
  const href = routeHref(route);
  if (options.replace) {
    history.replaceState(null, "", href);
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  } else {
    window.location.hash = href.slice(1);
  }
}

function subscribe(callback: () => void) {
  window.addEventListener("hashchange", callback);
  return () => window.removeEventListener("hashchange", callback);
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}
