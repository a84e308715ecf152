import type { Recommender } from "../engine/algorithms/recommender";
import { evaluate, sampleUsers } from "../engine/evaluation/evaluate";
import type { RankingSplit } from "../engine/evaluation/split";
import { fromCoo } from "../engine/matrix/csr-matrix";
import type { InteractionMatrix } from "../engine/matrix/interaction-matrix";
import { COUNT_KINDS, type CountKind } from "../recommendations/score-matrix.loader";

/** A weight per counted event kind. */
export type KindWeights = Readonly<Record<CountKind, number>>;

/** One evaluated set of weights. */
export interface WeightTrial {
  readonly weights: KindWeights;
  readonly validationNdcg10: number;
  readonly seconds: number;
}

export interface WeightSearchResult {
  readonly handSet: WeightTrial;
  readonly best: WeightTrial;
  /** best / hand-set NDCG@10 - 1. */
  readonly gain: number;
  readonly trials: readonly WeightTrial[];
  /** Viewers whose strong engagement after the cut is the truth. */
  readonly viewers: number;
}

export interface WeightSearchOptions {
  readonly handSet: KindWeights;
  /** Fits the model being trained on a matrix (its algorithm and parameters). */
  readonly fit: (matrix: InteractionMatrix) => Promise<Recommender>;
  readonly budgetSeconds: number;
  readonly maxTrials: number;
  readonly seed: number;
  readonly validationUsers?: number;
  /** A relative NDCG@10 gain below this is noise, not a better set (default 0.005). */
  readonly minGain?: number;
  readonly onTrial?: (trial: WeightTrial, index: number) => void;
  /**
   * A hold-out given by the caller instead of weightHoldout's (a benchmark tuning on a split's
   * validation part): `train` the positions of `data` fitted on, `truth` the pairs to predict.
   */
  readonly holdout?: { readonly train: Int32Array; readonly truth: RankingSplit["truth"] };
}

/** Pairs with a finish, a like or an add to My List: the strong engagement a search predicts. */
const STRONG: readonly CountKind[] = ["WATCHED_FULL", "LIKE", "ADD_TO_LIST"];

/** Σ weight × count per pair. */
export function weightedScores(counts: Float32Array, weights: KindWeights): Float32Array {
  const k = COUNT_KINDS.length;
  const w = COUNT_KINDS.map((kind) => weights[kind]);
  const out = new Float32Array(counts.length / k);
  for (let p = 0; p < out.length; p++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += w[j] * counts[p * k + j];
    out[p] = s;
  }
  return out;
}

/**
 * The search's hold-out, frozen before any weights are tried and independent of them: each
 * viewer's pairs ordered by their last event; the latest fifth (viewers with 5+ pairs) is after
 * the cut. Truth: those of them with strong engagement (finished, liked or listed and not
 * disliked). Training: the pairs before the cut, their scores from each trial's weights.
 */
export function weightHoldout(data: InteractionMatrix, counts: Float32Array): { train: Int32Array; truth: RankingSplit["truth"] } | null {
  const { scores, lastEventAt } = data;
  if (!lastEventAt) throw new Error("the weight search needs event times");
  const k = COUNT_KINDS.length;
  const strong = STRONG.map((kind) => COUNT_KINDS.indexOf(kind));
  const dislikes = COUNT_KINDS.indexOf("DISLIKE");
  const train: number[] = [];
  const testRows: number[] = [];
  const testCols: number[] = [];
  const seenRows: number[] = [];
  const seenCols: number[] = [];
  for (let r = 0; r < scores.nRows; r++) {
    const positions: number[] = [];
    for (let p = scores.indptr[r]; p < scores.indptr[r + 1]; p++) positions.push(p);
    positions.sort((a, b) => lastEventAt[a] - lastEventAt[b] || scores.indices[a] - scores.indices[b]);
    const testCount = positions.length >= 5 ? Math.floor(positions.length / 5) : 0;
    positions.forEach((p, j) => {
      if (j < positions.length - testCount) {
        train.push(p);
        seenRows.push(r);
        seenCols.push(scores.indices[p]);
      } else if (strong.some((s) => counts[p * k + s] > 0) && !(counts[p * k + dislikes] > 0)) {
        testRows.push(r);
        testCols.push(scores.indices[p]);
      }
    });
  }
  if (testRows.length === 0) return null;
  const ones = (n: number) => new Float32Array(n).fill(1);
  const inTrain = new Uint8Array(scores.nCols);
  for (const c of seenCols) inTrain[c] = 1;
  return {
    train: Int32Array.from(train),
    truth: {
      nItems: scores.nCols,
      train: fromCoo(scores.nRows, scores.nCols, Int32Array.from(seenRows), Int32Array.from(seenCols), ones(seenRows.length)),
      test: fromCoo(scores.nRows, scores.nCols, Int32Array.from(testRows), Int32Array.from(testCols), ones(testRows.length)),
      inTrain,
    },
  };
}

/** The whole matrix with its scores from `weights` (pairs scoring 0 are left out, as no signal). */
export function reweighted(data: InteractionMatrix, counts: Float32Array, weights: KindWeights): InteractionMatrix {
  return trainMatrix(data, counts, Int32Array.from({ length: data.scores.indices.length }, (_, p) => p), weights);
}

/** The training matrix of the hold-out under `weights` (pairs scoring 0 are left out, as no signal). */
function trainMatrix(data: InteractionMatrix, counts: Float32Array, train: Int32Array, weights: KindWeights): InteractionMatrix {
  const all = weightedScores(counts, weights);
  const { scores, lastEventAt } = data;
  const rowOf = new Int32Array(scores.indices.length);
  for (let r = 0; r < scores.nRows; r++) rowOf.fill(r, scores.indptr[r], scores.indptr[r + 1]);
  const kept = train.filter((p) => all[p] !== 0); // positions ascending: CSR order is kept
  const matrix = fromCoo(
    scores.nRows,
    scores.nCols,
    Int32Array.from(kept, (p) => rowOf[p]),
    Int32Array.from(kept, (p) => scores.indices[p]),
    Float32Array.from(kept, (p) => all[p]),
  );
  return { users: data.users, items: data.items, scores: matrix, lastEventAt: Float64Array.from(kept, (p) => lastEventAt![p]), itemFeatures: data.itemFeatures };
}

/**
 * Learns event weights by a bounded coordinate search: from the hand-set weights, each kind's
 * weight in turn is tried doubled, halved, zero and negated (the model refitted per trial on the
 * frozen hold-out), keeping a change only when NDCG@10 on the strong-engagement truth rises by
 * more than `minGain`; passes repeat until a pass changes nothing, then passes of finer steps
 * (x1.5, /1.5, +1, -1) likewise, or until the budget (seconds, trials) runs out. Kinds with no events are not searched.
 */
export async function searchEventWeights(data: InteractionMatrix, counts: Float32Array, options: WeightSearchOptions): Promise<WeightSearchResult | null> {
  const holdout = options.holdout ?? weightHoldout(data, counts);
  if (!holdout) return null;
  const split = { train: data, truth: holdout.truth } as RankingSplit;
  const users = sampleUsers(split, options.validationUsers ?? 3000, options.seed);
  if (users.length < 20) return null; // too few viewers with strong engagement to learn from
  const deadline = performance.now() + options.budgetSeconds * 1000;
  const minGain = options.minGain ?? 0.005;
  const trials: WeightTrial[] = [];
  const cache = new Map<string, WeightTrial>();
  const run = async (weights: KindWeights): Promise<WeightTrial> => {
    const key = JSON.stringify(COUNT_KINDS.map((kind) => weights[kind]));
    const known = cache.get(key);
    if (known) return known;
    const started = performance.now();
    const train = trainMatrix(data, counts, holdout.train, weights);
    // Weights under which no pair scores above 0 leave nothing to fit on: the worst trial, not an error.
    const fittable = train.scores.data.some((v) => v > 0);
    // The viewer's row that models recommend from is the trial's training row, as in serving.
    const ndcg = fittable ? evaluate(await options.fit(train), { train, truth: holdout.truth }, { depth: 20, users }).report.metrics["NDCG@10"] : 0;
    const trial = { weights, validationNdcg10: ndcg, seconds: (performance.now() - started) / 1000 };
    cache.set(key, trial);
    trials.push(trial);
    options.onTrial?.(trial, trials.length - 1);
    return trial;
  };
  const handSet = await run(options.handSet);
  let best = handSet;
  const present = COUNT_KINDS.filter((kind, j) => {
    for (let p = j; p < counts.length; p += COUNT_KINDS.length) if (counts[p] > 0) return true;
    return false;
  });
  const inBudget = () => performance.now() < deadline && trials.length < options.maxTrials;
  // Coarse steps first (they can zero or flip a weight); once a pass of them changes nothing,
  // finer ones (x1.5, /1.5, ±1) until those change nothing either or the budget runs out.
  const coarse = (w: number) => (w === 0 ? [1, -1] : [w * 2, w / 2, 0, -w]);
  const fine = (w: number) => (w === 0 ? [0.5, -0.5] : [w * 1.5, w / 1.5, w + 1, w - 1]);
  for (const steps of [coarse, fine]) {
    for (let changed = true; changed && inBudget(); ) {
      changed = false;
      for (const kind of present) {
        for (const value of steps(best.weights[kind])) {
          if (!inBudget()) break;
          const trial = await run({ ...best.weights, [kind]: value });
          if (trial.validationNdcg10 > best.validationNdcg10 * (1 + minGain)) {
            best = trial;
            changed = true;
          }
        }
      }
    }
  }
  return { handSet, best, gain: best.validationNdcg10 / handSet.validationNdcg10 - 1, trials, viewers: users.length };
}
