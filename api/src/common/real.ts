/**
 * Numbers bound for Postgres `real` columns. Postgres refuses (as an error, not by rounding) a
 * value whose magnitude is outside float4's normal range, e.g. 1e-40 ("underflow") or 1e39
 * ("overflow"), so a client's 5e-324 used to fail the whole write as an internal error. Values
 * are rounded to a precision nobody can see instead: a millionth of a fraction, a millisecond.
 */
export function storableFraction(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** Longest playback position taken, in seconds (about 116 days: past any title, well inside `real`). */
export const MAX_POSITION_SECONDS = 10_000_000;

export function storableSeconds(value: number): number {
  return Math.round(value * 1000) / 1000;
}
