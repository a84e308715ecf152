import type { Candidate } from "../candidates/candidate";
import type { ScoringContext } from "../home-request";
import type { RowSettings } from "../row-settings";

/**
 * The scoring chain over the model's candidates, adjusted as a streaming service expects:
 * scores normalised over the first rows' worth of candidates (so the penalties below mean the
 * same for every model and however deep the pool is), titles closed early drop, and the
 * neighbours of disliked titles drop.
 */
export function scoreModelCandidates(pool: Candidate[], ctx: ScoringContext, rowSize: number): void {
  const { model, viewer, settings } = ctx;
  normalise(pool, rowSize * 2 + 10);
  for (const c of pool) if (viewer.closedEarly.has(c.movieId)) c.score *= settings.closedEarlyFactor;

  if (viewer.disliked.length > 0) {
    const { itemKnn } = model.bundle;
    const penalty = new Map<number, number>();
    for (const movieId of viewer.disliked.slice(0, 5)) {
      const index = model.indexOf(movieId);
      if (index < 0) continue;
      const near = itemKnn.similar(index, 100);
      const top = near.scores[0] || 1;
      for (let i = 0; i < near.items.length; i++) {
        const id = Number(itemKnn.itemIds[near.items[i]]);
        penalty.set(id, Math.max(penalty.get(id) ?? 0, near.scores[i] / top));
      }
    }
    for (const c of pool) c.score -= settings.dislikePenalty * (penalty.get(c.movieId) ?? 0);
  }
}

/** Never-watched titles enter at a share of their genre similarity (they have no model score). */
export function scoreColdCandidates(cold: Candidate[], settings: RowSettings): void {
  for (const c of cold) c.score *= settings.coldTitleWeight;
}

/**
 * Rescales scores so the best is 1 and the `window`-th is 0.05, whatever the model's scale, so
 * that penalties mean the same for every model. Deeper candidates fall below 0.05, in order.
 */
function normalise(pool: Candidate[], window: number): void {
  if (pool.length === 0) return;
  let max = -Infinity;
  let min = Infinity;
  for (let i = 0; i < Math.min(window, pool.length); i++) {
    max = Math.max(max, pool[i].score);
    min = Math.min(min, pool[i].score);
  }
  const span = max - min || 1;
  for (const c of pool) c.score = 0.05 + 0.95 * ((c.score - min) / span);
}
