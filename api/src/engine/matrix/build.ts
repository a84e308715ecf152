import type { CsrMatrix } from "./csr-matrix";

/**
 * Builds a CSR matrix from coordinate triples with a parallel timestamp per triple.
 * Duplicate (row, col) pairs are merged: values summed, timestamps maxed (the pair's latest
 * event), which is the shape `InteractionMatrix.lastEventAt` needs. O(nnz log rowLength).
 */
export function fromCooWithTimes(
  nRows: number,
  nCols: number,
  rows: Int32Array,
  cols: Int32Array,
  values: Float32Array,
  times: Float64Array,
  length = rows.length,
): { matrix: CsrMatrix; times: Float64Array } {
  const indptr = new Int32Array(nRows + 1);
  for (let i = 0; i < length; i++) indptr[rows[i] + 1]++;
  for (let r = 0; r < nRows; r++) indptr[r + 1] += indptr[r];
  const cursor = indptr.slice(0, nRows);
  const source = new Int32Array(length);
  for (let i = 0; i < length; i++) source[cursor[rows[i]]++] = i;

  const outPtr = new Int32Array(nRows + 1);
  const outIdx = new Int32Array(length);
  const outVal = new Float32Array(length);
  const outTime = new Float64Array(length);
  let out = 0;
  for (let r = 0; r < nRows; r++) {
    const view = source.subarray(indptr[r], indptr[r + 1]);
    view.sort((a, b) => cols[a] - cols[b] || a - b);
    let last = -1;
    for (let j = 0; j < view.length; j++) {
      const at = view[j];
      if (cols[at] === last) {
        outVal[out - 1] += values[at];
        if (times[at] > outTime[out - 1]) outTime[out - 1] = times[at];
      } else {
        outIdx[out] = cols[at];
        outVal[out] = values[at];
        outTime[out] = times[at];
        last = cols[at];
        out++;
      }
    }
    outPtr[r + 1] = out;
  }
  return {
    matrix: { nRows, nCols, indptr: outPtr, indices: outIdx.slice(0, out), data: outVal.slice(0, out) },
    times: outTime.slice(0, out),
  };
}
