import type { Candidate } from "../candidates/candidate";
import type { Eligible } from "../filters/eligibility";

/** Selection: the first `n` candidates that are still eligible (not shown in an earlier row, in the filter). */
export function take(pool: readonly Candidate[], n: number, eligible: Eligible): Candidate[] {
  const out: Candidate[] = [];
  for (const c of pool) {
    if (out.length === n) break;
    if (eligible(c.movieId)) out.push(c);
  }
  return out;
}
