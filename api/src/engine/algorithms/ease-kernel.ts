/**
 * EASE's worker kernels around the dense inverse (dense/spd-inverse.ts), on the same shared
 * memory: the Gram matrix XᵀX from the sparse interactions, and the weights B = -P / diag(P)
 * read out of the inverse P, either dense or pruned to each title's top-k by magnitude.
 */
import type { KernelContext } from "../training/worker-pool";
import type { WasmMemory } from "../training/wasm-runtime";

export interface EaseGramContext extends KernelContext {
  readonly memory: WasmMemory;
  readonly N: number;
  /** Byte offset of the N x N matrix. */
  readonly A: number;
  /** Byte offsets (in the same memory) of the viewer rows (sorted titles) and title rows (viewers). */
  readonly uIndptr: number;
  readonly uIndices: number;
  readonly uData: number;
  readonly nUsers: number;
  readonly tIndptr: number;
  readonly tIndices: number;
  readonly tData: number;
  readonly nItems: number;
  readonly nnz: number;
}

/**
 * Worker kernel: rows [start, end) of the lower triangle of G = XᵀX. Row i sums, over the
 * viewers u of title i, x_ui times u's row up to title i, so each row has one writer and a
 * fixed summation order (identical results on any thread count).
 */
export function easeGramRows(ctx: EaseGramContext, start: number, end: number): void {
  const buf = ctx.memory.buffer;
  const f = new Float32Array(buf);
  const uIndptr = new Int32Array(buf, ctx.uIndptr, ctx.nUsers + 1);
  const uIndices = new Int32Array(buf, ctx.uIndices, ctx.nnz);
  const uData = new Float32Array(buf, ctx.uData, ctx.nnz);
  const tIndptr = new Int32Array(buf, ctx.tIndptr, ctx.nItems + 1);
  const tIndices = new Int32Array(buf, ctx.tIndices, ctx.nnz);
  const tData = new Float32Array(buf, ctx.tData, ctx.nnz);
  const A = ctx.A / 4;
  for (let i = start; i < end; i++) {
    const row = A + i * ctx.N;
    for (let p = tIndptr[i]; p < tIndptr[i + 1]; p++) {
      const u = tIndices[p];
      const w = tData[p];
      for (let q = uIndptr[u], qEnd = uIndptr[u + 1]; q < qEnd; q++) {
        const j = uIndices[q];
        if (j > i) break;
        f[row + j] += w * uData[q];
      }
    }
  }
}

export interface EaseWeightsContext extends KernelContext {
  readonly memory: WasmMemory;
  readonly N: number;
  readonly A: number;
  readonly n: number;
  /** 1 / P_jj for every title. */
  readonly invDiag: Float32Array;
  /** Dense output (n x n), or empty when pruning. */
  readonly dense: Float32Array;
  /** Pruned output: k per row, strongest first. */
  readonly k: number;
  readonly neighbors: Int32Array;
  readonly values: Float32Array;
}

/** Worker kernel: dense rows [start, end) of B (B_ii = 0). */
export function easeDenseRows(ctx: EaseWeightsContext, start: number, end: number): void {
  const f = new Float32Array(ctx.memory.buffer);
  const { n, N, invDiag, dense } = ctx;
  const A = ctx.A / 4;
  for (let i = start; i < end; i++) {
    const p = A + i * N;
    const o = i * n;
    for (let j = 0; j < n; j++) dense[o + j] = -f[p + j] * invDiag[j];
    dense[o + i] = 0;
  }
}

let scratch: { w: Float32Array; mag: Float32Array; select: Float32Array; picked: Int32Array } | undefined;

/**
 * Worker kernel: rows [start, end) of B pruned to their k largest |B_ij| (j != i), strongest
 * first (ties by title index), so that a prefix of a row is that row pruned to fewer.
 */
export function easePrunedRows(ctx: EaseWeightsContext, start: number, end: number): void {
  const f = new Float32Array(ctx.memory.buffer);
  const { n, N, invDiag, k, neighbors, values } = ctx;
  const A = ctx.A / 4;
  if (!scratch || scratch.w.length < n || scratch.picked.length < k) {
    scratch = { w: new Float32Array(n), mag: new Float32Array(n), select: new Float32Array(n), picked: new Int32Array(k) };
  }
  const { w, mag, select, picked } = scratch;
  for (let i = start; i < end; i++) {
    const p = A + i * N;
    for (let j = 0; j < n; j++) {
      const v = -f[p + j] * invDiag[j];
      w[j] = v;
      mag[j] = v < 0 ? -v : v;
    }
    w[i] = 0;
    mag[i] = -1; // never picked
    select.set(mag.subarray(0, n));
    const threshold = kthLargest(select.subarray(0, n), k);
    let count = 0;
    for (let j = 0; j < n && count < k; j++) if (mag[j] > threshold) picked[count++] = j;
    for (let j = 0; j < n && count < k; j++) if (mag[j] === threshold && j !== i) picked[count++] = j;
    const row = picked.subarray(0, count).sort((a, b) => mag[b] - mag[a] || a - b);
    const o = i * k;
    for (let t = 0; t < count; t++) {
      neighbors[o + t] = row[t];
      values[o + t] = w[row[t]];
    }
  }
}

/** The k-th largest value of `a` (1-based k <= a.length); reorders `a`. Quickselect. */
export function kthLargest(a: Float32Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  const target = k - 1; // index in descending order
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    // median of three as the pivot
    const x = a[lo];
    const y = a[mid];
    const z = a[hi];
    const pivot = x > y ? (y > z ? y : x > z ? z : x) : x > z ? x : y > z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] > pivot) i++;
      while (a[j] < pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return a[target];
  }
  return a[target];
}
