import { row } from "../matrix/csr-matrix";
import type { AlgorithmSpec, Recommender } from "../algorithms/recommender";
import { blendRankings, type HybridModel } from "../algorithms/hybrid";
import type { ScoredItems } from "../algorithms/recommender";
import { ndcgCurve, rankingMetrics, type MetricReport, type RankedLists } from "./metrics";
import type { RankingSplit } from "./split";

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
    chunks[u] = model.recommend(row(split.train.scores, u), depth, { filter }).items;
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
  readonly onTrial?: (done: number, total: number, trial: Trial) => void;
  readonly onFitProgress?: (phase: string, fraction: number) => void;
}

/** Grid (or seeded random) search on a validation split, selected by NDCG@10. */
export async function tune(spec: AlgorithmSpec, val: RankingSplit, options: TuneOptions = {}): Promise<TuneResult> {
  const seed = options.seed ?? 42;
  const space = searchSpace(spec, options.maxTrials ?? 24, seed, options.extraGrid);
  let best: TuneResult | undefined;
  const trials: Trial[] = [];
  for (const candidate of space) {
    const params = spec.validate(candidate);
    const t0 = performance.now();
    const model = await spec.fit(val.train, params, { seed, onProgress: (p) => options.onFitProgress?.(p.phase, p.fraction) });
    const fitSeconds = (performance.now() - t0) / 1000;
    const ndcg10 = evaluate(model, val, { depth: 20, users: options.users }).report.metrics["NDCG@10"];
    const trial = { params: { ...model.params }, ndcg10, fitSeconds };
    trials.push(trial);
    options.onTrial?.(trials.length, space.length, trial);
    if (!best || ndcg10 > best.ndcg10) best = { params: trial.params, ndcg10, model, trials };
  }
  if (!best) throw new Error(`${spec.name}: empty search space`);
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
  for (const u of users) rankings.push(hybrid.models.map((m) => m.recommend(row(val.train.scores, u), depth, { filter })));
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
