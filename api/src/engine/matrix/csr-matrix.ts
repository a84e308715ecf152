/**
 * Compressed sparse row matrix over typed arrays: row r's entries are
 * indices[indptr[r] .. indptr[r+1]) with values data[...] (column indices sorted ascending).
 * Rows are viewers and columns titles unless a function says otherwise.
 */
export interface CsrMatrix {
  readonly nRows: number;
  readonly nCols: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly data: Float32Array;
}

/** One sparse row: a viewer's history as title indices with their scores. */
export interface SparseRow {
  readonly indices: Int32Array;
  readonly data: Float32Array;
  /**
   * Unix seconds of each title's latest event, parallel to `indices`, when known: models with a
   * recency half-life (matrix/recency.ts) weigh recent titles more; without it every title
   * weighs as if just watched.
   */
  readonly times?: Float64Array;
}

export function row(m: CsrMatrix, r: number): SparseRow {
  const start = m.indptr[r];
  const end = m.indptr[r + 1];
  return { indices: m.indices.subarray(start, end), data: m.data.subarray(start, end) };
}

/** Row r with the event times of a matrix whose entries have them (InteractionMatrix.lastEventAt). */
export function rowWithTimes(m: CsrMatrix, times: Float64Array | undefined, r: number): SparseRow {
  const start = m.indptr[r];
  const end = m.indptr[r + 1];
  return { indices: m.indices.subarray(start, end), data: m.data.subarray(start, end), times: times?.subarray(start, end) };
}

export function nnz(m: CsrMatrix): number {
  return m.indptr[m.nRows];
}

/**
 * Builds a CSR matrix from coordinate triples. Duplicate (row, col) pairs are summed.
 * Runs in O(nnz + nRows) with one counting pass; no per-element objects.
 */
export function fromCoo(
  nRows: number,
  nCols: number,
  rows: Int32Array,
  cols: Int32Array,
  values: Float32Array,
  length = rows.length,
): CsrMatrix {
  const indptr = new Int32Array(nRows + 1);
  for (let i = 0; i < length; i++) indptr[rows[i] + 1]++;
  for (let r = 0; r < nRows; r++) indptr[r + 1] += indptr[r];
  const cursor = indptr.slice(0, nRows);
  const indices = new Int32Array(length);
  const data = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    const at = cursor[rows[i]]++;
    indices[at] = cols[i];
    data[at] = values[i];
  }
  return sortAndMergeRows({ nRows, nCols, indptr, indices, data });
}

/** Sorts each row by column index and sums duplicates, compacting in place into new arrays. */
function sortAndMergeRows(m: CsrMatrix): CsrMatrix {
  const { nRows, indptr, indices, data } = m;
  const outPtr = new Int32Array(nRows + 1);
  let out = 0;
  let order = new Int32Array(16);
  const tmpIdx = new Int32Array(indices.length);
  const tmpVal = new Float32Array(indices.length);
  for (let r = 0; r < nRows; r++) {
    const start = indptr[r];
    const len = indptr[r + 1] - start;
    if (order.length < len) order = new Int32Array(len * 2);
    for (let j = 0; j < len; j++) order[j] = start + j;
    const view = order.subarray(0, len);
    view.sort((a, b) => indices[a] - indices[b]);
    let last = -1;
    for (let j = 0; j < len; j++) {
      const at = view[j];
      if (indices[at] === last) {
        tmpVal[out - 1] += data[at];
      } else {
        tmpIdx[out] = indices[at];
        tmpVal[out] = data[at];
        last = indices[at];
        out++;
      }
    }
    outPtr[r + 1] = out;
  }
  return {
    nRows,
    nCols: m.nCols,
    indptr: outPtr,
    indices: tmpIdx.slice(0, out),
    data: tmpVal.slice(0, out),
  };
}

/** Transpose (CSR of the transpose = CSC of the original). O(nnz). */
export function transpose(m: CsrMatrix): CsrMatrix {
  const total = nnz(m);
  const indptr = new Int32Array(m.nCols + 1);
  for (let i = 0; i < total; i++) indptr[m.indices[i] + 1]++;
  for (let c = 0; c < m.nCols; c++) indptr[c + 1] += indptr[c];
  const cursor = indptr.slice(0, m.nCols);
  const indices = new Int32Array(total);
  const data = new Float32Array(total);
  for (let r = 0; r < m.nRows; r++) {
    for (let p = m.indptr[r]; p < m.indptr[r + 1]; p++) {
      const at = cursor[m.indices[p]]++;
      indices[at] = r;
      data[at] = m.data[p];
    }
  }
  return { nRows: m.nCols, nCols: m.nRows, indptr, indices, data };
}
