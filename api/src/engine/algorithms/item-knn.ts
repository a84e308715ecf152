import { transpose, type CsrMatrix, type SparseRow } from "../matrix/csr-matrix";
import type { InteractionMatrix } from "../matrix/interaction-matrix";
import { applyConfidence, confidence, validateConfidence, type ConfidenceKind } from "../matrix/transforms";
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
  throwIfAborted,
  valueAt,
  yieldToLoop,
} from "./common";

/**
 * Item-kNN ("Because you watched X", "More like this"): cosine similarity between title columns
 * with shrinkage, sim(i,j) = <x_i, x_j> / (|x_i| |x_j| + shrinkage), keeping each title's
 * top-`k` neighbours. A viewer's score for j sums, over the viewer's titles i, c_i * sim(i, j)
 * where j is among i's neighbours (the convention of benfred/implicit's ItemItemRecommender).
 */
export interface ItemKnnParams extends Record<string, unknown> {
  readonly k: number;
  readonly shrinkage: number;
  readonly confidence: ConfidenceKind;
  readonly alpha: number;
}

const KNOWN = ["k", "shrinkage", "confidence", "alpha"];

export function validateItemKnn(name: string, params: Partial<ItemKnnParams>, fallbackK: number): ItemKnnParams {
  rejectUnknown(name, params, KNOWN);
  return {
    k: intParam(name, "k", params.k, fallbackK),
    shrinkage: numberParam(name, "shrinkage", params.shrinkage, 10),
    confidence: choiceParam(name, "confidence", params.confidence, "binary", ["binary", "linear", "log"] as const),
    alpha: numberParam(name, "alpha", params.alpha, 1),
  };
}

/**
 * Top-k cosine neighbours of every column of `x` (rows = viewers), as a CSR matrix titles x
 * titles. Row i is computed from the co-occurrence counts of title i with every title, in a dense
 * accumulator reused across rows, so the cost is the sum over viewers of their history length
 * squared; no per-pair objects.
 */
export async function cosineNeighbours(
  x: CsrMatrix,
  k: number,
  shrinkage: number,
  options?: FitOptions,
  phase = "similarities",
): Promise<CsrMatrix> {
  const xt = transpose(x);
  const n = x.nCols;
  const norms = new Float64Array(n);
  for (let p = 0; p < x.data.length; p++) norms[x.indices[p]] += x.data[p] * x.data[p];
  for (let i = 0; i < n; i++) norms[i] = Math.sqrt(norms[i]);

  const keep = Math.min(k, Math.max(0, n - 1));
  const indptr = new Int32Array(n + 1);
  const outIdx = new Int32Array(n * keep);
  const outVal = new Float32Array(n * keep);
  let out = 0;
  const acc = new Float64Array(n);
  const touched = new Int32Array(n);
  const sims = new Float64Array(n);
  const mask = new Uint8Array(n);
  let lastYield = Date.now();
  for (let i = 0; i < n; i++) {
    let nTouched = 0;
    for (let p = xt.indptr[i]; p < xt.indptr[i + 1]; p++) {
      const u = xt.indices[p];
      const xi = xt.data[p];
      for (let q = x.indptr[u]; q < x.indptr[u + 1]; q++) {
        const j = x.indices[q];
        if (acc[j] === 0) touched[nTouched++] = j;
        acc[j] += xi * x.data[q];
      }
    }
    // Score only the touched titles: everything else has similarity 0 and is not kept.
    for (let t = 0; t < nTouched; t++) {
      const j = touched[t];
      if (j !== i) sims[j] = acc[j] / (norms[i] * norms[j] + shrinkage);
      acc[j] = 0;
    }
    mask[i] = 1;
    const top = selectTopK(sims, keep, mask, undefined, 0);
    mask[i] = 0;
    for (let t = 0; t < nTouched; t++) sims[touched[t]] = 0;
    // Neighbour lists are kept sorted by title index so `explain` can binary-search them.
    const order = Array.from(top.items.keys()).sort((a, b) => top.items[a] - top.items[b]);
    for (const o of order) {
      outIdx[out] = top.items[o];
      outVal[out++] = top.scores[o];
    }
    indptr[i + 1] = out;
    if ((i & 63) === 63) {
      options?.onProgress?.({ phase, fraction: (i + 1) / n });
      throwIfAborted(options?.signal, phase);
      if (Date.now() - lastYield > 50) {
        await yieldToLoop();
        lastYield = Date.now();
      }
    }
  }
  options?.onProgress?.({ phase, fraction: 1 });
  return { nRows: n, nCols: n, indptr, indices: outIdx.slice(0, out), data: outVal.slice(0, out) };
}

export class ItemKnnModel implements Recommender {
  readonly algorithm = "itemknn";
  private readonly conf: Required<{ kind: ConfidenceKind; alpha: number; eps: number }>;

  constructor(
    readonly params: ItemKnnParams,
    readonly itemIds: readonly string[],
    /** Row i: title i's neighbours j (sorted by j) with sim(i, j). */
    readonly neighbours: CsrMatrix,
  ) {
    this.conf = validateConfidence({ kind: params.confidence, alpha: params.alpha });
  }

  recommend(history: SparseRow, k: number, options?: RecommendOptions): ScoredItems {
    checkK(k);
    const n = this.itemIds.length;
    checkHistory(history, n);
    const s = this.neighbours;
    const scores = new Float64Array(n);
    for (let h = 0; h < history.indices.length; h++) {
      const c = confidence(history.data[h], this.conf);
      if (c === 0) continue;
      const i = history.indices[h];
      for (let p = s.indptr[i]; p < s.indptr[i + 1]; p++) scores[s.indices[p]] += c * s.data[p];
    }
    return selectTopK(scores, k, exclusionMask(n, history, options), options?.filter);
  }

  similar(item: number, k: number, options?: RecommendOptions): ScoredItems {
    checkK(k);
    const n = this.itemIds.length;
    checkItem(item, n);
    const s = this.neighbours;
    const scores = new Float64Array(n);
    for (let p = s.indptr[item]; p < s.indptr[item + 1]; p++) scores[s.indices[p]] = s.data[p];
    return selectTopK(scores, k, exclusionMask(n, undefined, options, item), options?.filter, 0);
  }

  explain(history: SparseRow, item: number, k = 5): Contribution[] {
    checkItem(item, this.itemIds.length);
    checkHistory(history, this.itemIds.length);
    const s = this.neighbours;
    const found: Contribution[] = [];
    for (let h = 0; h < history.indices.length; h++) {
      const c = confidence(history.data[h], this.conf);
      const i = history.indices[h];
      const sim = c === 0 ? 0 : valueAt(s.indices, s.data, s.indptr[i], s.indptr[i + 1], item);
      if (sim > 0) found.push({ kind: "item", index: i, weight: c * sim });
    }
    return found.sort((a, b) => b.weight - a.weight || a.index - b.index).slice(0, k);
  }

  serialize(): Uint8Array {
    const s = this.neighbours;
    return encodeModel({ algorithm: this.algorithm, params: { ...this.params }, itemIds: this.itemIds }, { indptr: s.indptr, indices: s.indices, data: s.data });
  }
}

export const itemKnn: AlgorithmSpec<ItemKnnParams> = {
  name: "itemknn",
  defaults: { k: 200, shrinkage: 10, confidence: "binary", alpha: 1 },
  grid: { k: [20, 50, 100, 200, 400], shrinkage: [0, 10, 50] },
  validate(params) {
    return validateItemKnn("itemknn", params, 200);
  },
  async fit(data: InteractionMatrix, params, options) {
    const p = itemKnn.validate(params);
    assertTrainable("itemknn", data);
    const x = applyConfidence(data.scores, { kind: p.confidence, alpha: p.alpha });
    const neighbours = await cosineNeighbours(x, p.k, p.shrinkage, options);
    return new ItemKnnModel(p, data.items.toArray().slice(), neighbours);
  },
  deserialize(bytes) {
    const { header, sections } = decodeModel(bytes);
    if (header.algorithm !== "itemknn") throw new Error(`not an itemknn model: the artifact holds "${header.algorithm}"`);
    const n = header.itemIds.length;
    const { indptr, indices, data } = sections;
    if (!(indptr instanceof Int32Array) || !(indices instanceof Int32Array) || !(data instanceof Float32Array) || indptr.length !== n + 1) {
      throw new Error("corrupt itemknn model: neighbour sections missing or of the wrong shape");
    }
    const p = validateItemKnn("itemknn", header.params as Partial<ItemKnnParams>, 200);
    return new ItemKnnModel(p, header.itemIds, { nRows: n, nCols: n, indptr, indices, data });
  },
};
