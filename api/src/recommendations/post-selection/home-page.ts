import type { CatalogCache } from "../catalog-cache";
import type { Candidate } from "../candidates/candidate";
import type { Gate } from "../filters/eligibility";
import { HomeRow } from "../home-row.type";
import type { RecommendedMovie } from "../recommended-movie.type";
import type { RowKind } from "../row-kind";

/** A row as its stages leave it: the selected candidates, and how to say why each is there. */
export interface RowDraft {
  readonly title: string;
  readonly kind: RowKind;
  readonly candidates: readonly Candidate[];
  /** Post-selection: the reason shown for the candidate at `position`. */
  reason(candidate: Candidate, position: number): string;
  /** Continue watching may repeat titles of other rows; every other row closes its titles for the rows after it. */
  readonly repeats?: boolean;
}

/** A candidate as the API returns it; a score that is not a number is served as 0. */
export function recommendedMovie(catalog: CatalogCache, c: Candidate, reason: string): RecommendedMovie {
  const item: RecommendedMovie = { movie: catalog.movie(c.movieId)!, score: Number.isFinite(c.score) ? c.score : 0, reason };
  if (c.progress !== undefined) item.progress = c.progress;
  return item;
}

/**
 * Post-selection for a page: rows in the order they are added, reasons written for the titles
 * selected, and no title in two rows (except Continue watching): each row's titles are closed,
 * in the Gate too, for the rows after it.
 */
export class HomePage {
  readonly rows: HomeRow[] = [];
  /** Titles shown in a row of this page so far. */
  readonly seen = new Set<number>();

  constructor(
    private readonly catalog: CatalogCache,
    private readonly gate: Gate | null,
  ) {}

  add(draft: RowDraft): void {
    const { candidates } = draft;
    const items: RecommendedMovie[] = new Array(candidates.length);
    for (let i = 0; i < candidates.length; i++) items[i] = recommendedMovie(this.catalog, candidates[i], draft.reason(candidates[i], i));
    this.addItems(draft.title, draft.kind, items, !draft.repeats);
  }

  /** A row whose items are already built (the SQL fallback's, before any model exists). */
  addItems(title: string, kind: RowKind, items: RecommendedMovie[], dedupe = true): void {
    if (items.length === 0) return;
    if (dedupe) {
      for (const item of items) {
        this.seen.add(item.movie.id);
        this.gate?.use(item.movie.id);
      }
    }
    this.rows.push(Object.assign(new HomeRow(), { title, kind, items }));
  }
}
