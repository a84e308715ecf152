import { fromCoo, type CsrMatrix } from "../engine/matrix/csr-matrix";
import type { InteractionMatrix } from "../engine/matrix/interaction-matrix";
import type { RankingSplit } from "../engine/evaluation/split";
import { temporalSplit } from "../engine/synthetic/temporal-split";

/**
 * The live events' validation split: the same temporal per-viewer protocol as the shared
 * splits (latest 20% of each viewer's positives held out), over the loaded score matrix, in
 * the matrix's own id space. Returns null when there is nothing to hold out (a tiny catalog).
 */
export function liveHoldout(data: InteractionMatrix): RankingSplit | null {
  const split = temporalSplit(data);
  if (split.test.length === 0) return null;
  const { scores } = data;
  const rowOf = rowsOfPositions(scores);
  const train = subMatrix(scores, rowOf, split.train, data.lastEventAt);
  const ones = (n: number) => new Float32Array(n).fill(1);
  const seen = subMatrix({ ...scores, data: ones(scores.data.length) }, rowOf, split.train);
  const test = subMatrix({ ...scores, data: ones(scores.data.length) }, rowOf, split.test);
  const inTrain = new Uint8Array(scores.nCols);
  for (let i = 0; i < train.matrix.indices.length; i++) inTrain[train.matrix.indices[i]] = 1;
  return {
    train: { users: data.users, items: data.items, scores: train.matrix, lastEventAt: train.times, itemFeatures: data.itemFeatures },
    truth: { nItems: scores.nCols, train: seen.matrix, test: test.matrix, inTrain },
  };
}

function rowsOfPositions(m: CsrMatrix): Int32Array {
  const rowOf = new Int32Array(m.indices.length);
  for (let r = 0; r < m.nRows; r++) rowOf.fill(r, m.indptr[r], m.indptr[r + 1]);
  return rowOf;
}

function subMatrix(m: CsrMatrix, rowOf: Int32Array, positions: Int32Array, times?: Float64Array): { matrix: CsrMatrix; times?: Float64Array } {
  const n = positions.length;
  const rows = new Int32Array(n);
  const cols = new Int32Array(n);
  const vals = new Float32Array(n);
  // Positions are ordered by viewer and time; fromCoo re-sorts each row by title, so carry
  // each entry's time through the same order by building from position-sorted triples.
  const order = Int32Array.from(positions).sort();
  for (let i = 0; i < n; i++) {
    const p = order[i];
    rows[i] = rowOf[p];
    cols[i] = m.indices[p];
    vals[i] = m.data[p];
  }
  const matrix = fromCoo(m.nRows, m.nCols, rows, cols, vals);
  if (!times) return { matrix };
  // Source positions are already sorted by (row, title) and unique, so the CSR order is `order`.
  const subTimes = new Float64Array(n);
  for (let i = 0; i < n; i++) subTimes[i] = times[order[i]];
  return { matrix, times: subTimes };
}
