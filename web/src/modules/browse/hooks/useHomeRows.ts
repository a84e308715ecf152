import { useQuery } from "@apollo/client/react";
import { useMemo } from "react";
import type { MovieCardFieldsFragment, RowKind } from "../../../gql/graphql";
import { HomeQuery } from "../graphql/home.query";

/**
 * The Browse page's rows, behind one hook: the API's `home(profileId)` query. Components see only
 * HomeRowView, so how the rows are fetched can change here without touching them.
 */

export type { RowKind };

export interface HomeRowItem {
  movie: MovieCardFieldsFragment;
  /** The serving id: sent back with the card's impression and every event that starts from it. */
  recommendationId: string;
  reason: string;
  score: number | null;
  /** Continue watching: the fraction already watched (the card's bar, the resume point). */
  progress?: number | null;
}

export interface HomeRowView {
  /** HomeRow.id (`<kind>` or `<kind>:<anchor>`): stable across refetches, the React key and the impression's row. */
  key: string;
  title: string;
  kind: RowKind;
  items: HomeRowItem[];
  /** Where "See all" goes, for genre rows. */
  genre?: string;
}

/** Operation names whose results depend on the viewer's events: refetched after every logged batch. */
export const HOME_ROW_QUERIES = ["Home"];

export function useHomeRows(profileId: string) {
  const { data, previousData, loading, error, refetch } = useQuery(HomeQuery, { variables: { profileId }, fetchPolicy: "cache-and-network" });
  const home = (data ?? previousData)?.home;

  const rows = useMemo<HomeRowView[]>(
    () =>
      (home ?? [])
        .filter((row) => row.items.length > 0)
        .map((row) => ({
          key: row.id,
          title: row.title,
          kind: row.kind,
          items: row.items.map((item) => ({ movie: item.movie, recommendationId: item.recommendationId, reason: item.reason, score: item.score, progress: item.progress ?? null })),
          genre: row.kind === "GENRE" ? genreOfRow(row.title, row.items) : undefined,
        })),
    [home],
  );

  return {
    rows,
    hero: pickHero(rows),
    loading: !home && loading,
    error,
    refetch: () => refetch(),
  };
}

/** The hero and the row it was taken from (its impression counts as that row's). */
export interface HeroPick {
  rowKey: string;
  item: HomeRowItem;
}

/** The hero is the first Top pick; a viewer with no picks yet gets the first title of any row. */
export function pickHero(rows: readonly HomeRowView[]): HeroPick | null {
  const row = rows.find((r) => r.kind === "TOP_PICKS" && r.items[0]) ?? rows.find((r) => r.kind !== "CONTINUE_WATCHING" && r.items[0]) ?? rows.find((r) => r.items[0]);
  const item = row?.items[0];
  return row && item ? { rowKey: row.key, item } : null;
}

/** A genre row's title names its genre ("Comedy", "Comedy for you"); find which of its titles' genres it is. */
function genreOfRow(title: string, items: readonly { movie: MovieCardFieldsFragment }[]): string | undefined {
  const candidates = new Set(items.flatMap((item) => item.movie.genres));
  let best: string | undefined;
  for (const genre of candidates) if (title.includes(genre) && (!best || genre.length > best.length)) best = genre;
  return best;
}
