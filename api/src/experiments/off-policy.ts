/**
 * Off-policy evaluation: a candidate policy's play rate, estimated from logged explored slots
 * before it ever serves (inverse propensity scoring, as the Open Bandit Pipeline does).
 *
 * Only explored slots carry information about other choices: a greedy slot was chosen with
 * probability 1, so it says nothing about titles the logging policy never tried there.
 *
 * Position bias (a position-based model): P(play) = examination(position) * relevance(title, viewer).
 * Examination is fitted from the logs themselves, not from any simulator: the play rate of the
 * explored slots at each item position, smoothed toward the overall explored play rate, relative
 * to the frontmost logged position (explored slots are spread over the row, so position 0 is
 * usually greedy). Each reward is divided by its position's examination, so the estimates are
 * play rates "as if shown at the frontmost explored position". Since explored titles are drawn the
 * same way whatever their slot, the per-position play-rate ratio is an estimate of examination.
 */

/** One logged explored slot. */
export interface LoggedSlot {
  /** Context: who was served. */
  readonly viewer: string;
  /** The title the logging policy put in the slot. */
  readonly movieId: number;
  /** The slot's position in its row (0 = first). */
  readonly itemPosition: number;
  /** Probability that the logging policy chose this title for this slot (0 < p <= 1). */
  readonly propensity: number;
  /** Reward: played within the attribution window. */
  readonly played: boolean;
}

export interface OffPolicyOptions {
  /** Importance weights are clipped at this (default 20): less variance, some bias toward the logging policy's value. */
  readonly maxWeight?: number;
  /** Strength, in slots, of the smoothing of each position's play rate toward the overall one (default 20). */
  readonly positionPrior?: number;
  /** Smallest examination a position may get (default 0.05): keeps a sparse deep position from blowing rewards up. */
  readonly minExamination?: number;
  /** Divide position bias out (default true). */
  readonly positionCorrection?: boolean;
}

export interface Interval {
  readonly value: number;
  readonly low: number;
  readonly high: number;
}

export interface OffPolicyEstimateResult {
  /** Inverse propensity scoring: mean of w * r, normal-approximation 95 % interval. */
  readonly ips: Interval;
  /** Self-normalised IPS: sum(w r) / sum(w), delta-method 95 % interval; null when every weight is 0. */
  readonly snips: Interval | null;
  /** (sum w)^2 / sum w^2: how many logged slots the estimate is worth. */
  readonly effectiveSampleSize: number;
  readonly slots: number;
  /** Weights that hit OffPolicyOptions.maxWeight. */
  readonly clippedWeights: number;
  /** The logging policy's own play rate on these slots (raw, no position correction). */
  readonly loggedPlayRate: number;
  /** Examination by item position (relative to the frontmost logged position). */
  readonly examination: ReadonlyMap<number, number>;
}

const Z95 = 1.959963984540054;

/**
 * Examination per item position, from the explored slots' play rates: rate(p) smoothed toward
 * the overall rate with `prior` pseudo-slots, over the frontmost position's, capped to [min, 1].
 */
export function positionExamination(slots: readonly LoggedSlot[], prior = 20, min = 0.05): Map<number, number> {
  const byPosition = new Map<number, { n: number; plays: number }>();
  let plays = 0;
  for (const s of slots) {
    const c = byPosition.get(s.itemPosition) ?? { n: 0, plays: 0 };
    c.n++;
    if (s.played) {
      c.plays++;
      plays++;
    }
    byPosition.set(s.itemPosition, c);
  }
  const result = new Map<number, number>();
  if (slots.length === 0) return result;
  const overall = plays / slots.length;
  const rate = (c: { n: number; plays: number }) => (c.plays + prior * overall) / (c.n + prior);
  const positions = [...byPosition.keys()].sort((a, b) => a - b);
  const reference = rate(byPosition.get(positions[0])!);
  for (const p of positions) {
    result.set(p, reference > 0 ? Math.min(1, Math.max(min, rate(byPosition.get(p)!) / reference)) : 1);
  }
  return result;
}

/**
 * IPS and SNIPS estimates of a target policy's play rate. `target[i]` is the target policy's
 * probability of choosing slots[i].movieId for that slot (same order as `slots`).
 */
export function offPolicyEstimate(slots: readonly LoggedSlot[], target: readonly number[], options: OffPolicyOptions = {}): OffPolicyEstimateResult {
  if (target.length !== slots.length) throw new RangeError(`target has ${target.length} probabilities for ${slots.length} slots`);
  const maxWeight = options.maxWeight ?? 20;
  if (!(maxWeight > 0)) throw new RangeError("maxWeight must be positive");
  const examination = options.positionCorrection === false ? new Map<number, number>() : positionExamination(slots, options.positionPrior, options.minExamination);
  const n = slots.length;
  const w = new Float64Array(n);
  const r = new Float64Array(n);
  let clipped = 0;
  let played = 0;
  slots.forEach((s, i) => {
    if (!(s.propensity > 0 && s.propensity <= 1)) throw new RangeError(`slot ${i}: propensity ${s.propensity} is not in (0, 1]`);
    const pi = target[i];
    if (!(pi >= 0 && pi <= 1)) throw new RangeError(`slot ${i}: target probability ${pi} is not in [0, 1]`);
    const raw = pi / s.propensity;
    if (raw > maxWeight) clipped++;
    w[i] = Math.min(raw, maxWeight);
    r[i] = s.played ? 1 / (examination.get(s.itemPosition) ?? 1) : 0;
    if (s.played) played++;
  });
  if (n === 0) {
    return { ips: { value: 0, low: 0, high: 0 }, snips: null, effectiveSampleSize: 0, slots: 0, clippedWeights: 0, loggedPlayRate: 0, examination };
  }
  let sumW = 0;
  let sumW2 = 0;
  let sumWR = 0;
  for (let i = 0; i < n; i++) {
    sumW += w[i];
    sumW2 += w[i] * w[i];
    sumWR += w[i] * r[i];
  }
  // IPS: the mean of w r, its standard error from the sample variance.
  const ips = sumWR / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (w[i] * r[i] - ips) ** 2;
  const ipsSe = n > 1 ? Math.sqrt(ss / (n - 1) / n) : 0;
  // SNIPS: a ratio estimator; delta method: se = sqrt(sum w^2 (r - V)^2) / sum w.
  let snips: Interval | null = null;
  if (sumW > 0) {
    const v = sumWR / sumW;
    let dd = 0;
    for (let i = 0; i < n; i++) dd += (w[i] * (r[i] - v)) ** 2;
    const se = Math.sqrt(dd) / sumW;
    snips = { value: v, low: v - Z95 * se, high: v + Z95 * se };
  }
  return {
    ips: { value: ips, low: ips - Z95 * ipsSe, high: ips + Z95 * ipsSe },
    snips,
    effectiveSampleSize: sumW2 > 0 ? (sumW * sumW) / sumW2 : 0,
    slots: n,
    clippedWeights: clipped,
    loggedPlayRate: played / n,
    examination,
  };
}
