import { fromCoo, row, type SparseRow } from "../matrix/csr-matrix";
import { IdIndex } from "../matrix/id-index";
import type { InteractionMatrix } from "../matrix/interaction-matrix";
import { fromGenreBitmasks } from "../matrix/item-features";

/**
 * A block ("checkerboard") matrix whose right answers are known: viewers v0..v(2B-1) in two
 * taste groups of `groupSize`; group A watches titles t0..t(B-1), group B titles tB..t(2B-1).
 * Viewer u of a group skips exactly one title of its block (title u mod B of the block), so
 * every model that learns the blocks must recommend that title first. One viewer of group B
 * also disliked one title of block A (score -1): it must never count as a positive.
 * Titles carry a genre per block (for the content model) and timestamps (for Trending: block B is
 * more recent).
 */
export interface BlockFixture {
  readonly data: InteractionMatrix;
  readonly blockSize: number;
  readonly groupSize: number;
  /** The title each training viewer skipped (the right first recommendation). */
  readonly skipped: Int32Array;
  /** Block (0 = A, 1 = B) of each title and each viewer. */
  readonly itemBlock: Int32Array;
  readonly userBlock: Int32Array;
  history(user: number): SparseRow;
}

export function blockFixture(blockSize = 6, groupSize = 12): BlockFixture {
  const nUsers = 2 * groupSize;
  const nItems = 2 * blockSize;
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  const times: number[] = [];
  const skipped = new Int32Array(nUsers);
  const userBlock = new Int32Array(nUsers);
  const itemBlock = new Int32Array(nItems);
  for (let i = 0; i < nItems; i++) itemBlock[i] = i < blockSize ? 0 : 1;
  for (let u = 0; u < nUsers; u++) {
    const block = u < groupSize ? 0 : 1;
    userBlock[u] = block;
    skipped[u] = block * blockSize + (u % blockSize);
    for (let j = 0; j < blockSize; j++) {
      const item = block * blockSize + j;
      if (item === skipped[u]) continue;
      rows.push(u);
      cols.push(item);
      // Scores vary so that weighted models see more than ones; all positive.
      vals.push(1 + ((u + j) % 3));
      times.push(1_700_000_000 + block * 30 * 86400 + u * 60 + j);
    }
  }
  // A dislike across the blocks: must not turn title 0 into a group-B title.
  rows.push(nUsers - 1);
  cols.push(0);
  vals.push(-1);
  times.push(1_700_000_000);
  const users = IdIndex.from(Array.from({ length: nUsers }, (_, u) => `v${u}`));
  const items = IdIndex.from(Array.from({ length: nItems }, (_, i) => `t${i}`));
  const scores = fromCoo(nUsers, nItems, Int32Array.from(rows), Int32Array.from(cols), Float32Array.from(vals));
  // fromCoo sorts each row by title; rebuild the timestamps in that order.
  const lastEventAt = new Float64Array(scores.data.length);
  for (let t = 0; t < rows.length; t++) {
    const r = rows[t];
    for (let p = scores.indptr[r]; p < scores.indptr[r + 1]; p++) if (scores.indices[p] === cols[t]) lastEventAt[p] = times[t];
  }
  const genreMasks = new Uint32Array(nItems);
  for (let i = 0; i < nItems; i++) genreMasks[i] = itemBlock[i] === 0 ? 0b01 : 0b10;
  // Two extra titles nobody has watched, one per genre: only the content model knows them.
  const featureIds = [...items.toArray(), "new-A", "new-B"];
  const featureMasks = Uint32Array.from([...genreMasks, 0b01, 0b10]);
  const data: InteractionMatrix = {
    users,
    items,
    scores,
    lastEventAt,
    itemFeatures: fromGenreBitmasks(featureIds, featureMasks, ["Drama", "Comedy"]),
  };
  return { data, blockSize, groupSize, skipped, itemBlock, userBlock, history: (u) => row(scores, u) };
}

/** The same shape with no interactions at all (fitting must be refused). */
export function emptyMatrix(): InteractionMatrix {
  const users = IdIndex.from(["v0"]);
  const items = IdIndex.from(["t0"]);
  return {
    users,
    items,
    scores: { nRows: 1, nCols: 1, indptr: new Int32Array(2), indices: new Int32Array(0), data: new Float32Array(0) },
    lastEventAt: new Float64Array(0),
  };
}
