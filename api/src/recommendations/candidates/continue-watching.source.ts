import type { PageContext } from "../home-request";
import type { RowDraft } from "../post-selection/home-page";
import { RowKind } from "../row-kind";
import type { Candidate } from "./candidate";

/** A title counts as finished (not to be resumed) from this fraction on. */
const FINISHED_FROM = 0.9;

/** "Continue watching": titles started and not finished, most recent first, each with its resume point. */
export function continueWatchingRow(ctx: PageContext): RowDraft {
  const { catalog, viewer, settings, filter } = ctx;
  const predicate = catalog.predicate(filter);
  const candidates: Candidate[] = viewer.entries
    .filter((e) => !e.watchedFull && !e.disliked && (e.plays > 0 || (e.maxProgress ?? 0) > 0) && (e.maxProgress ?? 0) < FINISHED_FROM)
    .filter((e) => catalog.movie(e.movieId) && (!predicate || predicate(e.movieId)))
    .sort((a, b) => b.lastEventAt - a.lastEventAt)
    .slice(0, settings.rowSize)
    .map((e) => ({ movieId: e.movieId, score: e.maxProgress ?? 0, index: -1, progress: e.maxProgress ?? 0 }));
  return {
    title: "Continue watching",
    kind: RowKind.CONTINUE_WATCHING,
    candidates,
    reason: (c) => (c.progress ? `Resume at ${Math.round(c.progress * 100)}%` : "You started this"),
    repeats: true,
  };
}
