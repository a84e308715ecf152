import { sinkDiscounted } from "../filters/discount.filter";
import type { Eligible, Gate, ModelFilter } from "../filters/eligibility";
import { eligibleNow, type HomeRequest, type ScoringContext } from "../home-request";
import type { RowDraft } from "../post-selection/home-page";
import { personalReason } from "../post-selection/reasons";
import { RowKind } from "../row-kind";
import { scoreColdCandidates, scoreModelCandidates } from "../scorers/model-score.scorer";
import { exploreRow } from "../selection/exploration";
import { take } from "../selection/row-selection";
import { fromScored, type Candidate } from "./candidate";
import { coldCandidates } from "./cold-titles.source";

/** How deep the per-request candidate pool goes (Top picks and genre rows draw from it). */
export const POOL_DEPTH = 300;

/**
 * The personal candidate pool behind Top picks: `depth` titles from the Top picks model (the
 * folded-in history), through the scoring chain, plus the best never-watched titles by genre,
 * best first, the titles the viewer keeps passing over (impression discounting) last. `rowSize` sets the normalisation window and how many cold titles may enter.
 */
export function personalPool(
  ctx: ScoringContext,
  filter: ModelFilter,
  eligible: Eligible,
  depth: number,
  rowSize: number,
  pool: Candidate[] = scoredModelPool(ctx, filter, depth, rowSize),
): Candidate[] {
  const { viewer, catalog, settings } = ctx;
  const taken = new Set(pool.map((c) => c.movieId));
  const cold = coldCandidates(viewer, catalog, Math.max(2, Math.floor(rowSize / 5)), (id) => eligible(id) && !taken.has(id));
  scoreColdCandidates(cold, settings);
  return sinkDiscounted([...pool, ...cold].sort((a, b) => b.score - a.score), viewer);
}

/**
 * The model's part of the pool: `depth` titles of the Top picks model for the folded-in history,
 * through the scoring chain. A function of the viewer's history, the model, the catalog, the
 * filter and the settings only: what ScoredPoolCache keeps between a viewer's homes.
 */
export function scoredModelPool(ctx: ScoringContext, filter: ModelFilter, depth: number, rowSize: number): Candidate[] {
  const { model, viewer, catalog } = ctx;
  const pool = fromScored(model, catalog, model.bundle.topPicks.recommend(viewer.history, depth, { filter }));
  scoreModelCandidates(pool, ctx, rowSize);
  return pool;
}

/** The best `n` personal titles within `eligible` (a pool of its own, just deep enough). */
export function personalCandidates(ctx: ScoringContext, n: number, gate: Gate, eligible: Eligible): Candidate[] {
  return take(personalPool(ctx, gate.filter(eligible), eligible, n * 2 + 10, n), n, eligible);
}

/** Top picks from a pool: the best `n` eligible, a share of the slots explored (RowSettings.explorationRate). */
export function topPicks(req: HomeRequest, pool: readonly Candidate[], eligible: Eligible, n: number): Candidate[] {
  const { settings } = req;
  const exploration = { rate: settings.explorationRate, samples: settings.explorationSamples, priorImpressions: settings.explorationPriorImpressions, candidates: settings.explorationCandidates };
  return exploration.rate > 0 ? exploreRow(req, pool, eligible, n, exploration, req.rates, req.random) : take(pool, n, eligible);
}

/** "Top picks for you", from the request's pool. */
export function topPicksRow(req: HomeRequest, pool: readonly Candidate[]): RowDraft {
  return {
    title: "Top picks for you",
    kind: RowKind.TOP_PICKS,
    candidates: topPicks(req, pool, eligibleNow(req), req.settings.rowSize),
    reason: (c) => personalReason(req, c, req.reasons),
  };
}
