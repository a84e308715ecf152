import type { CsrMatrix } from "./csr-matrix";
import type { IdIndex } from "./id-index";
import type { ItemFeatures } from "./item-features";

/**
 * The engine's training input: viewers x titles scores with the id dictionaries.
 * `scores.data` holds aggregated event scores (see aggregation in the foundation's
 * interaction_scores table); a negative score is a dislike and is never read as a positive.
 * `lastEventAt` (optional) is parallel to `scores.data`: Unix seconds of the pair's latest event,
 * used by time-decayed models (Trending).
 * `itemFeatures` (optional) describes titles by content (genres); the content model needs it and
 * may know titles that have no column in `scores` yet.
 */
export interface InteractionMatrix {
  readonly users: IdIndex;
  readonly items: IdIndex;
  readonly scores: CsrMatrix;
  readonly lastEventAt?: Float64Array;
  readonly itemFeatures?: ItemFeatures;
}
