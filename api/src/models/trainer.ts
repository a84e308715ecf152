import type { DataSource } from "typeorm";
import { algorithmNames, getAlgorithm } from "../engine/algorithms/registry";
import type { FitProgress, Recommender } from "../engine/algorithms/recommender";
import { evaluate, sampleUsers, evaluatedUsers } from "../engine/evaluation/evaluate";
import type { InteractionMatrix } from "../engine/matrix/interaction-matrix";
import type { LearnWeightsSettings, TuningSettings } from "../config";
import { loadEventWeights } from "../interactions/event-weights";
import { loadScoreMatrix } from "../recommendations/score-matrix.loader";
import { reweighted, searchEventWeights, type KindWeights } from "./event-weight-search";
import { liveHoldout } from "./holdout";
import { tuneHyperparameters, type TuningTrialResult } from "./tuning-search";
import { encodeBundle, type ModelBundle } from "./model-bundle";
import type { ModelRecord } from "./model-record.entity";
import { ModelRepository, type TrainedFields } from "./model.repository";

export interface TrainingOptions {
  /**
   * Top picks algorithm: a registered name, or "auto": EASE (up to its 20,000-title limit) and
   * iALS are both validated and the better one is trained and served.
   */
  readonly algorithm?: string;
  /** Parameters for the Top picks algorithm (its defaults otherwise). */
  readonly params?: Record<string, unknown>;
  /**
   * A candidate whose validation NDCG@10 is below the active model's by more than this share is
   * rejected and the active model keeps serving (default 0.05).
   */
  readonly tolerance?: number;
  readonly seed?: number;
  readonly threads?: number;
  /**
   * Learn the event weights (scheduled retrains only; null or absent: the hand-set ones): a
   * bounded search on a temporal hold-out; the learned weights serve only if they beat the
   * hand-set ones there.
   */
  readonly learnWeights?: LearnWeightsSettings | null;
  /**
   * Tune the Top picks algorithm's hyperparameters (scheduled retrains only; null or absent: its
   * defaults, or the params given): a bounded random search on the temporal hold-out, the
   * untuned parameters as trial 0; the best trial's parameters are the ones fitted in full.
   */
  readonly tune?: TuningSettings | null;
  readonly onProgress?: (phase: string, fraction: number) => void;
  /**
   * false: store the model without activating it (status REJECTED, artifact kept) whatever its
   * validation says, for an experiment arm to pin; the active model keeps serving. Default true.
   */
  readonly activate?: boolean;
  /** Called with the new `models` row id as soon as the training is recorded. */
  readonly onStarted?: (modelId: number) => void;
}

/** Another process holds the training lock; the caller may retry later. */
export class TrainingBusyError extends Error {
  constructor() {
    super("another training is already running on this database; wait for it (see the models query)");
    this.name = "TrainingBusyError";
  }
}

const TRAINING_LOCK = 727_384_001; // pg advisory lock key: one training per database at a time
const VALIDATION_USERS = 3000;

/**
 * The Top picks algorithms a training tries: the requested one, or for "auto" EASE (while the
 * catalog is within its dense limit) and iALS, of which the better on validation serves.
 */
export function candidateAlgorithms(requested: string | undefined, titles: number): string[] {
  if (requested && requested !== "auto") {
    getAlgorithm(requested); // throws a clear error for an unknown name
    return [requested];
  }
  const known = new Set(algorithmNames());
  const out: string[] = [];
  if (known.has("ease") && titles <= (getAlgorithm("ease").defaults.maxItems as number)) out.push("ease");
  if (known.has("ials")) out.push("ials");
  return out.length > 0 ? out : ["itemknn"];
}

/** Without a validation split (a tiny catalog) "auto" cannot compare: EASE on small catalogs, else iALS. */
function fallbackChoice(candidates: readonly string[], titles: number): string {
  if (candidates.includes("ease") && titles <= 2500) return "ease";
  return candidates.includes("ials") ? "ials" : candidates[0];
}

/**
 * Trains a model bundle on the current score matrix, validates it on a temporal hold-out, and
 * activates it unless it scores worse than the model serving. Every outcome is a `models` row:
 * ACTIVE, REJECTED (with the reason) or FAILED (with the error). Serving never waits for this.
 */
export async function trainAndStore(dataSource: DataSource, options: TrainingOptions = {}): Promise<ModelRecord> {
  const repo = new ModelRepository(dataSource);
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    const [{ locked }] = await lock.query(`SELECT pg_try_advisory_lock($1) AS locked`, [TRAINING_LOCK]);
    if (!locked) throw new TrainingBusyError();
    try {
      return await trainLocked(dataSource, repo, options);
    } finally {
      await lock.query(`SELECT pg_advisory_unlock($1)`, [TRAINING_LOCK]);
    }
  } finally {
    await lock.release();
  }
}

async function trainLocked(dataSource: DataSource, repo: ModelRepository, options: TrainingOptions): Promise<ModelRecord> {
  const started = performance.now();
  let phase = "starting";
  const progress = (name: string, fraction: number) => {
    phase = name;
    options.onProgress?.(name, fraction);
  };
  const titles = (await dataSource.query(`SELECT count(*)::int AS n FROM movies`))[0].n as number;
  const candidates = candidateAlgorithms(options.algorithm, titles);
  const requested = options.algorithm && options.algorithm !== "auto" ? options.algorithm : undefined;
  // Explicit parameters go to the requested algorithm; "auto" compares defaults.
  const paramsOf = (name: string) => getAlgorithm(name).validate(requested ? (options.params ?? {}) : {});
  const record = await repo.startTraining(requested ?? "auto", requested ? paramsOf(requested) : {});
  options.onStarted?.(record.id);
  try {
    progress("loading score matrix", 0);
    const handSet: KindWeights = await loadEventWeights(dataSource);
    const loaded = await loadScoreMatrix(dataSource, { counts: Boolean(options.learnWeights), onProgress: (n, of) => progress("loading score matrix", of ? n / of : 0) });
    let data: InteractionMatrix & { watermark: bigint; pairs: number } = loaded;
    const fit = (name: string, matrix: InteractionMatrix, p: Record<string, unknown>, phase: string): Promise<Recommender> => {
      const s = getAlgorithm(name);
      return s.fit(matrix, s.validate(p), {
        seed: options.seed ?? 42,
        threads: options.threads,
        onProgress: (f: FitProgress) => progress(phase, f.fraction),
      });
    };

    // Validation first: a candidate that is worse than the serving model is not worth the full
    // fit; with several candidates ("auto"), the best on validation is the one fitted in full.
    let metrics: Record<string, unknown> | null = null;
    let algorithm = candidates.length === 1 ? candidates[0] : fallbackChoice(candidates, titles);
    const holdout = liveHoldout(data);
    if (holdout) {
      const users = sampleUsers(holdout, VALIDATION_USERS, options.seed ?? 42);
      const scored: Record<string, number> = {};
      for (const name of candidates) {
        const model = await fit(name, holdout.train, paramsOf(name), candidates.length > 1 ? `validating ${name}` : "validating");
        const result = evaluate(model, holdout, { depth: 20, users: users.length ? users : evaluatedUsers(holdout) });
        scored[name] = result.report.metrics["NDCG@10"];
        if (metrics === null || scored[name] > Number(metrics["NDCG@10"])) {
          algorithm = name;
          metrics = { ...result.report.metrics, evaluatedViewers: result.report.nEvalUsers };
        }
      }
      if (candidates.length > 1) metrics = { ...metrics, candidates: scored };
    }
    let params = paramsOf(algorithm);
    let eventWeights: KindWeights = handSet;
    if (options.learnWeights && loaded.counts && holdout) {
      const search = await searchEventWeights(loaded, loaded.counts, {
        handSet,
        fit: (matrix) => fit(algorithm, matrix, params, "learning event weights"),
        budgetSeconds: options.learnWeights.budgetSeconds,
        maxTrials: options.learnWeights.maxTrials,
        seed: options.seed ?? 42,
        onTrial: (_trial, index) => progress("learning event weights", Math.min(1, (index + 1) / options.learnWeights!.maxTrials)),
      });
      if (search) {
        const used = search.best !== search.handSet;
        if (used) {
          eventWeights = search.best.weights;
          data = { ...reweighted(loaded, loaded.counts, eventWeights), watermark: loaded.watermark, pairs: loaded.pairs };
        }
        metrics = {
          ...metrics,
          eventWeights: {
            used,
            handSetNdcg10: search.handSet.validationNdcg10,
            learnedNdcg10: search.best.validationNdcg10,
            gain: search.gain,
            trials: search.trials.length,
            viewers: search.viewers,
            seconds: search.trials.reduce((a, t) => a + t.seconds, 0),
          },
        };
      }
    }
    let tuning: TuningTrialResult[] = [];
    if (options.tune && holdout) {
      // On the weights chosen above: the hold-out of the matrix that will be fitted.
      const split = eventWeights === handSet ? holdout : liveHoldout(data);
      const result = split
        ? await tuneHyperparameters(split, {
            spec: getAlgorithm(algorithm),
            base: params,
            fit: (matrix, p) => fit(algorithm, matrix, p, "tuning hyperparameters"),
            budgetSeconds: options.tune.budgetSeconds,
            maxTrials: options.tune.maxTrials,
            seed: options.seed ?? 42,
            validationUsers: VALIDATION_USERS,
            onTrial: (_trial, index) => progress("tuning hyperparameters", Math.min(1, (index + 1) / options.tune!.maxTrials)),
          })
        : null;
      if (result) {
        tuning = [...result.trials];
        const best = result.trials[result.bestIndex];
        params = best.params;
        const untuned = result.trials[0].validationNdcg10;
        // The validation figures are the served configuration's: the best trial's.
        metrics = {
          ...metrics,
          ...result.bestMetrics,
          tuning: {
            trials: result.trials.length,
            bestTrial: result.bestIndex,
            untunedNdcg10: untuned,
            tunedNdcg10: best.validationNdcg10,
            gain: untuned > 0 ? best.validationNdcg10 / untuned - 1 : 0,
            viewers: result.viewers,
            seconds: result.trials.reduce((a, t) => a + t.seconds, 0),
          },
        };
      }
    }
    const fields = (extra: Partial<TrainedFields> = {}): TrainedFields => ({
      algorithm,
      metrics,
      params,
      eventWatermark: data.watermark,
      pairs: data.pairs,
      viewers: data.users.size,
      titles: data.items.size,
      trainingSeconds: (performance.now() - started) / 1000,
      eventWeights,
      tuning,
      ...extra,
    });

    const active = await repo.findActive();
    const tolerance = options.tolerance ?? 0.05;
    const activeNdcg = Number(active?.metrics?.["NDCG@10"] ?? NaN);
    const candidateNdcg = Number(metrics?.["NDCG@10"] ?? NaN);
    const activate = options.activate ?? true;
    if (activate && Number.isFinite(activeNdcg) && Number.isFinite(candidateNdcg) && candidateNdcg < activeNdcg * (1 - tolerance)) {
      const reason = `validation NDCG@10 ${candidateNdcg.toFixed(4)} is below the active model #${active!.id}'s ${activeNdcg.toFixed(4)} by more than ${(tolerance * 100).toFixed(0)}%`;
      await repo.reject(record.id, fields(), reason);
      return (await repo.findById(record.id))!;
    }

    const topPicks = await fit(algorithm, data, params, `fitting ${algorithm}`);
    const bundle: ModelBundle = {
      topPicks,
      itemKnn: algorithm === "itemknn" ? topPicks : await fit("itemknn", data, {}, "fitting item-kNN"),
      userKnn: await fit("userknn", data, {}, "fitting user-kNN"),
      trending: await fit("trending", data, { now: Date.now() / 1000 }, "fitting trending"),
      popular: await fit("popular", data, {}, "fitting popularity"),
    };
    const artifact = encodeBundle(bundle);
    if (!activate) {
      await repo.storeWithoutActivating(record.id, fields({ trainingSeconds: (performance.now() - started) / 1000 }), artifact);
      progress("done", 1);
      return (await repo.findById(record.id))!;
    }
    await repo.activate(record.id, fields({ trainingSeconds: (performance.now() - started) / 1000 }), artifact);
    progress("done", 1);
    return (await repo.findById(record.id))!;
  } catch (error) {
    // An allocation the memory limit refused (typed array, WebAssembly memory) is thrown, not fatal.
    const message = (error as Error).message;
    await repo.fail(record.id, /allocation failed|out of memory|Memory\.grow|Out of memory/i.test(message) ? `ran out of memory while ${phase}: ${message}` : message);
    throw error;
  }
}
