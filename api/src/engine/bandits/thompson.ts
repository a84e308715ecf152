import type { Random } from "../synthetic/random";

/** What Thompson sampling chose for k slots, and how likely the policy was to choose it. */
export interface ThompsonChoice {
  /** Candidate indices for slots 0..k-1 (fewer when there are fewer candidates). */
  readonly chosen: Int32Array;
  /**
   * Estimated probability that the policy puts chosen[j] in slot j, by Monte Carlo: the share of
   * `samples` further independent rounds of the same sampling that put it there, counting the
   * round that was served ((hits + 1) / (samples + 1), so never 0). Standard error at most
   * 0.5 / sqrt(samples + 1).
   */
  readonly propensity: Float64Array;
}

function beta(random: Random, a: number, b: number): number {
  const x = random.gamma(a);
  return x / (x + random.gamma(b));
}

/** Draws one theta per candidate and writes the indices of the k largest into `out`, best first. */
function drawTopK(alpha: Float64Array, betas: Float64Array, k: number, random: Random, theta: Float64Array, out: Int32Array): void {
  const n = alpha.length;
  for (let i = 0; i < n; i++) theta[i] = beta(random, alpha[i], betas[i]);
  for (let j = 0; j < k; j++) {
    let best = -1;
    for (let i = 0; i < n; i++) {
      if (best >= 0 && !(theta[i] > theta[best])) continue;
      let taken = false;
      for (let t = 0; t < j; t++) if (out[t] === i) taken = true;
      if (!taken) best = i;
    }
    out[j] = best;
  }
}

/**
 * Thompson sampling for k slots over candidates with Beta(alpha_i, beta_i) posteriors of their
 * click rate: one draw each, the k highest win, in order. Titles whose rate is uncertain (few
 * impressions) draw widely and so get shown; titles known to be clicked rarely stop winning.
 * Thompson sampling has no closed-form propensity; it is estimated by Monte Carlo (see
 * ThompsonChoice.propensity), so that logs of explored slots can evaluate other policies.
 */
export function thompsonSlots(alpha: Float64Array, betas: Float64Array, k: number, random: Random, samples: number): ThompsonChoice {
  const slots = Math.min(k, alpha.length);
  const chosen = new Int32Array(slots);
  const propensity = new Float64Array(slots);
  if (slots === 0) return { chosen, propensity };
  const theta = new Float64Array(alpha.length);
  drawTopK(alpha, betas, slots, random, theta, chosen);
  const round = new Int32Array(slots);
  const hits = new Int32Array(slots);
  for (let s = 0; s < samples; s++) {
    drawTopK(alpha, betas, slots, random, theta, round);
    for (let j = 0; j < slots; j++) if (round[j] === chosen[j]) hits[j]++;
  }
  for (let j = 0; j < slots; j++) propensity[j] = (hits[j] + 1) / (samples + 1);
  return { chosen, propensity };
}
