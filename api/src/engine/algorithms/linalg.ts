/**
 * Small dense linear algebra in Float64 for per-request work (fold-in, explain): f x f systems
 * with f = the factor count, row-major.
 */

/**
 * In-place Cholesky factorisation A = L Lᵀ of the n x n symmetric positive definite `a` (lower
 * triangle read and overwritten with L). Returns false if A is not positive definite.
 */
export function cholesky(a: Float64Array, n: number): boolean {
  return choleskyPivot(a, n) < 0;
}

/** `cholesky`, returning the row of the first non-positive pivot, or -1 when A is positive definite. */
export function choleskyPivot(a: Float64Array, n: number): number {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let diag = a[rj + j];
    for (let k = 0; k < j; k++) diag -= a[rj + k] * a[rj + k];
    if (!(diag > 0)) return j;
    const ljj = Math.sqrt(diag);
    a[rj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = a[ri + j];
      for (let k = 0; k < j; k++) s -= a[ri + k] * a[rj + k];
      a[ri + j] = s / ljj;
    }
  }
  return -1;
}

/** Solves L Lᵀ x = b in place (b becomes x), L from `cholesky`. */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[ri + k] * b[k];
    b[i] = s / l[ri + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * b[k];
    b[i] = s / l[i * n + i];
  }
}

/** out (n x n, Float64) = Σ_rows v vᵀ over the first `rows` rows of the row-major `m` (stride n). */
export function gramMatrix(m: Float32Array, rows: number, n: number): Float64Array {
  const g = new Float64Array(n * n);
  const v = new Float64Array(n);
  for (let r = 0; r < rows; r++) {
    const o = r * n;
    for (let i = 0; i < n; i++) v[i] = m[o + i];
    for (let i = 0; i < n; i++) {
      const vi = v[i];
      if (vi === 0) continue;
      const gi = i * n;
      for (let j = 0; j <= i; j++) g[gi + j] += vi * v[j];
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) g[j * n + i] = g[i * n + j];
  return g;
}
