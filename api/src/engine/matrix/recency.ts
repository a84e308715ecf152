import type { SparseRow } from "./csr-matrix";

/**
 * Recency weights: a viewer's recent events weigh more. Entry p of a row gets
 * 2^(-(latest - t_p) / halfLife), where `latest` is the newest event of the same row (the
 * viewer's own last activity, not the wall clock): a viewer back after a year still has its
 * last session at full weight, and a fitted model folds in a live history exactly as it saw the
 * training rows. `halfLifeDays` 0 turns the weighting off (every weight 1).
 */
export const SECONDS_PER_DAY = 86_400;

/** Weights for every entry of a CSR layout with per-entry event times (undefined: no weighting). */
export function recencyWeights(indptr: Int32Array, times: Float64Array | undefined, halfLifeDays: number): Float32Array | undefined {
  if (!(halfLifeDays > 0) || !times) return undefined;
  const out = new Float32Array(times.length);
  for (let r = 0; r + 1 < indptr.length; r++) fillRow(times, indptr[r], indptr[r + 1], halfLifeDays, out);
  return out;
}

/** Weights for one history (its `times`, when it carries them); undefined means all 1. */
export function historyRecency(history: SparseRow, halfLifeDays: number): Float32Array | undefined {
  if (!(halfLifeDays > 0) || !history.times) return undefined;
  if (history.times.length !== history.indices.length) {
    throw new RangeError(`history has ${history.indices.length} titles but ${history.times.length} event times`);
  }
  const out = new Float32Array(history.times.length);
  fillRow(history.times, 0, history.times.length, halfLifeDays, out);
  return out;
}

function fillRow(times: Float64Array, start: number, end: number, halfLifeDays: number, out: Float32Array): void {
  let latest = -Infinity;
  for (let p = start; p < end; p++) if (times[p] > latest) latest = times[p];
  const rate = 1 / (halfLifeDays * SECONDS_PER_DAY);
  for (let p = start; p < end; p++) out[p] = Math.pow(2, -(latest - times[p]) * rate);
}
