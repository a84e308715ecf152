import { algorithmNames, getAlgorithm } from "../algorithms/registry";
import { HybridModel, validateHybrid, type HybridParams } from "../algorithms/hybrid";
import type { Recommender } from "../algorithms/recommender";
import { ParameterError } from "../algorithms/common";
import type { MetricValues, RankedLists } from "./metrics";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { evaluate, sampleUsers, tune, tuneBlend, type Trial } from "./evaluate";
import { loadSplit, type RankingSplit, type WeightMode } from "./split";
import { compareWithReferences, loadReferences, type PairedInterval, type ReferenceSystem } from "./bootstrap";
import { FrozenConfiguration, loadFrozenTestSplit } from "./freeze";

/**
 * The evaluation protocol end to end: tune every algorithm on <dir>/val (search selected by
 * NDCG@10), refit the tuned settings on <dir>/train.csv, score <dir>/test.csv once. The best
 * algorithm is chosen by its validation NDCG@10, so the test split never influences a choice.
 */
export interface AlgorithmOutcome {
  readonly params: Record<string, unknown>;
  readonly metrics: MetricValues;
  readonly fitSeconds: number;
  readonly validationNdcg10: number;
  readonly trials: readonly Trial[];
  /** Test NDCG@K for K = 1..50. */
  readonly ndcgCurve: number[];
  /** Paired bootstrap against the best reference per metric (when references were given). */
  readonly paired: PairedInterval[];
}

export interface EvaluationRun {
  readonly best: string;
  readonly metrics: MetricValues;
  readonly algorithms: Record<string, AlgorithmOutcome>;
  /** Algorithms that could not run on this split (e.g. EASE above its catalog cap), with why. */
  readonly skipped: Record<string, string>;
  readonly split: { readonly dir: string; readonly trainUsers: number; readonly trainItems: number; readonly trainRows: number; readonly testUsers: number };
  readonly bestModel: Recommender;
  readonly bestLists: RankedLists;
  readonly testSplit: RankingSplit;
  /** Where the chosen configuration was frozen before test.csv was read, and its SHA-256. */
  readonly frozen: { readonly path: string; readonly sha256: string };
  /** The reference systems' test figures (from `referenceDir`), scored with the same protocol. */
  readonly references: { readonly name: string; readonly metrics: MetricValues }[];
  /** Seconds the tuning budget allowed and the tuning took. */
  readonly tuning: { readonly budgetSeconds: number; readonly seconds: number };
}

export interface RunOptions {
  readonly algorithms?: readonly string[];
  readonly weights?: WeightMode;
  readonly seed?: number;
  /** Viewers sampled for validation scoring on large splits (default 2000). */
  readonly maxValidationUsers?: number;
  /**
   * Configurations tried per algorithm at most (default 24, or 10 when the validation train
   * file has more than 200k pairs, so an unseen split still finishes in minutes).
   */
  readonly maxTrials?: number;
  /**
   * Largest catalog the evaluator gives EASE (default 20000, EASE's own maxItems): above it the
   * dense inverse's two float32 copies no longer fit the 4 GiB WebAssembly memory comfortably.
   * Each lambda of the search costs one inverse (the topK values reuse it).
   */
  readonly maxDenseItems?: number;
  /**
   * Seconds of validation tuning, all algorithms together (default 600): every grid runs; the
   * refinement (recency half-life, graded-signal transforms, grid edges extended) stops starting
   * trials when an algorithm's share is spent. Keeps CI-like runs bounded on any split.
   */
  readonly budgetSeconds?: number;
  /** Where the chosen configuration is frozen before test.csv is read (default: a file in the OS temp dir). */
  readonly freezePath?: string;
  /** A folder of other systems' top-N lists (`user,item,rank` CSVs) for the paired bootstrap. */
  readonly referenceDir?: string;
  /** Bootstrap resamples (default 10000). */
  readonly resamples?: number;
  /** List depth for the best model's --recs-out lists (default 100). */
  readonly recsDepth?: number;
  readonly onEvent?: (event: ProgressEvent) => void;
}

export interface ProgressEvent {
  readonly stage: "load" | "tune" | "freeze" | "fit" | "score" | "done" | "skip";
  readonly algorithm?: string;
  readonly message: string;
  /** 0..1 within the stage, when known. */
  readonly fraction?: number;
}

/** Algorithms run when --algorithms is not given: all registered that need no extra input. */
export function defaultAlgorithms(): string[] {
  return algorithmNames().filter((n) => n !== "content");
}

const NON_PERSONAL = new Set(["popular", "trending", "content", "hybrid"]);

export async function runEvaluation(dir: string, options: RunOptions = {}): Promise<EvaluationRun> {
  const seed = options.seed ?? 42;
  const emit = options.onEvent ?? (() => undefined);
  const requested = options.algorithms ?? defaultAlgorithms();
  if (requested.length === 0) throw new ParameterError("no algorithms to evaluate: pass --algorithms a,b,...");
  for (const name of requested) getAlgorithm(name);

  emit({ stage: "load", message: `loading ${dir}/val` });
  const val = loadSplit(dir, "val", options.weights);
  const valUsers = sampleUsers(val, options.maxValidationUsers ?? 2000, seed);
  const maxTrials = options.maxTrials ?? (val.train.scores.indices.length > 200_000 ? 10 : 24);
  // Graded weights (play counts, ratings): also search how scores become confidences, for every
  // model that takes them. Binary data make every transform identical, so nothing is widened.
  const graded = val.train.scores.data.some((v) => v > 0 && v !== 1);
  const gradedRefine = (name: string): Record<string, readonly unknown[]> => {
    if (!graded) return {};
    const kinds = getAlgorithm(name).defaults.confidence === "binary" ? ["binary", "log", "linear"] : ["linear", "log"];
    return { confidence: kinds, alpha: [0.3, 1, 3, 10], eps: [0.3, 1, 3, 10] };
  };

  const wantHybrid = requested.includes("hybrid");
  const personal = requested.filter((n) => !NON_PERSONAL.has(n));
  const hybridDefaults = validateHybrid({}).components;
  // A hybrid needs components: the run's own personal models, or its defaults tuned quietly.
  const toTune = [...requested.filter((n) => n !== "hybrid")];
  if (wantHybrid && personal.length < 2) for (const n of hybridDefaults) if (!toTune.includes(n)) toTune.push(n);

  const tuned = new Map<string, { params: Record<string, unknown>; ndcg10: number; model: Recommender; trials: readonly Trial[] }>();
  const skipped: Record<string, string> = {};
  const maxDense = options.maxDenseItems ?? 20000;
  const budgetSeconds = options.budgetSeconds ?? 600;
  const tuneStart = performance.now();
  const tuneEnd = tuneStart + budgetSeconds * 1000;
  for (let a = 0; a < toTune.length; a++) {
    const name = toTune[a];
    const spec = getAlgorithm(name);
    if (name === "ease" && val.train.items.size > maxDense) {
      skipped[name] = `ease: ${val.train.items.size} titles is above the evaluator's dense cap of ${maxDense} (its O(n^3) fit runs once per lambda, and needs 8 n² bytes); raise it with --max-dense-items`;
      emit({ stage: "skip", algorithm: name, message: skipped[name] });
      continue;
    }
    try {
      // After its grid, this algorithm's share of what is left of the budget (the blend search is cheap).
      const deadline = () => {
        const now = performance.now();
        return now + Math.max(0, tuneEnd - now) / (toTune.length - a);
      };
      const result = await tune(spec, val, {
        seed,
        users: valUsers,
        maxTrials,
        deadline,
        extraRefine: gradedRefine(name),
        onTrial: (done, total, trial) =>
          emit({ stage: "tune", algorithm: name, fraction: done / total, message: `${name}: trial ${done}/${total}${trial.stage && trial.stage !== "grid" ? ` (${trial.stage})` : ""} NDCG@10 ${trial.ndcg10.toFixed(4)} ${JSON.stringify(trial.params)}` }),
        onFitProgress: (phase, fraction) => emit({ stage: "tune", algorithm: name, message: `${name}: ${phase}`, fraction }),
      });
      tuned.set(name, result);
    } catch (error) {
      if (!(error instanceof ParameterError)) throw error;
      skipped[name] = error.message;
      emit({ stage: "skip", algorithm: name, message: error.message });
    }
  }

  let hybridTuned: { components: string[]; weights: number[]; ndcg10: number; trials: Trial[] } | undefined;
  if (wantHybrid) {
    const pool = new Map([...tuned.entries()].filter(([n]) => !NON_PERSONAL.has(n)).map(([n, t]) => [n, t.model]));
    const result = pool.size >= 2 ? tuneBlend(pool, val, { users: valUsers, onTrial: (done, _total, trial) => emit({ stage: "tune", algorithm: "hybrid", message: `hybrid: blend ${done} ${JSON.stringify(trial.params)} NDCG@10 ${trial.ndcg10.toFixed(4)}` }) }) : undefined;
    if (!result) skipped.hybrid = "hybrid: fewer than two personal algorithms could be tuned on this split";
    else if (result.components.length < 2) skipped.hybrid = `hybrid: no blend beat ${result.components[0]} alone on validation by the required margin`;
    else hybridTuned = result;
  }
  const tuningSeconds = (performance.now() - tuneStart) / 1000;
  // Validation models are no longer needed; let them go before fitting on the full train file.
  const valScores = new Map([...tuned.entries()].map(([n, t]) => [n, { params: t.params, ndcg10: t.ndcg10, trials: t.trials }]));
  tuned.clear();

  // The best algorithm is settled by validation, and frozen to a file, before test.csv is read.
  const candidates: [string, number][] = [...requested.filter((n) => n !== "hybrid" && valScores.has(n)).map((n): [string, number] => [n, valScores.get(n)!.ndcg10])];
  if (hybridTuned) candidates.push(["hybrid", hybridTuned.ndcg10]);
  if (candidates.length === 0) throw new ParameterError(`no algorithm could run on ${dir}: ${Object.values(skipped).join("; ")}`);
  const best = candidates.reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  const chosen: Record<string, { params: Record<string, unknown>; validationNdcg10: number }> = {};
  for (const [name, v] of valScores) chosen[name] = { params: v.params, validationNdcg10: v.ndcg10 };
  if (hybridTuned) {
    const params = validateHybrid({
      components: hybridTuned.components,
      weights: hybridTuned.weights,
      componentParams: Object.fromEntries(hybridTuned.components.map((n) => [n, valScores.get(n)!.params])),
    });
    chosen.hybrid = { params: { ...params }, validationNdcg10: hybridTuned.ndcg10 };
  }
  const frozen = FrozenConfiguration.write(options.freezePath ?? join(tmpdir(), `marquee-frozen-${process.pid}-${Date.now()}.json`), {
    split: dir,
    weights: options.weights ?? "binary",
    seed,
    best,
    algorithms: chosen,
    frozenAt: new Date().toISOString(),
  });
  emit({ stage: "freeze", message: `configuration frozen to ${frozen.path} (sha256 ${frozen.sha256.slice(0, 12)}) before test.csv is read` });
  emit({ stage: "load", message: `loading ${dir}/train.csv and test.csv` });
  const test = loadFrozenTestSplit(dir, frozen);
  const frozenParams = (name: string) => frozen.choice.algorithms[name].params;
  const references: ReferenceSystem[] = options.referenceDir ? loadReferences(options.referenceDir, test.truth) : [];
  const recsDepth = Math.max(50, options.recsDepth ?? 100);

  const finals = new Map<string, { model: Recommender; fitSeconds: number }>();
  const algorithms: Record<string, AlgorithmOutcome> = {};
  let bestLists: RankedLists | undefined;
  const score = (name: string, model: Recommender, fitSeconds: number, ndcg10: number, trials: readonly Trial[]) => {
    emit({ stage: "score", algorithm: name, message: `${name}: scoring test` });
    // The best model ranks deeper once, for --recs-out; metrics only read the top 50.
    const depth = name === best ? recsDepth : 50;
    const result = evaluate(model, test, { depth, onProgress: (f) => emit({ stage: "score", algorithm: name, message: `${name}: scoring test`, fraction: f }) });
    if (name === best) bestLists = result.lists;
    const paired = compareWithReferences(test.truth, result.lists, references, options.resamples ?? 10_000, seed);
    algorithms[name] = { params: frozenParams(name), metrics: result.report.metrics, fitSeconds, validationNdcg10: ndcg10, trials, ndcgCurve: Array.from(result.curve), paired };
  };
  const fitFinal = async (name: string) => {
    const cached = finals.get(name);
    if (cached) return cached;
    const spec = getAlgorithm(name);
    const t0 = performance.now();
    const model = await spec.fit(test.train, spec.validate(frozenParams(name)), {
      seed,
      onProgress: (p) => emit({ stage: "fit", algorithm: name, message: `${name}: ${p.phase}`, fraction: p.fraction }),
    });
    const fitted = { model, fitSeconds: (performance.now() - t0) / 1000 };
    finals.set(name, fitted);
    return fitted;
  };
  for (const name of requested) {
    if (name === "hybrid" || !valScores.has(name)) continue;
    emit({ stage: "fit", algorithm: name, message: `${name}: fitting on train.csv` });
    const { model, fitSeconds } = await fitFinal(name);
    const v = valScores.get(name)!;
    score(name, model, fitSeconds, v.ndcg10, v.trials);
  }
  if (hybridTuned) {
    const params = validateHybrid(frozenParams("hybrid") as Partial<HybridParams>);
    const parts = [];
    for (const n of params.components) parts.push(await fitFinal(n));
    const model = new HybridModel(params, parts.map((p) => p.model));
    score("hybrid", model, parts.reduce((s, p) => s + p.fitSeconds, 0), hybridTuned.ndcg10, hybridTuned.trials);
    finals.set("hybrid", { model, fitSeconds: 0 });
  }

  const bestModel = finals.get(best)!.model;
  emit({ stage: "done", message: `best by validation NDCG@10: ${best}` });

  const t = test.truth.test;
  let testUsers = 0;
  for (let u = 0; u < t.nRows; u++) if (t.indptr[u + 1] > t.indptr[u]) testUsers++;
  let trainUsers = 0;
  const s = test.train.scores;
  for (let u = 0; u < s.nRows; u++) if (s.indptr[u + 1] > s.indptr[u]) trainUsers++;
  return {
    best,
    metrics: algorithms[best].metrics,
    algorithms,
    skipped,
    split: { dir, trainUsers, trainItems: s.nCols, trainRows: s.indices.length, testUsers },
    bestModel,
    bestLists: bestLists!,
    testSplit: test,
    frozen: { path: frozen.path, sha256: frozen.sha256 },
    references: references.map((r) => ({ name: r.name, metrics: r.metrics })),
    tuning: { budgetSeconds, seconds: tuningSeconds },
  };
}
