import { selectTopK } from "./common";

/**
 * Worker kernel of item-kNN: the top-k cosine neighbours of titles [start, end), written into
 * shared fixed-width slots (row i owns out*[i*keep, i*keep + keep), counts[i] of them used).
 * Kept in its own small module so worker threads load only what the kernel needs.
 */
export interface NeighbourContext {
  readonly [key: string]: number | Int32Array | Float32Array | Float64Array;
  readonly n: number;
  readonly keep: number;
  readonly shrinkage: number;
  readonly xIndptr: Int32Array;
  readonly xIndices: Int32Array;
  readonly xData: Float32Array;
  readonly tIndptr: Int32Array;
  readonly tIndices: Int32Array;
  readonly tData: Float32Array;
  readonly norms: Float64Array;
  readonly outIndices: Int32Array;
  readonly outValues: Float32Array;
  readonly counts: Int32Array;
}

export function itemKnnRows(ctx: NeighbourContext, start: number, end: number): void {
  const { n, keep, shrinkage, xIndptr, xIndices, xData, tIndptr, tIndices, tData, norms, outIndices, outValues, counts } = ctx;
  if (end <= start) return;
  // Scratch per block: dense accumulators over titles, reset through the touched list.
  const acc = new Float64Array(n);
  const sims = new Float64Array(n);
  const touched = new Int32Array(n);
  const mask = new Uint8Array(n);
  const order = new Int32Array(keep);
  for (let i = start; i < end; i++) {
    let nTouched = 0;
    for (let p = tIndptr[i]; p < tIndptr[i + 1]; p++) {
      const u = tIndices[p];
      const xi = tData[p];
      for (let q = xIndptr[u]; q < xIndptr[u + 1]; q++) {
        const j = xIndices[q];
        if (acc[j] === 0) touched[nTouched++] = j;
        acc[j] += xi * xData[q];
      }
    }
    for (let t = 0; t < nTouched; t++) {
      const j = touched[t];
      if (j !== i) sims[j] = acc[j] / (norms[i] * norms[j] + shrinkage);
      acc[j] = 0;
    }
    mask[i] = 1;
    const top = selectTopK(sims, keep, mask, undefined, 0);
    mask[i] = 0;
    for (let t = 0; t < nTouched; t++) sims[touched[t]] = 0;
    // Neighbour lists sorted by title index, so explain() can binary-search them.
    const m = top.items.length;
    for (let t = 0; t < m; t++) order[t] = t;
    order.subarray(0, m).sort((a, b) => top.items[a] - top.items[b]);
    const base = i * keep;
    for (let t = 0; t < m; t++) {
      outIndices[base + t] = top.items[order[t]];
      outValues[base + t] = top.scores[order[t]];
    }
    counts[i] = m;
  }
}
