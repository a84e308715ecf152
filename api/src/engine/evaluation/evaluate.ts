import { rowWithTimes } from "../matrix/csr-matrix";
import type { AlgorithmSpec, Recommender } from "../algorithms/recommender";
import { blendRankings, type HybridModel } from "../algorithms/hybrid";
import type { ScoredItems } from "../algorithms/recommender";
import { ndcgCurve, rankingMetrics, type MetricReport, type RankedLists } from "./metrics";
import type { RankingSplit } from "./split";
import { ParameterError } from "../algorithms/common";

/**
 * Scores any Recommender on a split: each evaluated viewer's train row is its history (the
 * model folds it in like any live viewer), its titles are excluded, and only train titles are
 * eligible. Depends on nothing but the Recommender interface.
 */
export interface EvaluationResult {
  readonly report: MetricReport;
  /** Mean NDCG@K for K = 1..curve.length. */
  readonly curve: Float64Array;
  readonly lists: RankedLists;
}

export interface EvaluateOptions {
  /** List depth per viewer (>= 20 for the metrics; 100 for --recs-out). Default 50. */
  readonly depth?: number;
  /** Only these viewers (a seeded sample during tuning); default every viewer with test rows. */
  readonly users?: Int32Array;
  readonly onProgress?: (fraction: number) => void;
}

export function evaluatedUsers(split: RankingSplit): Int32Array {
  const { test } = split.truth;
  const out: number[] = [];
  for (let u = 0; u < test.nRows; u++) if (test.indptr[u + 1] > test.indptr[u]) out.push(u);
  return Int32Array.from(out);
}

export function rankForSplit(model: Recommender, split: RankingSplit, options: EvaluateOptions = {}): RankedLists {
  const depth = options.depth ?? 50;
  const nTrain = split.train.items.size;
  const ids = split.train.items.toArray();
  for (let i = 0; i < nTrain; i++) {
    if (model.itemIds[i] !== ids[i]) throw new Error(`${model.algorithm}: model title ${i} is "${model.itemIds[i]}", split title is "${ids[i]}"; fit the model on this split`);
  }
  // Models that know more titles than train (content) may only rank train titles.
  const filter = model.itemIds.length > nTrain ? (i: number) => i < nTrain : undefined;
  const users = options.users ?? evaluatedUsers(split);
  const nUsers = split.truth.test.nRows;
  const indptr = new Int32Array(nUsers + 1);
  const chunks: Int32Array[] = new Array(nUsers);
  for (let t = 0; t < users.length; t++) {
    const u = users[t];
    chunks[u] = model.recommend(rowWithTimes(split.train.scores, split.train.lastEventAt, u), depth, { filter }).items;
    if (options.onProgress && (t & 127) === 127) options.onProgress((t + 1) / users.length);
  }
  for (let u = 0; u < nUsers; u++) indptr[u + 1] = indptr[u] + (chunks[u]?.length ?? 0);
  const items = new Int32Array(indptr[nUsers]);
  for (let u = 0; u < nUsers; u++) if (chunks[u]) items.set(chunks[u], indptr[u]);
  options.onProgress?.(1);
  return { indptr, items };
}

export function evaluate(model: Recommender, split: RankingSplit, options: EvaluateOptions = {}): EvaluationResult {
  const lists = rankForSplit(model, split, options);
  const truth = options.users ? restrictTruth(split, options.users) : split.truth;
  return { report: rankingMetrics(truth, lists), curve: ndcgCurve(truth, lists, Math.min(50, options.depth ?? 50)), lists };
}

/** The truth with test rows kept only for `users` (so metrics average over the sample). */
function restrictTruth(split: RankingSplit, users: Int32Array): RankingSplit["truth"] {
  const { test } = split.truth;
  const keep = new Uint8Array(test.nRows);
  for (const u of users) keep[u] = 1;
  const indptr = new Int32Array(test.nRows + 1);
  const indices: number[] = [];
  for (let u = 0; u < test.nRows; u++) {
    if (keep[u]) for (let p = test.indptr[u]; p < test.indptr[u + 1]; p++) indices.push(test.indices[p]);
    indptr[u + 1] = indices.length;
  }
  return { ...split.truth, test: { nRows: test.nRows, nCols: test.nCols, indptr, indices: Int32Array.from(indices), data: new Float32Array(indices.length).fill(1) } };
}

/** Mulberry32: a tiny seeded generator, enough for sampling configurations and viewers. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Up to `max` evaluated viewers, a seeded sample when there are more (tuning on big splits). */
export function sampleUsers(split: RankingSplit, max: number, seed: number): Int32Array {
  const all = evaluatedUsers(split);
  if (all.length <= max) return all;
  const rand = seededRandom(seed);
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = all[i];
    all[i] = all[j];
    all[j] = t;
  }
  return all.subarray(0, max).slice().sort();
}

/** Every combination of the spec's grid over its defaults; a seeded random subset above `maxTrials`. */
export function searchSpace(spec: AlgorithmSpec, maxTrials: number, seed: number, extraGrid: Record<string, readonly unknown[]> = {}): Record<string, unknown>[] {
  let configs: Record<string, unknown>[] = [{}];
  const grid: Record<string, readonly unknown[] | undefined> = { ...spec.grid };
  for (const [key, values] of Object.entries(extraGrid)) if (key in spec.defaults && !(key in spec.grid)) grid[key] = values;
  for (const [key, values] of Object.entries(grid)) {
    if (!values || values.length === 0) continue;
    const next: Record<string, unknown>[] = [];
    for (const c of configs) for (const v of values) next.push({ ...c, [key]: v });
    configs = next;
  }
  if (configs.length <= maxTrials) return configs;
  const rand = seededRandom(seed);
  const order = configs.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.slice(0, maxTrials).sort((a, b) => a - b).map((i) => configs[i]);
}

export interface Trial {
  readonly params: Record<string, unknown>;
  readonly ndcg10: number;
  readonly fitSeconds: number;
  /** grid: the spec's grid; edge: a grid parameter extended past the grid's end; refine: one dimension of the refinement. */
  readonly stage?: "grid" | "edge" | "refine";
}

export interface TuneResult {
  readonly params: Record<string, unknown>;
  readonly ndcg10: number;
  readonly model: Recommender;
  readonly trials: readonly Trial[];
}

export interface TuneOptions {
  readonly maxTrials?: number;
  readonly seed?: number;
  readonly users?: Int32Array;
  /** Extra dimensions for specs that have the parameter but do not search it (e.g. confidence on weighted data). */
  readonly extraGrid?: Record<string, readonly unknown[]>;
  /** Extra refinement dimensions (after the spec's own `refine`), for parameters the spec has. */
  readonly extraRefine?: Record<string, readonly unknown[]>;
  /**
   * performance.now() after which no refinement or edge trial starts (the grid always runs), or
   * a function giving it once the grid is done. Default: no limit.
   */
  readonly deadline?: number | (() => number);
  /** Times a grid parameter may be extended past each end of its grid (default 3). */
  readonly maxExtensions?: number;
  readonly onTrial?: (done: number, total: number, trial: Trial) => void;
  readonly onFitProgress?: (phase: string, fraction: number) => void;
}

/** A stable key for a validated parameter set (so no configuration is fitted twice). */
function paramsKey(params: Record<string, unknown>): string {
  return JSON.stringify(Object.keys(params).sort().map((k) => [k, params[k]]));
}

/**
 * The value one step past the end of a numeric grid, continuing its last ratio (or, for a grid
 * that starts at 0, nothing below it). Integers stay integers and always move.
 */
export function beyondEdge(values: readonly number[], up: boolean): number | undefined {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length < 2) return undefined;
  const integral = sorted.every((v) => Number.isInteger(v));
  const [a, b] = up ? [sorted[sorted.length - 2], sorted[sorted.length - 1]] : [sorted[1], sorted[0]];
  if (!(a > 0) || !(b > 0)) return undefined;
  let next = b * (b / a);
  // An integral grid (k, factors) stays integral above 1; below 1 the value is left as it is and
  // the spec's validation says whether the parameter may take it (a regularization may, k not).
  if (integral && next >= 1) next = up ? Math.max(b + 1, Math.round(next)) : Math.min(b - 1, Math.round(next));
  return next > 0 ? next : undefined;
}

/**
 * Search on a validation split, selected by NDCG@10: the grid (or a seeded random subset of it
 * above `maxTrials`), then, while the deadline allows, coordinate passes around the best: each
 * numeric grid parameter whose best value is at an end of its grid is extended past it (Rendle
 * et al. 2022: a grid whose best sits at its edge has not found the optimum), and each
 * refinement dimension is tried with the other parameters at their best.
 */
export async function tune(spec: AlgorithmSpec, val: RankingSplit, options: TuneOptions = {}): Promise<TuneResult> {
  const seed = options.seed ?? 42;
  const space = searchSpace(spec, options.maxTrials ?? 24, seed, options.extraGrid);
  const maxExtensions = options.maxExtensions ?? 3;
  let best: TuneResult | undefined;
  const trials: Trial[] = [];
  const seen = new Set<string>();
  let planned = space.length;

  /** Fits and scores one configuration; true when it became the best. */
  const attempt = async (candidate: Record<string, unknown>, stage: Trial["stage"]): Promise<boolean> => {
    let params: Record<string, unknown>;
    try {
      params = spec.validate(candidate);
    } catch (error) {
      // An extension past what the algorithm accepts (e.g. factors above its maximum) ends there.
      if (stage !== "grid" && error instanceof ParameterError) return false;
      throw error;
    }
    const key = paramsKey(params);
    if (seen.has(key)) return false;
    seen.add(key);
    if (stage !== "grid") planned++;
    const t0 = performance.now();
    const model = await spec.fit(val.train, params, { seed, onProgress: (p) => options.onFitProgress?.(p.phase, p.fraction) });
    const fitSeconds = (performance.now() - t0) / 1000;
    const ndcg10 = evaluate(model, val, { depth: 20, users: options.users }).report.metrics["NDCG@10"];
    const trial: Trial = { params: { ...model.params }, ndcg10, fitSeconds, stage };
    trials.push(trial);
    options.onTrial?.(trials.length, planned, trial);
    if (!best || ndcg10 > best.ndcg10) {
      best = { params: trial.params, ndcg10, model, trials };
      return true;
    }
    return false;
  };

  for (const candidate of space) await attempt(candidate, "grid");
  if (!best) throw new Error(`${spec.name}: empty search space`);
  const deadline = typeof options.deadline === "function" ? options.deadline() : options.deadline ?? Infinity;

  const grid: Record<string, readonly unknown[]> = { ...(spec.grid as Record<string, readonly unknown[]>) };
  for (const [key, values] of Object.entries(options.extraGrid ?? {})) if (key in spec.defaults && !(key in spec.grid)) grid[key] = values;
  const refine: Record<string, readonly unknown[]> = { ...((spec.refine ?? {}) as Record<string, readonly unknown[]>) };
  for (const [key, values] of Object.entries(options.extraRefine ?? {})) if (key in spec.defaults && !(key in refine)) refine[key] = values;
  const numeric = (values: readonly unknown[] | undefined): values is readonly number[] => !!values && values.length >= 2 && values.every((v) => typeof v === "number");
  const onGrid = (key: string) => Object.keys(grid).includes(key);
  const around = (key: string, value: unknown) => ({ ...best!.params, [key]: value });

  // Coordinate passes until one changes nothing (at most three), each trial within the deadline.
  for (let pass = 0; pass < 3 && performance.now() < deadline; pass++) {
    let moved = false;
    for (const [key, values] of Object.entries({ ...grid, ...refine })) {
      if (performance.now() >= deadline) break;
      if (!onGrid(key) || key in refine) {
        for (const v of values) {
          if (performance.now() >= deadline) break;
          if (await attempt(around(key, v), "refine")) moved = true;
        }
      }
      // Past the edge: the tried values of this parameter (grid, refinement, earlier extensions).
      if (!numeric(values) || spec.bounded?.includes(key)) continue;
      for (const up of [true, false]) {
        for (let n = 0; n < maxExtensions && performance.now() < deadline; n++) {
          // Positive values only: 0 is either a floor (shrinkage) or "off" (a half-life).
          const tried = new Set<number>(values.filter((v) => v > 0));
          for (const t of trials) if (typeof t.params[key] === "number" && (t.params[key] as number) > 0) tried.add(t.params[key] as number);
          const all = [...tried].sort((a, b) => a - b);
          const current = best.params[key];
          if (current !== (up ? all[all.length - 1] : all[0])) break;
          const next = beyondEdge(all, up);
          if (next === undefined || !(await attempt(around(key, next), "edge"))) break;
          moved = true;
        }
      }
    }
    if (!moved) break;
  }
  return { ...best, trials };
}

/** Weight vectors with entries in steps of 1/steps summing to 1 (the simplex grid). */
export function simplexGrid(components: number, steps: number): number[][] {
  const out: number[][] = [];
  const walk = (prefix: number[], left: number) => {
    if (prefix.length === components - 1) {
      out.push([...prefix, left].map((w) => w / steps));
      return;
    }
    for (let w = 0; w <= left; w++) walk([...prefix, w], left - w);
  };
  walk([], steps);
  return out;
}

/**
 * Tunes a hybrid's weights on validation, reusing its fitted components: each component ranks
 * each viewer once, and every weight vector only re-blends those rankings.
 */
export function tuneHybridWeights(hybrid: HybridModel, val: RankingSplit, options: TuneOptions = {}): { weights: number[]; ndcg10: number; trials: Trial[] } {
  const n = hybrid.models.length;
  const grid = simplexGrid(n, n <= 2 ? 10 : n === 3 ? 5 : 4);
  const users = options.users ?? evaluatedUsers(val);
  const nTrain = val.train.items.size;
  const filter = hybrid.itemIds.length > nTrain ? (i: number) => i < nTrain : undefined;
  const depth = hybrid.params.candidates;
  const rankings: ScoredItems[][] = [];
  for (const u of users) rankings.push(hybrid.models.map((m) => m.recommend(rowWithTimes(val.train.scores, val.train.lastEventAt, u), depth, { filter })));
  const truth = options.users ? restrictTruth(val, options.users) : val.truth;
  const nUsers = val.truth.test.nRows;
  let best = { weights: grid[0], ndcg10: -1 };
  const trials: Trial[] = [];
  for (const weights of grid) {
    if (!weights.some((w) => w > 0)) continue;
    const chunks: Int32Array[] = new Array(nUsers);
    users.forEach((u, t) => (chunks[u] = blendRankings(rankings[t], weights, hybrid.itemIds.length, 20).items));
    const indptr = new Int32Array(nUsers + 1);
    for (let u = 0; u < nUsers; u++) indptr[u + 1] = indptr[u] + (chunks[u]?.length ?? 0);
    const items = new Int32Array(indptr[nUsers]);
    for (let u = 0; u < nUsers; u++) if (chunks[u]) items.set(chunks[u], indptr[u]);
    const ndcg10 = rankingMetrics(truth, { indptr, items }).metrics["NDCG@10"];
    const trial = { params: { weights }, ndcg10, fitSeconds: 0 };
    trials.push(trial);
    options.onTrial?.(trials.length, grid.length, trial);
    if (ndcg10 > best.ndcg10) best = { weights, ndcg10 };
  }
  return { ...best, trials };
}

export interface BlendSearch {
  readonly components: string[];
  readonly weights: number[];
  readonly ndcg10: number;
  readonly trials: Trial[];
}

export interface BlendOptions extends TuneOptions {
  /** Most components in the blend (default 4). */
  readonly maxComponents?: number;
  /** Relative validation gain a component must bring to join (default 0.005: below it, noise). */
  readonly minGain?: number;
  /** Titles each component ranks per viewer (the hybrid's `candidates`, default 200). */
  readonly candidates?: number;
}

/**
 * Which fitted models to blend and with what weights, on validation: each model ranks each
 * viewer once; starting from the best single model, the model whose addition (weights searched
 * on the simplex grid) raises NDCG@10 most joins, while it gains at least `minGain`; then the
 * weights are refined by moving 0.05 between pairs of components while that helps.
 */
export function tuneBlend(models: ReadonlyMap<string, Recommender>, val: RankingSplit, options: BlendOptions = {}): BlendSearch | undefined {
  const names = [...models.keys()];
  if (names.length < 2) return undefined;
  const users = options.users ?? evaluatedUsers(val);
  const nTrain = val.train.items.size;
  const nItems = models.get(names[0])!.itemIds.length;
  const filter = nItems > nTrain ? (i: number) => i < nTrain : undefined;
  const depth = options.candidates ?? 200;
  const rankings = new Map<string, ScoredItems[]>();
  for (const name of names) {
    const m = models.get(name)!;
    rankings.set(name, Array.from(users, (u) => m.recommend(rowWithTimes(val.train.scores, val.train.lastEventAt, u), depth, { filter })));
  }
  const truth = options.users ? restrictTruth(val, options.users) : val.truth;
  const nUsers = val.truth.test.nRows;
  const trials: Trial[] = [];
  const score = (components: readonly string[], weights: readonly number[]): number => {
    const chunks: Int32Array[] = new Array(nUsers);
    const per = components.map((c) => rankings.get(c)!);
    users.forEach((u, t) => (chunks[u] = blendRankings(per.map((r) => r[t]), weights, nItems, 20).items));
    const indptr = new Int32Array(nUsers + 1);
    for (let u = 0; u < nUsers; u++) indptr[u + 1] = indptr[u] + (chunks[u]?.length ?? 0);
    const items = new Int32Array(indptr[nUsers]);
    for (let u = 0; u < nUsers; u++) if (chunks[u]) items.set(chunks[u], indptr[u]);
    const ndcg10 = rankingMetrics(truth, { indptr, items }).metrics["NDCG@10"];
    const trial = { params: { components: [...components], weights: weights.map((w) => Math.round(w * 1000) / 1000) }, ndcg10, fitSeconds: 0 };
    trials.push(trial);
    options.onTrial?.(trials.length, trials.length, trial);
    return ndcg10;
  };
  const singles = names.map((n) => ({ n, s: score([n], [1]) })).sort((a, b) => b.s - a.s);
  let current = { components: [singles[0].n], weights: [1], ndcg10: singles[0].s };
  const maxComponents = options.maxComponents ?? 4;
  const minGain = options.minGain ?? 0.005;
  while (current.components.length < Math.min(maxComponents, names.length)) {
    let best: typeof current | undefined;
    const size = current.components.length + 1;
    for (const candidate of names.filter((n) => !current.components.includes(n))) {
      const components = [...current.components, candidate];
      for (const weights of simplexGrid(size, size === 2 ? 10 : size === 3 ? 5 : 4)) {
        if (weights[size - 1] === 0 || !weights.some((w) => w > 0)) continue;
        const ndcg10 = score(components, weights);
        if (!best || ndcg10 > best.ndcg10) best = { components, weights, ndcg10 };
      }
    }
    if (!best || best.ndcg10 < current.ndcg10 * (1 + minGain)) break;
    current = best;
  }
  // Local refinement: move 0.05 of weight from one component to another while it helps.
  for (let round = 0; round < 20 && current.components.length > 1; round++) {
    let improved = false;
    for (let a = 0; a < current.weights.length; a++) {
      for (let b = 0; b < current.weights.length; b++) {
        if (a === b || current.weights[a] < 0.05 - 1e-9) continue;
        const weights = current.weights.slice();
        weights[a] = Math.round((weights[a] - 0.05) * 100) / 100;
        weights[b] = Math.round((weights[b] + 0.05) * 100) / 100;
        const ndcg10 = score(current.components, weights);
        if (ndcg10 > current.ndcg10) {
          current = { components: current.components, weights, ndcg10 };
          improved = true;
        }
      }
    }
    if (!improved) break;
  }
  // A component refined down to weight 0 leaves the blend.
  const kept = current.components.map((c, i) => ({ c, w: current.weights[i] })).filter((x) => x.w > 0);
  return { components: kept.map((x) => x.c), weights: kept.map((x) => x.w), ndcg10: current.ndcg10, trials };
}

