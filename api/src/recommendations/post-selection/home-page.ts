import type { CatalogCache } from "../catalog-cache";
import type { Candidate } from "../candidates/candidate";
import type { Gate } from "../filters/eligibility";
import { HomeRow } from "../home-row.type";
import type { RankedMovie } from "../recommendation.service";
import { RecommendedMovie } from "../recommended-movie.type";
import type { RowKind } from "../row-kind";
import type { ServedResponse } from "../serving-ids";

/** A row as its stages leave it: the selected candidates, and how to say why each is there. */
export interface RowDraft {
  readonly title: string;
  readonly kind: RowKind;
  /** What the row is about, when there may be several of its kind (the anchor title's id, the genre): part of the row's id. */
  readonly anchor?: string | number;
  readonly candidates: readonly Candidate[];
  /** Post-selection: the reason shown for the candidate at `position`. */
  reason(candidate: Candidate, position: number): string;
  /** Continue watching may repeat titles of other rows; every other row closes its titles for the rows after it. */
  readonly repeats?: boolean;
}

/**
 * A title as the API returns it, stamped with where it was served (its recommendationId is
 * derived from that when asked for). A score that is not a number is served as 0.
 */
export function servedItem(
  ranked: RankedMovie & { progress?: number },
  response: ServedResponse,
  rowKind: RowKind,
  rowPosition: number,
  itemPosition: number,
  propensity: number | undefined = 1,
): RecommendedMovie {
  const { movie } = ranked;
  const item = new RecommendedMovie(movie, Number.isFinite(ranked.score) ? ranked.score : 0, ranked.reason, response, {
    movieId: movie.id,
    rowKind,
    rowPosition,
    itemPosition,
    propensity: propensity ?? 1,
  });
  if (ranked.progress !== undefined) item.progress = ranked.progress;
  return item;
}

/** A plain list (Top picks, More like this): its candidates served as one row. */
export function servedList(catalog: CatalogCache, candidates: readonly Candidate[], reason: (c: Candidate) => string, response: ServedResponse, rowKind: RowKind): RecommendedMovie[] {
  return candidates.map((c, i) => servedItem({ movie: catalog.movie(c.movieId)!, score: c.score, reason: reason(c) }, response, rowKind, 0, i, c.propensity));
}

/**
 * Post-selection for a page: rows in the order they are added, reasons written for the titles
 * selected, every title stamped with its serving slot, and no title in two rows (except
 * Continue watching): each row's titles are closed, in the Gate too, for the rows after it.
 */
export class HomePage {
  readonly rows: HomeRow[] = [];
  /** Titles shown in a row of this page so far. */
  readonly seen = new Set<number>();

  constructor(
    private readonly catalog: CatalogCache,
    private readonly gate: Gate | null,
    readonly response: ServedResponse,
  ) {}

  add(draft: RowDraft): void {
    const { candidates } = draft;
    this.addRanked(
      draft,
      candidates.map((c, i) => ({ movie: this.catalog.movie(c.movieId)!, score: c.score, reason: draft.reason(c, i), progress: c.progress, propensity: c.propensity })),
    );
  }

  /** A row whose titles are ranked and explained already (the SQL fallback's, before any model exists). */
  addRanked(row: Pick<RowDraft, "title" | "kind" | "anchor" | "repeats">, ranked: readonly (RankedMovie & { progress?: number; propensity?: number })[]): void {
    if (ranked.length === 0) return;
    const rowPosition = this.rows.length;
    const items = ranked.map((r, i) => servedItem(r, this.response, row.kind, rowPosition, i, r.propensity));
    if (!row.repeats) {
      for (const item of items) {
        this.seen.add(item.movie.id);
        this.gate?.use(item.movie.id);
      }
    }
    const id = row.anchor === undefined ? row.kind : `${row.kind}:${row.anchor}`;
    this.rows.push(Object.assign(new HomeRow(), { id, title: row.title, kind: row.kind, items }));
  }
}
