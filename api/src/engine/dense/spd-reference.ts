/**
 * The float64 reference inverse in plain JavaScript (one thread): Cholesky (dot-product form,
 * row blocks of 32), the transposed triangular inverse and P = (L⁻¹)ᵀ L⁻¹. Slow (minutes at
 * 5,000); kept as the accuracy reference the WebAssembly float32 inverse is tested against.
 */
import { ParameterError } from "../algorithms/common";

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
