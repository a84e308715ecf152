import type { SparseRow } from "../matrix/csr-matrix";
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
  ParameterError,
  rejectUnknown,
  selectTopK,
  throwIfAborted,
  yieldToLoop,
} from "./common";

/**
 * EASE (Steck 2019, "Embarrassingly Shallow Autoencoders"): the closed form
 *   P = (X'X + lambda I)^-1,  B = I - P / diag(P)  (column j divided by P_jj, zero diagonal).
 * A viewer's score for j is sum_i c_i B_ij. Dense n x n in Float64 while fitting (n = titles),
 * so the catalog size is capped (`maxItems`): memory is ~ 2 * 8 n^2 bytes.
 */
export interface EaseParams extends Record<string, unknown> {
  readonly lambda: number;
  readonly maxItems: number;
  readonly confidence: ConfidenceKind;
  readonly alpha: number;
}

const KNOWN = ["lambda", "maxItems", "confidence", "alpha"];

function validate(params: Partial<EaseParams>): EaseParams {
  rejectUnknown("ease", params, KNOWN);
  return {
    lambda: numberParam("ease", "lambda", params.lambda, 100, 0, true),
    maxItems: intParam("ease", "maxItems", params.maxItems, 20000),
    confidence: choiceParam("ease", "confidence", params.confidence, "binary", ["binary", "linear", "log"] as const),
    alpha: numberParam("ease", "alpha", params.alpha, 1),
  };
}

/** Rows per block: a block's rows stay in cache while every earlier row streams past once. */
const BLOCK = 32;

type Progress = (fraction: number) => Promise<void>;

/**
 * In-place Cholesky factorisation of the symmetric positive definite n x n matrix `a`
 * (row-major; only the lower triangle is read). On return the lower triangle holds L with
 * A = L L'. Dot-product (Crout) form: every inner loop is a dot product of two contiguous row
 * prefixes, and rows are processed in blocks so each earlier row is read once per block.
 */
export async function choleskyInPlace(a: Float64Array, n: number, progress?: Progress): Promise<void> {
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = Math.min(n, i0 + BLOCK);
    for (let j = 0; j < i1; j++) {
      const rj = j * n;
      for (let i = Math.max(i0, j); i < i1; i++) {
        const ri = i * n;
        const s = a[ri + j] - dot(a, ri, a, rj, j);
        if (i === j) {
          if (!(s > 0)) throw new ParameterError(`ease: the Gram matrix is not positive definite at title ${j}; use a larger lambda`);
          a[ri + j] = Math.sqrt(s);
        } else {
          a[ri + j] = s / a[rj + j];
        }
      }
    }
    if (progress) await progress(i1 / n);
  }
}

/**
 * The inverse of a lower-triangular L (lower triangle of `l`), written transposed: on return
 * row j of `ut` holds column j of L^-1 (entries j..n-1), so that later products read rows.
 */
export async function invertLowerTransposed(l: Float64Array, ut: Float64Array, n: number, progress?: Progress): Promise<void> {
  for (let j = 0; j < n; j++) ut[j * n + j] = 1 / l[j * n + j];
  for (let j0 = 0; j0 < n; j0 += BLOCK) {
    const j1 = Math.min(n, j0 + BLOCK);
    for (let i = j0 + 1; i < n; i++) {
      const ri = i * n;
      const lii = l[ri + i];
      for (let j = j0; j < j1 && j < i; j++) {
        const rj = j * n;
        // (L^-1)_ij = -(sum_{k=j}^{i-1} L_ik (L^-1)_kj) / L_ii
        ut[rj + i] = -dotFrom(l, ri, ut, rj, j, i) / lii;
      }
    }
    if (progress) await progress(j1 / n);
  }
}

/** P = (L^-1)' L^-1 = A^-1 from the transposed inverse; P_ab = sum_{k >= max(a,b)} U_ak U_bk. */
export async function gramOfRows(ut: Float64Array, p: Float64Array, n: number, progress?: Progress): Promise<void> {
  for (let a0 = 0; a0 < n; a0 += BLOCK) {
    const a1 = Math.min(n, a0 + BLOCK);
    for (let b = 0; b < n; b++) {
      const rb = b * n;
      for (let a = a0; a < a1 && a <= b; a++) {
        const v = dotFrom(ut, a * n, ut, rb, b, n);
        p[a * n + b] = v;
        p[rb + a] = v;
      }
    }
    if (progress) await progress(a1 / n);
  }
}

/** The inverse of a symmetric positive definite matrix via Cholesky (returns a new array). */
export async function spdInverse(a: Float64Array, n: number, progress?: (phase: string, fraction: number) => Promise<void>): Promise<Float64Array> {
  const work = a.slice();
  await choleskyInPlace(work, n, progress && ((f) => progress("cholesky", f)));
  const ut = new Float64Array(n * n);
  await invertLowerTransposed(work, ut, n, progress && ((f) => progress("triangular inverse", f)));
  await gramOfRows(ut, work, n, progress && ((f) => progress("inverse", f)));
  return work;
}

function dot(x: Float64Array, xo: number, y: Float64Array, yo: number, len: number): number {
  return dotFrom(x, xo, y, yo, 0, len);
}

/** sum_{k=from}^{to-1} x[xo+k] y[yo+k], unrolled by 4 (V8 keeps the accumulators in registers). */
function dotFrom(x: Float64Array, xo: number, y: Float64Array, yo: number, from: number, to: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = from;
  for (; k + 3 < to; k += 4) {
    s0 += x[xo + k] * y[yo + k];
    s1 += x[xo + k + 1] * y[yo + k + 1];
    s2 += x[xo + k + 2] * y[yo + k + 2];
    s3 += x[xo + k + 3] * y[yo + k + 3];
  }
  for (; k < to; k++) s0 += x[xo + k] * y[yo + k];
  return s0 + s1 + s2 + s3;
}

export class EaseModel implements Recommender {
  readonly algorithm = "ease";
  private readonly conf: Required<{ kind: ConfidenceKind; alpha: number; eps: number }>;

  constructor(
    readonly params: EaseParams,
    readonly itemIds: readonly string[],
    /** n x n row-major: B[i * n + j] is title i's weight in predicting j (zero diagonal). */
    readonly weights: Float32Array,
  ) {
    this.conf = validateConfidence({ kind: params.confidence, alpha: params.alpha });
  }

  recommend(history: SparseRow, k: number, options?: RecommendOptions): ScoredItems {
    checkK(k);
    const n = this.itemIds.length;
    checkHistory(history, n);
    const scores = new Float64Array(n);
    const b = this.weights;
    for (let h = 0; h < history.indices.length; h++) {
      const c = confidence(history.data[h], this.conf);
      if (c === 0) continue;
      const row = history.indices[h] * n;
      for (let j = 0; j < n; j++) scores[j] += c * b[row + j];
    }
    return selectTopK(scores, k, exclusionMask(n, history, options), options?.filter);
  }

  similar(item: number, k: number, options?: RecommendOptions): ScoredItems {
    checkK(k);
    const n = this.itemIds.length;
    checkItem(item, n);
    const row = this.weights.subarray(item * n, (item + 1) * n);
    return selectTopK(row, k, exclusionMask(n, undefined, options, item), options?.filter, 0);
  }

  explain(history: SparseRow, item: number, k = 5): Contribution[] {
    const n = this.itemIds.length;
    checkItem(item, n);
    checkHistory(history, n);
    const found: Contribution[] = [];
    for (let h = 0; h < history.indices.length; h++) {
      const i = history.indices[h];
      const w = confidence(history.data[h], this.conf) * this.weights[i * n + item];
      if (w > 0) found.push({ kind: "item", index: i, weight: w });
    }
    return found.sort((a, b) => b.weight - a.weight || a.index - b.index).slice(0, k);
  }

  serialize(): Uint8Array {
    return encodeModel({ algorithm: this.algorithm, params: { ...this.params }, itemIds: this.itemIds }, { weights: this.weights });
  }
}

export const ease: AlgorithmSpec<EaseParams> = {
  name: "ease",
  defaults: { lambda: 100, maxItems: 20000, confidence: "binary", alpha: 1 },
  grid: { lambda: [5, 10, 50, 100, 200, 500, 1000, 2000] },
  validate,
  async fit(data: InteractionMatrix, params, options?: FitOptions) {
    const p = validate(params);
    assertTrainable("ease", data);
    const n = data.scores.nCols;
    if (n > p.maxItems) {
      throw new ParameterError(
        `ease: the catalog has ${n} titles, above maxItems = ${p.maxItems} (EASE needs ~${Math.ceil((16 * n * n) / 2 ** 30)} GiB ` +
          `and O(n^3) time); use itemknn or ials for this catalog, or raise maxItems if the machine can take it`,
      );
    }
    const x = applyConfidence(data.scores, { kind: p.confidence, alpha: p.alpha });
    const g = new Float64Array(n * n);
    for (let u = 0; u < x.nRows; u++) {
      for (let a = x.indptr[u]; a < x.indptr[u + 1]; a++) {
        const ra = x.indices[a] * n;
        const va = x.data[a];
        for (let b = x.indptr[u]; b < x.indptr[u + 1]; b++) g[ra + x.indices[b]] += va * x.data[b];
      }
    }
    for (let i = 0; i < n; i++) g[i * n + i] += p.lambda;
    let lastYield = Date.now();
    const report = async (phase: string, fraction: number) => {
      options?.onProgress?.({ phase, fraction });
      throwIfAborted(options?.signal, "ease");
      if (Date.now() - lastYield > 50) {
        await yieldToLoop();
        lastYield = Date.now();
      }
    };
    const inv = await spdInverse(g, n, report);
    const b = new Float32Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) b[i * n + j] = i === j ? 0 : -inv[i * n + j] / inv[j * n + j];
    }
    return new EaseModel(p, data.items.toArray().slice(), b);
  },
  deserialize(bytes) {
    const { header, sections } = decodeModel(bytes);
    if (header.algorithm !== "ease") throw new Error(`not an ease model: the artifact holds "${header.algorithm}"`);
    const n = header.itemIds.length;
    const w = sections.weights;
    if (!(w instanceof Float32Array) || w.length !== n * n) throw new Error("corrupt ease model: weights missing or of the wrong size");
    return new EaseModel(validate(header.params as Partial<EaseParams>), header.itemIds, w);
  },
};
