import type { Recommender, ScoredItems } from "../../engine/algorithms/recommender";
import type { SparseRow } from "../../engine/matrix/csr-matrix";
import type { ServingModel } from "../../models/model-server";
import type { CatalogCache } from "../catalog-cache";
import type { ModelFilter } from "../filters/eligibility";

/** A title a candidate source proposes, with its score in that source. */
export interface Candidate {
  movieId: number;
  score: number;
  /** Model title index, or -1 for a title placed by genre (cold start). */
  index: number;
  /** Continue watching: the resume point (0..1). */
  progress?: number;
  /** An explored slot: the probability that the policy put this title there (1 when absent). */
  propensity?: number;
}

/** A model's ranking as candidates, leaving out titles no longer in the catalog. */
export function fromScored(model: ServingModel, catalog: CatalogCache, scored: ScoredItems): Candidate[] {
  const out: Candidate[] = [];
  for (let i = 0; i < scored.items.length; i++) {
    const movieId = model.movieIds[scored.items[i]];
    if (catalog.movie(movieId)) out.push({ movieId, score: scored.scores[i], index: scored.items[i] });
  }
  return out;
}

const NO_HISTORY: SparseRow = { indices: new Int32Array(0), data: new Float32Array(0) };

/** A non-personal ranking (trending, popular), in the model's order. */
export function staticCandidates(ranking: Recommender, n: number, filter: ModelFilter, model: ServingModel, catalog: CatalogCache): Candidate[] {
  return fromScored(model, catalog, ranking.recommend(NO_HISTORY, n, { filter }));
}
