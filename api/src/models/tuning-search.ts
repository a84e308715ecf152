import type { AlgorithmSpec, Recommender } from "../engine/algorithms/recommender";
import { evaluate, evaluatedUsers, sampleUsers, seededRandom } from "../engine/evaluation/evaluate";
import type { RankingSplit } from "../engine/evaluation/split";
import type { InteractionMatrix } from "../engine/matrix/interaction-matrix";

/** One evaluated set of hyperparameters (stored in models.tuning). */
export interface TuningTrialResult {
  readonly params: Record<string, unknown>;
  readonly validationNdcg10: number;
  readonly seconds: number;
}

export interface TuningResult {
  readonly trials: readonly TuningTrialResult[];
  /** Index into trials of the best (0: the defaults held). */
  readonly bestIndex: number;
  /** The best trial's full validation metrics. */
  readonly bestMetrics: Record<string, number>;
  readonly viewers: number;
}

export interface TuningOptions {
  readonly spec: AlgorithmSpec;
  /** Trial 0: the parameters the training would use untuned (the defaults, or those requested). */
  readonly base: Record<string, unknown>;
  readonly fit: (matrix: InteractionMatrix, params: Record<string, unknown>) => Promise<Recommender>;
  readonly budgetSeconds: number;
  readonly maxTrials: number;
  readonly seed: number;
  readonly validationUsers?: number;
  readonly onTrial?: (trial: TuningTrialResult, index: number) => void;
}

/**
 * Values a random search draws from, per parameter: the algorithm's grid and refinement values,
 * the base value, and for an iterative fit a few iteration counts around the base.
 */
export function searchSpace(spec: AlgorithmSpec, base: Record<string, unknown>): Record<string, readonly unknown[]> {
  const space: Record<string, unknown[]> = {};
  const add = (key: string, values: readonly unknown[] | undefined) => {
    if (!values || !(key in base)) return;
    const list = (space[key] ??= [base[key]]);
    for (const v of values) if (!list.includes(v)) list.push(v);
  };
  for (const [key, values] of Object.entries(spec.grid)) add(key, values as readonly unknown[]);
  for (const [key, values] of Object.entries(spec.refine ?? {})) add(key, values as readonly unknown[]);
  if (typeof base.iterations === "number") {
    const it = base.iterations;
    add("iterations", [Math.max(1, Math.round(it / 2)), Math.round(it * 1.5), it * 2]);
  }
  for (const key of Object.keys(space)) if (space[key].length < 2) delete space[key];
  return space;
}

/**
 * A bounded random search over the algorithm's hyperparameters on a validation split: trial 0
 * is the base parameters, every later trial draws each searched parameter uniformly from its
 * values (no set is tried twice); it stops at `maxTrials` or once `budgetSeconds` have passed.
 * Returns null when there is nothing to search (no validation viewers or no parameter space).
 */
export async function tuneHyperparameters(split: RankingSplit, options: TuningOptions): Promise<TuningResult | null> {
  const space = searchSpace(options.spec, options.base);
  const keys = Object.keys(space).sort();
  const sampled = sampleUsers(split, options.validationUsers ?? 3000, options.seed);
  const users = sampled.length ? sampled : evaluatedUsers(split);
  if (users.length === 0) return null;
  const random = seededRandom(options.seed);
  const deadline = performance.now() + options.budgetSeconds * 1000;
  const tried = new Set<string>();
  const trials: TuningTrialResult[] = [];
  let bestIndex = 0;
  let bestMetrics: Record<string, number> = {};

  const run = async (params: Record<string, unknown>) => {
    const started = performance.now();
    const model = await options.fit(split.train, params);
    const result = evaluate(model, split, { depth: 20, users });
    const trial: TuningTrialResult = { params, validationNdcg10: result.report.metrics["NDCG@10"], seconds: (performance.now() - started) / 1000 };
    trials.push(trial);
    if (trials.length === 1 || trial.validationNdcg10 > trials[bestIndex].validationNdcg10) {
      bestIndex = trials.length - 1;
      bestMetrics = { ...result.report.metrics, evaluatedViewers: result.report.nEvalUsers };
    }
    options.onTrial?.(trial, trials.length - 1);
  };

  const base = options.spec.validate(options.base) as Record<string, unknown>;
  tried.add(JSON.stringify(keys.map((k) => base[k])));
  await run(base);
  // Give up drawing once fresh sets become rare (a small space is exhausted).
  let misses = 0;
  while (keys.length > 0 && trials.length < options.maxTrials && performance.now() < deadline && misses < 200) {
    const draw: Record<string, unknown> = { ...base };
    for (const k of keys) draw[k] = space[k][Math.floor(random() * space[k].length)];
    const id = JSON.stringify(keys.map((k) => draw[k]));
    if (tried.has(id)) {
      misses++;
      continue;
    }
    tried.add(id);
    let params: Record<string, unknown>;
    try {
      params = options.spec.validate(draw) as Record<string, unknown>;
    } catch {
      continue; // a combination the algorithm refuses
    }
    await run(params);
  }
  return { trials, bestIndex, bestMetrics, viewers: users.length };
}
