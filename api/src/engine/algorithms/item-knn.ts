import { transpose, type CsrMatrix, type SparseRow } from "../matrix/csr-matrix";
import type { InteractionMatrix } from "../matrix/interaction-matrix";
import { applyConfidence, historyConfidences, validateConfidence, type ConfidenceKind } from "../matrix/transforms";
import { recencyWeights } from "../matrix/recency";
import { decodeModel, encodeModel } from "./model-container";
import { defaultThreads, getSharedPool, sharedFloat32, sharedInt32, toShared } from "../training/worker-pool";
import { itemKnnRows, type NeighbourContext } from "./item-knn-kernel";
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
  /** Recency half-life in days on each viewer's confidences (matrix/recency.ts); 0 = off. */
  readonly halfLifeDays: number;
}

const KNOWN = ["k", "shrinkage", "confidence", "alpha", "halfLifeDays"];

export function validateItemKnn(name: string, params: Partial<ItemKnnParams>, fallbackK: number): ItemKnnParams {
  rejectUnknown(name, params, KNOWN);
  return {
    k: intParam(name, "k", params.k, fallbackK),
    shrinkage: numberParam(name, "shrinkage", params.shrinkage, 10),
    confidence: choiceParam(name, "confidence", params.confidence, "binary", ["binary", "linear", "log"] as const),
    alpha: numberParam(name, "alpha", params.alpha, 1),
    halfLifeDays: numberParam(name, "halfLifeDays", params.halfLifeDays, 0),
  };
}

/** Below this many co-occurrence updates the worker start-up costs more than it saves. */
const PARALLEL_WORK = 20_000_000;
const BLOCK = 64;

/**
 * Top-k cosine neighbours of every column of `x` (rows = viewers), as a CSR matrix titles x
 * titles. Row i is computed from the co-occurrences of title i with every title in a dense
 * accumulator, so the cost is the sum over viewers of their history length squared; no per-pair
 * objects. Rows are spread over the shared worker pool (training/worker-pool.ts) when the work is
 * large; results are identical on any thread count (each row is computed independently).
 */
export async function cosineNeighbours(
  x: CsrMatrix,
  k: number,
  shrinkage: number,
  options?: FitOptions,
  phase = "similarities",
  minParallelWork = PARALLEL_WORK,
): Promise<CsrMatrix> {
  const xt = transpose(x);
  const n = x.nCols;
  const norms = new Float64Array(n);
  for (let p = 0; p < x.data.length; p++) norms[x.indices[p]] += x.data[p] * x.data[p];
  for (let i = 0; i < n; i++) norms[i] = Math.sqrt(norms[i]);
  let work = 0;
  for (let u = 0; u < x.nRows; u++) {
    const len = x.indptr[u + 1] - x.indptr[u];
    work += len * len;
  }
  const keep = Math.min(k, Math.max(0, n - 1));
  const threads = options?.threads ?? defaultThreads();
  const parallel = threads > 1 && work >= minParallelWork;
  const slots = n * keep;
  const context: NeighbourContext = {
    n,
    keep,
    shrinkage,
    xIndptr: parallel ? toShared(x.indptr) : x.indptr,
    xIndices: parallel ? toShared(x.indices) : x.indices,
    xData: parallel ? toShared(x.data) : x.data,
    tIndptr: parallel ? toShared(xt.indptr) : xt.indptr,
    tIndices: parallel ? toShared(xt.indices) : xt.indices,
    tData: parallel ? toShared(xt.data) : xt.data,
    norms: parallel ? toShared(norms) : norms,
    outIndices: parallel ? sharedInt32(slots) : new Int32Array(slots),
    outValues: parallel ? sharedFloat32(slots) : new Float32Array(slots),
    counts: parallel ? sharedInt32(n) : new Int32Array(n),
  };
  if (parallel) {
    await getSharedPool(threads).run({
      module: KERNEL_MODULE,
      kernel: "itemKnnRows",
      context,
      items: n,
      blockSize: BLOCK,
      signal: options?.signal,
      onProgress: (done, total) => options?.onProgress?.({ phase, fraction: done / total }),
    });
  } else {
    let lastYield = Date.now();
    for (let start = 0; start < n; start += BLOCK) {
      itemKnnRows(context, start, Math.min(n, start + BLOCK));
      options?.onProgress?.({ phase, fraction: Math.min(n, start + BLOCK) / n });
      throwIfAborted(options?.signal, phase);
      if (Date.now() - lastYield > 50) {
        await yieldToLoop();
        lastYield = Date.now();
      }
    }
  }
  // Compact the fixed-width slots into CSR.
  const indptr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) indptr[i + 1] = indptr[i] + context.counts[i];
  const indices = new Int32Array(indptr[n]);
  const data = new Float32Array(indptr[n]);
  for (let i = 0; i < n; i++) {
    const base = i * keep;
    const m = context.counts[i];
    indices.set(context.outIndices.subarray(base, base + m), indptr[i]);
    data.set(context.outValues.subarray(base, base + m), indptr[i]);
  }
  options?.onProgress?.({ phase, fraction: 1 });
  return { nRows: n, nCols: n, indptr, indices, data };
}

const KERNEL_MODULE = require.resolve("./item-knn-kernel");

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
    const conf = historyConfidences(history, this.conf, this.params.halfLifeDays);
    for (let h = 0; h < history.indices.length; h++) {
      const c = conf[h];
      if (c === 0) continue;
      const i = history.indices[h];
      for (let p = s.indptr[i]; p < s.indptr[i + 1]; p++) scores[s.indices[p]] += c * s.data[p];
    }
    return selectTopK(scores, k, exclusionMask(n, history, options), options?.filter);
  }

  similar(item: number, k: number, options?: RecommendOptions): ScoredItems {
    return similarByRow(this.neighbours, item, k, options);
  }

  explain(history: SparseRow, item: number, k = 5): Contribution[] {
    checkItem(item, this.itemIds.length);
    checkHistory(history, this.itemIds.length);
    const s = this.neighbours;
    const found: Contribution[] = [];
    const conf = historyConfidences(history, this.conf, this.params.halfLifeDays);
    for (let h = 0; h < history.indices.length; h++) {
      const c = conf[h];
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
  defaults: { k: 200, shrinkage: 10, confidence: "binary", alpha: 1, halfLifeDays: 0 },
  grid: { k: [20, 50, 100, 200, 400], shrinkage: [0, 10, 50] },
  refine: { halfLifeDays: [0.01, 0.1, 1, 10, 100] },
  validate(params) {
    return validateItemKnn("itemknn", params, 200);
  },
  async fit(data: InteractionMatrix, params, options) {
    const p = itemKnn.validate(params);
    assertTrainable("itemknn", data);
    const x = applyConfidence(data.scores, { kind: p.confidence, alpha: p.alpha }, recencyWeights(data.scores.indptr, data.lastEventAt, p.halfLifeDays));
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
