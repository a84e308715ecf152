import type { CsrMatrix, SparseRow } from "../matrix/csr-matrix";
import { transpose } from "../matrix/csr-matrix";
import type { InteractionMatrix } from "../matrix/interaction-matrix";
import { applyConfidence, historyConfidences, validateConfidence, type ConfidenceKind } from "../matrix/transforms";
import { recencyWeights } from "../matrix/recency";
import { denseWorkspace, invertSpd, releaseWorkspace, type DenseWorkspace } from "../dense/spd-inverse";
import { Arena } from "../training/wasm-runtime";
import { defaultThreads, getSharedPool, sharedFloat32, sharedInt32 } from "../training/worker-pool";
import type { EaseGramContext, EaseWeightsContext } from "./ease-kernel";
import { CorruptModelError, decodeModel, encodeModel } from "./model-container";
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
  ParameterError,
  rejectUnknown,
  selectTopK,
} from "./common";

/**
 * EASE (Steck 2019, "Embarrassingly Shallow Autoencoders"): the closed form
 *   P = (XᵀX + lambda I)^-1,  B = I - P / diag(P)  (column j divided by P_jj, zero diagonal).
 * A viewer's score for j is sum_i c_i B_ij.
 *
 * The Gram matrix and its inverse are float32 WebAssembly SIMD on the worker pool
 * (dense/spd-inverse.ts; about 2 x 4 n² bytes while fitting, 3.2 GB at 20,000 titles). A dense B
 * is 4 n² bytes (1.6 GB at 20,000 titles), too big to store or to hold in every API process, so
 * models keep each title's `topK` strongest weights (by magnitude; `topK: 0` keeps the dense B).
 */
export interface EaseParams extends Record<string, unknown> {
  readonly lambda: number;
  readonly maxItems: number;
  readonly confidence: ConfidenceKind;
  readonly alpha: number;
  /** Weights kept per title (its strongest by |B_ij|); 0 keeps the dense matrix. */
  readonly topK: number;
  /** Recency half-life in days on each viewer's confidences (matrix/recency.ts); 0 = off. */
  readonly halfLifeDays: number;
}

const KNOWN = ["lambda", "maxItems", "confidence", "alpha", "topK", "halfLifeDays"];
/** Largest topK of the grid: a pruned fit keeps this many per title, so the grid's smaller k reuse it. */
const TOPK_GRID = [100, 300, 1000] as const;
const KERNEL_MODULE = require.resolve("./ease-kernel");

function validate(params: Partial<EaseParams>): EaseParams {
  rejectUnknown("ease", params, KNOWN);
  return {
    lambda: numberParam("ease", "lambda", params.lambda, 100, 0, true),
    maxItems: intParam("ease", "maxItems", params.maxItems, 20000),
    confidence: choiceParam("ease", "confidence", params.confidence, "binary", ["binary", "linear", "log"] as const),
    alpha: numberParam("ease", "alpha", params.alpha, 1),
    topK: intParam("ease", "topK", params.topK, 300, 0),
    halfLifeDays: numberParam("ease", "halfLifeDays", params.halfLifeDays, 0),
  };
}

/** Pruned weights: row i holds title i's k strongest weights B_ij, strongest first. */
export interface PrunedWeights {
  readonly k: number;
  readonly neighbors: Int32Array;
  readonly values: Float32Array;
}

export class EaseModel implements Recommender {
  readonly algorithm = "ease";
  private readonly conf: Required<{ kind: ConfidenceKind; alpha: number; eps: number }>;

  constructor(
    readonly params: EaseParams,
    readonly itemIds: readonly string[],
    /** Dense n x n row-major (B[i * n + j]: title i's weight in predicting j, zero diagonal), or null when pruned. */
    readonly weights: Float32Array | null,
    readonly pruned: PrunedWeights | null = null,
  ) {
    if (!weights === !pruned) throw new Error("ease: a model holds either dense or pruned weights");
    this.conf = validateConfidence({ kind: params.confidence, alpha: params.alpha });
  }

  /** B_ij (0 where pruned away). */
  weight(i: number, j: number): number {
    const n = this.itemIds.length;
    if (this.weights) return this.weights[i * n + j];
    const { k, neighbors, values } = this.pruned!;
    for (let t = i * k; t < (i + 1) * k; t++) if (neighbors[t] === j) return values[t];
    return 0;
  }

  recommend(history: SparseRow, k: number, options?: RecommendOptions): ScoredItems {
    checkK(k);
    const n = this.itemIds.length;
    checkHistory(history, n);
    const scores = new Float64Array(n);
    const conf = historyConfidences(history, this.conf, this.params.halfLifeDays);
    for (let h = 0; h < history.indices.length; h++) {
      const c = conf[h];
      if (c === 0) continue;
      const i = history.indices[h];
      if (this.weights) {
        const b = this.weights;
        const row = i * n;
        for (let j = 0; j < n; j++) scores[j] += c * b[row + j];
      } else {
        const { k: kept, neighbors, values } = this.pruned!;
        for (let t = i * kept; t < (i + 1) * kept; t++) scores[neighbors[t]] += c * values[t];
      }
    }
    return selectTopK(scores, k, exclusionMask(n, history, options), options?.filter);
  }

  similar(item: number, k: number, options?: RecommendOptions): ScoredItems {
    checkK(k);
    const n = this.itemIds.length;
    checkItem(item, n);
    let row: Float32Array;
    if (this.weights) row = this.weights.subarray(item * n, (item + 1) * n);
    else {
      const { k: kept, neighbors, values } = this.pruned!;
      row = new Float32Array(n);
      for (let t = item * kept; t < (item + 1) * kept; t++) row[neighbors[t]] = values[t];
    }
    return selectTopK(row, k, exclusionMask(n, undefined, options, item), options?.filter, 0);
  }

  explain(history: SparseRow, item: number, k = 5): Contribution[] {
    const n = this.itemIds.length;
    checkItem(item, n);
    checkHistory(history, n);
    const found: Contribution[] = [];
    const conf = historyConfidences(history, this.conf, this.params.halfLifeDays);
    for (let h = 0; h < history.indices.length; h++) {
      const i = history.indices[h];
      const w = conf[h] * this.weight(i, item);
      if (w > 0) found.push({ kind: "item", index: i, weight: w });
    }
    return found.sort((a, b) => b.weight - a.weight || a.index - b.index).slice(0, k);
  }

  serialize(): Uint8Array {
    const header = { algorithm: this.algorithm, params: { ...this.params }, itemIds: this.itemIds };
    if (this.weights) return encodeModel(header, { weights: this.weights });
    return encodeModel(header, { neighbors: this.pruned!.neighbors, values: this.pruned!.values });
  }
}

/** Weights kept per title for `topK` on n titles (every other title at most). */
function keptPerTitle(topK: number, n: number): number {
  return Math.min(topK, n - 1);
}

/**
 * The last pruned fit per score matrix: refits with the same data, lambda and confidence but a
 * smaller topK (the grid's other k) truncate its rows instead of inverting again. Weak: it goes
 * with the matrix.
 */
const prunedCache = new WeakMap<CsrMatrix, { key: string; weights: PrunedWeights }>();

function truncate(w: PrunedWeights, k: number, n: number): PrunedWeights {
  if (k === w.k) return w;
  const neighbors = new Int32Array(n * k);
  const values = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    neighbors.set(w.neighbors.subarray(i * w.k, i * w.k + k), i * k);
    values.set(w.values.subarray(i * w.k, i * w.k + k), i * k);
  }
  return { k, neighbors, values };
}

/**
 * P = (XᵀX + lambda I)⁻¹ in a dense workspace: X's rows and their transpose are copied into the
 * workspace's second buffer, the Gram matrix's lower triangle is summed by title rows on the pool,
 * then inverted in place. The caller reads P and releases the workspace.
 */
export async function easeInverse(x: CsrMatrix, lambda: number, options: FitOptions = {}): Promise<DenseWorkspace> {
  const n = x.nCols;
  const nnz = x.indptr[x.nRows];
  const t = transpose(x);
  const layout = new Arena();
  const at = {
    uIndptr: layout.alloc((x.nRows + 1) * 4),
    uIndices: layout.alloc(nnz * 4),
    uData: layout.alloc(nnz * 4),
    tIndptr: layout.alloc((n + 1) * 4),
    tIndices: layout.alloc(nnz * 4),
    tData: layout.alloc(nnz * 4),
  };
  const ws = denseWorkspace(n, layout.size);
  const buf = ws.memory.buffer;
  const B = ws.at.B;
  new Int32Array(buf, B + at.uIndptr, x.nRows + 1).set(x.indptr);
  new Int32Array(buf, B + at.uIndices, nnz).set(x.indices.subarray(0, nnz));
  new Float32Array(buf, B + at.uData, nnz).set(x.data.subarray(0, nnz));
  new Int32Array(buf, B + at.tIndptr, n + 1).set(t.indptr);
  new Int32Array(buf, B + at.tIndices, nnz).set(t.indices);
  new Float32Array(buf, B + at.tData, nnz).set(t.data);
  const threads = options.threads ?? defaultThreads();
  const pool = getSharedPool(threads);
  const context: EaseGramContext = {
    memory: ws.memory,
    N: ws.N,
    A: ws.at.A,
    uIndptr: B + at.uIndptr,
    uIndices: B + at.uIndices,
    uData: B + at.uData,
    nUsers: x.nRows,
    tIndptr: B + at.tIndptr,
    tIndices: B + at.tIndices,
    tData: B + at.tData,
    nItems: n,
    nnz,
  };
  try {
    options.onProgress?.({ phase: "gram", fraction: 0 });
    await pool.run({ module: KERNEL_MODULE, kernel: "easeGramRows", context, items: n, blockSize: 64, signal: options.signal });
    const A = ws.at.A / 4;
    for (let i = 0; i < n; i++) ws.f[A + i * ws.N + i] += lambda;
    await invertSpd(ws, { threads, signal: options.signal, onProgress: (phase, fraction) => options.onProgress?.({ phase, fraction }) });
    return ws;
  } catch (error) {
    await releaseWorkspace(ws, threads);
    throw error;
  }
}

/** B's weights from the inverse in `ws`: dense (topK 0) or each row's `kept` strongest. */
export async function easeWeights(ws: DenseWorkspace, kept: number, options: FitOptions): Promise<{ dense: Float32Array | null; pruned: PrunedWeights | null }> {
  const { n, N, f } = ws;
  const A = ws.at.A / 4;
  const invDiag = sharedFloat32(n);
  for (let j = 0; j < n; j++) invDiag[j] = 1 / f[A + j * N + j];
  const dense = kept === 0 ? sharedFloat32(n * n) : new Float32Array(0);
  const neighbors = kept === 0 ? new Int32Array(0) : sharedInt32(n * kept);
  const values = kept === 0 ? new Float32Array(0) : sharedFloat32(n * kept);
  const context: EaseWeightsContext = { memory: ws.memory, N, A: ws.at.A, n, invDiag, dense, k: kept, neighbors, values };
  await getSharedPool(options.threads ?? defaultThreads()).run({
    module: KERNEL_MODULE,
    kernel: kept === 0 ? "easeDenseRows" : "easePrunedRows",
    context,
    items: n,
    blockSize: 64,
    signal: options.signal,
    onProgress: (done, total) => options.onProgress?.({ phase: kept === 0 ? "weights" : "pruning", fraction: done / total }),
  });
  return kept === 0 ? { dense, pruned: null } : { dense: null, pruned: { k: kept, neighbors, values } };
}

export const ease: AlgorithmSpec<EaseParams> = {
  name: "ease",
  defaults: { lambda: 100, maxItems: 20000, confidence: "binary", alpha: 1, topK: 300, halfLifeDays: 0 },
  grid: { lambda: [5, 10, 50, 100, 200, 500, 1000, 2000], topK: [...TOPK_GRID] },
  refine: { halfLifeDays: [0.01, 0.1, 1, 10, 100] },
  // The largest topK is what a served model may hold (n x 1000 weights); the dense model is topK 0.
  bounded: ["topK"],
  validate,
  async fit(data: InteractionMatrix, params, options?: FitOptions) {
    const p = validate(params);
    assertTrainable("ease", data);
    const n = data.scores.nCols;
    if (n > p.maxItems) {
      throw new ParameterError(
        `ease: the catalog has ${n} titles, above maxItems = ${p.maxItems} (EASE needs ~${((8 * n * n) / 2 ** 30).toFixed(1)} GiB ` +
          `and O(n^3) time); use itemknn or ials for this catalog, or raise maxItems if the machine can take it`,
      );
    }
    const itemIds = data.items.toArray().slice();
    if (n === 1) {
      // A single title has no other title to predict.
      return p.topK === 0 ? new EaseModel(p, itemIds, new Float32Array(1)) : new EaseModel(p, itemIds, null, { k: 0, neighbors: new Int32Array(0), values: new Float32Array(0) });
    }
    const kept = p.topK === 0 ? 0 : keptPerTitle(p.topK, n);
    const key = JSON.stringify([p.lambda, p.confidence, p.alpha, p.halfLifeDays]);
    const cached = kept > 0 ? prunedCache.get(data.scores) : undefined;
    if (cached && cached.key === key && cached.weights.k >= kept) return new EaseModel(p, itemIds, null, truncate(cached.weights, kept, n));
    const x = applyConfidence(data.scores, { kind: p.confidence, alpha: p.alpha }, recencyWeights(data.scores.indptr, data.lastEventAt, p.halfLifeDays));
    const ws = await easeInverse(x, p.lambda, options);
    try {
      // A pruned fit keeps as many weights as the grid's largest topK, for the grid's other k.
      const keep = kept === 0 ? 0 : Math.max(kept, keptPerTitle(Math.max(...TOPK_GRID), n));
      const { dense, pruned } = await easeWeights(ws, keep, options ?? {});
      if (!pruned) return new EaseModel(p, itemIds, dense);
      prunedCache.set(data.scores, { key, weights: pruned });
      return new EaseModel(p, itemIds, null, truncate(pruned, kept, n));
    } finally {
      await releaseWorkspace(ws, options?.threads);
    }
  },
  deserialize(bytes) {
    const { header, sections } = decodeModel(bytes);
    if (header.algorithm !== "ease") throw new CorruptModelError(`not an ease model: the artifact holds "${header.algorithm}"`);
    const n = header.itemIds.length;
    let params: EaseParams;
    try {
      params = validate(header.params as Partial<EaseParams>);
    } catch (error) {
      throw new CorruptModelError(`bad ease parameters: ${(error as Error).message}`);
    }
    if (sections.weights !== undefined) {
      const w = sections.weights;
      if (!(w instanceof Float32Array) || w.length !== n * n) throw new CorruptModelError("corrupt ease model: weights of the wrong size");
      return new EaseModel(params, header.itemIds, w);
    }
    const { neighbors, values } = sections;
    const k = n <= 1 ? 0 : keptPerTitle(params.topK || n, n);
    if (!(neighbors instanceof Int32Array) || !(values instanceof Float32Array) || neighbors.length !== n * k || values.length !== n * k) {
      throw new CorruptModelError(`corrupt ease model: pruned weights must be ${n} x ${k}`);
    }
    for (let t = 0; t < neighbors.length; t++) if (!(neighbors[t] >= 0 && neighbors[t] < n)) throw new CorruptModelError("corrupt ease model: a neighbour outside the catalog");
    return new EaseModel(params, header.itemIds, null, { k, neighbors, values });
  },
};
