import type { SparseRow } from "../engine/matrix/csr-matrix";
import type { ServingModel } from "../models/model-server";
import type { CatalogCache } from "./catalog-cache";
import type { RowSettings } from "./row-settings";
import type { HistoryEntry } from "./viewer-history.repository";

/** What one request knows about its viewer (query hydration), built from one repository read. */
export interface ViewerContext {
  readonly profileId: string;
  readonly entries: readonly HistoryEntry[];
  /** The viewer's scores over the serving model's title indices (fold-in input). */
  readonly history: SparseRow;
  /** Positive history present: the engine can personalise. */
  readonly personal: boolean;
  /** Movie ids never to recommend (finished, disliked). */
  readonly blocked: ReadonlySet<number>;
  readonly closedEarly: ReadonlySet<number>;
  /** Disliked titles, most recent first. */
  readonly disliked: readonly number[];
  /** Summed positive score per genre bit. */
  readonly genreProfile: Float64Array;
  /** Titles shown often without an event on them (impression discounting): they sink in the rows. */
  readonly discounted: ReadonlySet<number>;
  /** The history read's watermark (ViewerHistory.watermark); absent for contexts built without one (no caching). */
  readonly watermark?: string;
}

/** Derives everything the stages need from the viewer's history rows. */
export function buildViewerContext(
  profileId: string,
  entries: readonly HistoryEntry[],
  model: ServingModel | null,
  catalog: CatalogCache,
  settings: RowSettings,
  discounted: readonly number[] = [],
): ViewerContext {
  const blocked = new Set<number>();
  const closedEarly = new Set<number>();
  const genreProfile = new Float64Array(32);
  for (const e of entries) {
    if (e.disliked || (settings.excludeWatched && e.watchedFull)) blocked.add(e.movieId);
    if (e.closes > 0 && !e.watchedFull && (e.maxProgress ?? 0) < settings.closedEarlyBelow) closedEarly.add(e.movieId);
    const position = catalog.position(e.movieId);
    if (e.score > 0 && !e.disliked && position >= 0) {
      const mask = catalog.genreMask(position);
      for (let bit = 0; bit < 32; bit++) if ((mask >>> bit) & 1) genreProfile[bit] += e.score;
    }
  }
  const disliked = entries
    .filter((e) => e.disliked)
    .sort((a, b) => b.lastEventAt - a.lastEventAt)
    .map((e) => e.movieId);

  const pairs: [number, number, number][] = [];
  if (model) {
    for (const e of entries) {
      const index = model.indexOf(e.movieId);
      // A disliked title is a negative score, never a positive one. Times in epoch seconds, as
      // the training matrix's (models with a recency half-life weigh recent titles more).
      if (index >= 0 && e.score !== 0) pairs.push([index, e.disliked ? -Math.abs(e.score) : e.score, e.lastEventAt / 1000]);
    }
    pairs.sort((a, b) => a[0] - b[0]);
  }
  const history: SparseRow = { indices: Int32Array.from(pairs, (p) => p[0]), data: Float32Array.from(pairs, (p) => p[1]), times: Float64Array.from(pairs, (p) => p[2]) };
  const personal = pairs.some((p) => p[1] > 0);
  return { profileId, entries, history, personal, blocked, closedEarly, disliked, genreProfile, discounted: new Set(discounted) };
}
