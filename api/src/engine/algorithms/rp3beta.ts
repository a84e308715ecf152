import { transpose, type CsrMatrix, type SparseRow } from "../matrix/csr-matrix";
import type { InteractionMatrix } from "../matrix/interaction-matrix";
import { applyConfidence, historyConfidences, validateConfidence, type ConfidenceKind } from "../matrix/transforms";
import { recencyWeights } from "../matrix/recency";
import { decodeModel, encodeModel } from "./model-container";
import type { AlgorithmSpec, Contribution, FitOptions, RecommendOptions, Recommender, ScoredItems } from "./recommender";
import {
  assertTrainable,
  checkHistory,
  checkItem,
  checkK,
  choiceParam,
  exclusionMask,
  intParam,
  numberParam,
  rejectUnknown,
  selectTopK,
  similarByRow,
  throwIfAborted,
  TopK,
  valueAt,
  yieldToLoop,
} from "./common";

/**
 * RP3beta (Paudel et al. 2017; as tuned in Dacrema et al. 2019): a three-step random walk
 * title -> viewer -> title on the bipartite graph, with each transition probability raised to
 * `power` and the destination divided by its popularity to the `beta`:
 *     W_ij = (Σ_v P(v | i)^power · P(j | v)^power) / deg(j)^beta,
 * P(v | i) = c_vi / Σ_v c_vi, P(j | v) = c_vj / Σ_j c_vj (c: confidences, with the recency
 * weighting when `halfLifeDays` > 0), deg(j) = viewers of j. Each title keeps its `k` strongest
 * W_ij; a viewer's score for j is Σ_i c_i^power W_ij over its history. Cost: Σ_v deg(v)² like
 * item-kNN's co-occurrences, no factorisation, so it is cheap enough to join a blend.
 */
export interface Rp3betaParams extends Record<string, unknown> {
  readonly k: number;
  /** Exponent on the transition probabilities (1 = the plain random walk). */
  readonly power: number;
  /** Popularity penalty: 0 = P3 (no penalty). */
  readonly beta: number;
  readonly confidence: ConfidenceKind;
  readonly alpha: number;
  /** Recency half-life in days on each viewer's confidences (matrix/recency.ts); 0 = off. */
  readonly halfLifeDays: number;
}

const NAME = "rp3beta";
const KNOWN = ["k", "power", "beta", "confidence", "alpha", "halfLifeDays"];

function validate(params: Partial<Rp3betaParams>): Rp3betaParams {
  rejectUnknown(NAME, params, KNOWN);
  return {
    k: intParam(NAME, "k", params.k, 200),
    power: numberParam(NAME, "power", params.power, 1, 0, true),
    beta: numberParam(NAME, "beta", params.beta, 0.5),
    confidence: choiceParam(NAME, "confidence", params.confidence, "binary", ["binary", "linear", "log"] as const),
    alpha: numberParam(NAME, "alpha", params.alpha, 1),
    halfLifeDays: numberParam(NAME, "halfLifeDays", params.halfLifeDays, 0),
  };
}

/** The top-k walk weights of every title (rows = titles, columns sorted), from confidences x (viewers x titles). */
export async function rp3betaWeights(x: CsrMatrix, k: number, power: number, beta: number, signal?: AbortSignal): Promise<CsrMatrix> {
  const nI = x.nCols;
  const nU = x.nRows;
  // P(j | v)^power in the viewer rows; P(v | i)^power in the title rows of the transpose.
  const forward = new Float32Array(x.data.length);
  for (let u = 0; u < nU; u++) {
    let sum = 0;
    for (let p = x.indptr[u]; p < x.indptr[u + 1]; p++) sum += x.data[p];
    for (let p = x.indptr[u]; p < x.indptr[u + 1]; p++) forward[p] = Math.pow(x.data[p] / sum, power);
  }
  const xt = transpose(x);
  const backward = new Float32Array(xt.data.length);
  const penalty = new Float64Array(nI);
  for (let i = 0; i < nI; i++) {
    let sum = 0;
    for (let p = xt.indptr[i]; p < xt.indptr[i + 1]; p++) sum += xt.data[p];
    for (let p = xt.indptr[i]; p < xt.indptr[i + 1]; p++) backward[p] = Math.pow(xt.data[p] / sum, power);
    const degree = xt.indptr[i + 1] - xt.indptr[i];
    penalty[i] = degree > 0 ? Math.pow(degree, -beta) : 0;
  }
  const acc = new Float64Array(nI);
  const touched = new Int32Array(nI);
  const rows: { items: Int32Array; scores: Float32Array }[] = new Array(nI);
  let work = 0;
  for (let i = 0; i < nI; i++) {
    let nTouched = 0;
    for (let p = xt.indptr[i]; p < xt.indptr[i + 1]; p++) {
      const v = xt.indices[p];
      const a = backward[p];
      for (let q = x.indptr[v]; q < x.indptr[v + 1]; q++) {
        const j = x.indices[q];
        if (acc[j] === 0) touched[nTouched++] = j;
        acc[j] += a * forward[q];
      }
      work += x.indptr[v + 1] - x.indptr[v];
    }
    const top = new TopK(Math.min(k, nI));
    for (let t = 0; t < nTouched; t++) {
      const j = touched[t];
      const w = j === i ? 0 : acc[j] * penalty[j];
      acc[j] = 0;
      if (w > 0 && top.admits(j, w)) top.offer(j, w);
    }
    const best = top.sorted();
    // Columns ascending, for valueAt in explain.
    const order = Array.from(best.items.keys()).sort((a, b) => best.items[a] - best.items[b]);
    rows[i] = { items: Int32Array.from(order, (o) => best.items[o]), scores: Float32Array.from(order, (o) => best.scores[o]) };
    if (work > 4_000_000) {
      work = 0;
      throwIfAborted(signal, NAME);
      await yieldToLoop();
    }
  }
  const indptr = new Int32Array(nI + 1);
  for (let i = 0; i < nI; i++) indptr[i + 1] = indptr[i] + rows[i].items.length;
  const indices = new Int32Array(indptr[nI]);
  const data = new Float32Array(indptr[nI]);
  for (let i = 0; i < nI; i++) {
    indices.set(rows[i].items, indptr[i]);
    data.set(rows[i].scores, indptr[i]);
  }
  return { nRows: nI, nCols: nI, indptr, indices, data };
}

export class Rp3betaModel implements Recommender {
  readonly algorithm = NAME;
  private readonly conf: Required<{ kind: ConfidenceKind; alpha: number; eps: number }>;

  constructor(
    readonly params: Rp3betaParams,
    readonly itemIds: readonly string[],
    /** Row i: W_ij for title i's kept j (sorted by j). */
    readonly weights: CsrMatrix,
  ) {
    this.conf = validateConfidence({ kind: params.confidence, alpha: params.alpha });
  }

  /** The history's first step, c_i^power (its normalisation is the same for every title, so it is left out). */
  private start(history: SparseRow): Float64Array {
    const c = historyConfidences(history, this.conf, this.params.halfLifeDays);
    for (let h = 0; h < c.length; h++) if (c[h] > 0) c[h] = Math.pow(c[h], this.params.power);
    return c;
  }

  recommend(history: SparseRow, k: number, options?: RecommendOptions): ScoredItems {
    checkK(k);
    const n = this.itemIds.length;
    checkHistory(history, n);
    const w = this.weights;
    const scores = new Float64Array(n);
    const c = this.start(history);
    for (let h = 0; h < history.indices.length; h++) {
      if (c[h] === 0) continue;
      const i = history.indices[h];
      for (let p = w.indptr[i]; p < w.indptr[i + 1]; p++) scores[w.indices[p]] += c[h] * w.data[p];
    }
    return selectTopK(scores, k, exclusionMask(n, history, options), options?.filter, 0);
  }

  similar(item: number, k: number, options?: RecommendOptions): ScoredItems {
    return similarByRow(this.weights, item, k, options);
  }

  explain(history: SparseRow, item: number, k = 5): Contribution[] {
    checkItem(item, this.itemIds.length);
    checkHistory(history, this.itemIds.length);
    const w = this.weights;
    const c = this.start(history);
    const found: Contribution[] = [];
    for (let h = 0; h < history.indices.length; h++) {
      const i = history.indices[h];
      const weight = c[h] === 0 ? 0 : c[h] * valueAt(w.indices, w.data, w.indptr[i], w.indptr[i + 1], item);
      if (weight > 0) found.push({ kind: "item", index: i, weight });
    }
    return found.sort((a, b) => b.weight - a.weight || a.index - b.index).slice(0, k);
  }

  serialize(): Uint8Array {
    const w = this.weights;
    return encodeModel({ algorithm: NAME, params: { ...this.params }, itemIds: this.itemIds }, { indptr: w.indptr, indices: w.indices, data: w.data });
  }
}

export const rp3beta: AlgorithmSpec<Rp3betaParams> = {
  name: NAME,
  defaults: { k: 200, power: 1, beta: 0.5, confidence: "binary", alpha: 1, halfLifeDays: 0 },
  grid: { k: [100, 400], power: [0.5, 1], beta: [0, 0.25, 0.5, 0.75] },
  refine: { halfLifeDays: [0.01, 0.1, 1, 10, 100] },
  validate,
  async fit(data: InteractionMatrix, params, options?: FitOptions) {
    const p = validate(params);
    assertTrainable(NAME, data);
    const x = applyConfidence(data.scores, { kind: p.confidence, alpha: p.alpha }, recencyWeights(data.scores.indptr, data.lastEventAt, p.halfLifeDays));
    const weights = await rp3betaWeights(x, p.k, p.power, p.beta, options?.signal);
    return new Rp3betaModel(p, data.items.toArray().slice(), weights);
  },
  deserialize(bytes) {
    const { header, sections } = decodeModel(bytes);
    if (header.algorithm !== NAME) throw new Error(`not an ${NAME} model: the artifact holds "${header.algorithm}"`);
    const n = header.itemIds.length;
    const { indptr, indices, data } = sections;
    if (!(indptr instanceof Int32Array) || !(indices instanceof Int32Array) || !(data instanceof Float32Array) || indptr.length !== n + 1) {
      throw new Error(`corrupt ${NAME} model: weight sections missing or of the wrong shape`);
    }
    return new Rp3betaModel(validate(header.params as Partial<Rp3betaParams>), header.itemIds, { nRows: n, nCols: n, indptr, indices, data });
  },
};
