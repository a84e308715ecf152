import { useCallback, useSyncExternalStore } from "react";
import type { MovieCardFieldsFragment } from "../../../gql/graphql";

/**
 * My List lives in the browser, per profile: the API has no list field yet, only the ADD_TO_LIST
 * event (which the caller logs so the engine learns from it). Snapshots of the card fields let the
 * page render without a round trip per title.
 */
const listeners = new Set<() => void>();
const cache = new Map<string, { raw: string | null; items: MovieCardFieldsFragment[] }>();

function key(profileId: string) {
  return `marquee.myList.${profileId}`;
}

function read(profileId: string): MovieCardFieldsFragment[] {
  const raw = localStorage.getItem(key(profileId));
  const cached = cache.get(profileId);
  if (cached && cached.raw === raw) return cached.items;
  let items: MovieCardFieldsFragment[] = [];
  try {
    const parsed: unknown = JSON.parse(raw ?? "[]");
    if (Array.isArray(parsed)) items = parsed as MovieCardFieldsFragment[];
  } catch {
    items = [];
  }
  cache.set(profileId, { raw, items });
  return items;
}

function write(profileId: string, items: MovieCardFieldsFragment[]) {
  localStorage.setItem(key(profileId), JSON.stringify(items));
  listeners.forEach((listener) => listener());
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => event.key?.startsWith("marquee.myList.") && listener();
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", onStorage);
  };
}

export function useMyList(profileId: string | null) {
  const items = useSyncExternalStore(subscribe, () => (profileId ? read(profileId) : EMPTY));
  const has = useCallback((movieId: string) => items.some((m) => m.id === movieId), [items]);
  const add = useCallback(
    (movie: MovieCardFieldsFragment) => {
      if (!profileId || read(profileId).some((m) => m.id === movie.id)) return;
      write(profileId, [movie, ...read(profileId)]);
    },
    [profileId],
  );
  const remove = useCallback(
    (movieId: string) => {
      if (!profileId) return;
      write(
        profileId,
        read(profileId).filter((m) => m.id !== movieId),
      );
    },
    [profileId],
  );
  return { items, has, add, remove };
}

const EMPTY: MovieCardFieldsFragment[] = [];
