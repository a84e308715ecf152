/**
 * Statistics for experiments, pure functions over per-viewer outcomes (no database, no GraphQL).
 *
 * Viewers are what an experiment randomises, so every figure here is per viewer. A viewer's
 * outcome is a pair (numerator, denominator): for CTR (clicks, impressions), for play rate
 * (plays, impressions), for watch-through (finishes, plays). An arm's rate is the ratio of the
 * sums, sum(num) / sum(den), and its variance comes from the delta method over viewers, which
 * accounts for one viewer's impressions being correlated (a per-impression binomial variance
 * would be too small and give false positives).
 *
 * API:
 * - `RatioMoments` (+ `emptyMoments`, `addOutcome`, `removeOutcome`, `momentsOf`): the six sums
 *   that are sufficient for everything below, so a caller can keep them incrementally or get them
 *   from SQL (`count(*), sum(x), sum(y), sum(x*x), sum(y*y), sum(x*y)` over viewers).
 * - `summarise(moments)`: the arm's rate and its delta-method variance.
 * - `compare(treatment, control, { tau })`: the difference treatment - control, its 95 %
 *   interval, the fixed-horizon two-sided p-value (valid only if looked at once), and the mSPRT
 *   likelihood ratio whose inverse is an always-valid p-value at this look.
 * - `SequentialTest`: the always-valid p-value over a sequence of looks (the running minimum of
 *   1 / Lambda), which may be peeked at after every look without inflating false positives.
 * - `normalCdf`, `normalQuantile`: the standard normal.
 *
 * mSPRT (Johari, Koomen, Pekelis, Walsh, "Peeking at A/B tests", KDD 2017, and "Always valid
 * inference", Operations Research 2022): with the difference estimate d and its variance V, and a
 * normal mixture N(0, tau^2) over the true difference, the mixture likelihood ratio is
 *   Lambda = sqrt(V / (V + tau^2)) * exp(tau^2 d^2 / (2 V (V + tau^2))),
 * and p_n = min(p_{n-1}, 1 / Lambda_n) is an always-valid p-value: P(ever p_n <= alpha) <= alpha
 * under no difference, however often one looks. tau is the scale of the differences one expects,
 * in the metric's own units; `DEFAULT_MSPRT_TAU` (0.02, i.e. two points of play rate) unless the
 * caller knows better. A small tau detects small effects sooner and large ones later.
 */

/** z for a two-sided 95 % interval. */
export const Z95 = 1.959963984540054;

/** The mixture's standard deviation over the true difference, in the metric's units (a rate). */
export const DEFAULT_MSPRT_TAU = 0.02;

/** Sufficient statistics of per-viewer (numerator x, denominator y) pairs. */
export interface RatioMoments {
  /** Viewers (those with a denominator > 0 should be the only ones added). */
  n: number;
  sumX: number;
  sumY: number;
  sumXX: number;
  sumYY: number;
  sumXY: number;
}

export function emptyMoments(): RatioMoments {
  return { n: 0, sumX: 0, sumY: 0, sumXX: 0, sumYY: 0, sumXY: 0 };
}

/** Adds one viewer's outcome (x successes out of y trials) to `m`, in place. */
export function addOutcome(m: RatioMoments, x: number, y: number): RatioMoments {
  m.n += 1;
  m.sumX += x;
  m.sumY += y;
  m.sumXX += x * x;
  m.sumYY += y * y;
  m.sumXY += x * y;
  return m;
}

/** Takes one viewer's earlier outcome out of `m`, in place (to replace it with a newer one). */
export function removeOutcome(m: RatioMoments, x: number, y: number): RatioMoments {
  m.n -= 1;
  m.sumX -= x;
  m.sumY -= y;
  m.sumXX -= x * x;
  m.sumYY -= y * y;
  m.sumXY -= x * y;
  return m;
}

export function momentsOf(outcomes: Iterable<{ numerator: number; denominator: number }>): RatioMoments {
  const m = emptyMoments();
  for (const o of outcomes) addOutcome(m, o.numerator, o.denominator);
  return m;
}

/** An arm's ratio and the delta-method variance of that ratio (NaN-free: 0 without data). */
export interface RatioSummary {
  viewers: number;
  numerator: number;
  denominator: number;
  /** sum(x) / sum(y); 0 when sum(y) is 0. */
  rate: number;
  /** Var(rate) by the delta method; Infinity with fewer than 2 viewers (nothing is known). */
  variance: number;
}

/**
 * Delta method for R = mean(x) / mean(y) over n viewers:
 *   Var(R) ~ (s_xx - 2 R s_xy + R^2 s_yy) / (n mean(y)^2),
 * with the sample (n - 1) variances and covariance. With one trial per viewer (y = 1) it is the
 * plain s^2 / n of the viewers' outcomes.
 */
export function summarise(m: RatioMoments): RatioSummary {
  const { n } = m;
  const rate = m.sumY > 0 ? m.sumX / m.sumY : 0;
  if (n < 2 || m.sumY <= 0) return { viewers: n, numerator: m.sumX, denominator: m.sumY, rate, variance: Infinity };
  const meanX = m.sumX / n;
  const meanY = m.sumY / n;
  const sxx = (m.sumXX - n * meanX * meanX) / (n - 1);
  const syy = (m.sumYY - n * meanY * meanY) / (n - 1);
  const sxy = (m.sumXY - n * meanX * meanY) / (n - 1);
  const variance = Math.max(0, (sxx - 2 * rate * sxy + rate * rate * syy) / (n * meanY * meanY));
  return { viewers: n, numerator: m.sumX, denominator: m.sumY, rate, variance };
}

/** Treatment against control. */
export interface Comparison {
  /** treatment.rate - control.rate */
  difference: number;
  standardError: number;
  /** 95 % interval of the difference (normal approximation, fixed horizon). */
  low: number;
  high: number;
  /** Two-sided fixed-horizon p-value: valid only if the experiment is read once, at its end. */
  pValue: number;
  /** mSPRT mixture likelihood ratio at this look (1 without data). */
  likelihoodRatio: number;
  /** min(1, 1 / likelihoodRatio): an always-valid p-value for this look alone; see SequentialTest. */
  msprtPValue: number;
}

export function compare(treatment: RatioSummary, control: RatioSummary, options: { tau?: number } = {}): Comparison {
  const tau = options.tau ?? DEFAULT_MSPRT_TAU;
  const difference = treatment.rate - control.rate;
  const variance = treatment.variance + control.variance;
  if (!Number.isFinite(variance)) {
    return { difference, standardError: Infinity, low: -Infinity, high: Infinity, pValue: 1, likelihoodRatio: 1, msprtPValue: 1 };
  }
  const standardError = Math.sqrt(variance);
  let pValue: number;
  if (standardError === 0) pValue = difference === 0 ? 1 : 0;
  else pValue = Math.min(1, 2 * normalCdf(-Math.abs(difference) / standardError));
  const likelihoodRatio = msprtLikelihoodRatio(difference, variance, tau);
  return {
    difference,
    standardError,
    low: difference - Z95 * standardError,
    high: difference + Z95 * standardError,
    pValue,
    likelihoodRatio,
    msprtPValue: Math.min(1, 1 / likelihoodRatio),
  };
}

/**
 * The normal-mixture SPRT likelihood ratio of "difference ~ N(theta, V), theta ~ N(0, tau^2)"
 * against "theta = 0", for an estimate `d` with variance `variance`.
 */
export function msprtLikelihoodRatio(d: number, variance: number, tau: number): number {
  if (!(variance > 0)) return d === 0 || !Number.isFinite(variance) ? 1 : Infinity;
  const t2 = tau * tau;
  const logLambda = 0.5 * Math.log(variance / (variance + t2)) + (t2 * d * d) / (2 * variance * (variance + t2));
  return Math.exp(logLambda);
}

/**
 * An always-valid p-value over a sequence of looks at a growing experiment: feed each look's
 * comparison (or its likelihood ratio) in time order; `pValue` is the running minimum of
 * 1 / Lambda, so declaring "different" the first time it drops below alpha keeps the chance of a
 * false declaration at or below alpha however often one looks.
 */
export class SequentialTest {
  private p = 1;

  look(comparison: Pick<Comparison, "likelihoodRatio">): number {
    const lambda = comparison.likelihoodRatio;
    if (lambda > 0) this.p = Math.min(this.p, 1 / lambda);
    return this.p;
  }

  get pValue(): number {
    return this.p;
  }
}

/**
 * The standard normal CDF, from erfc by W. J. Cody's rational approximations (as in Hart et
 * al.; the spec checks relative error below 1e-12 down to z = -10); written here, not taken from a library,
 * because it is this one function.
 */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z === Infinity) return 1;
  if (z === -Infinity) return 0;
  const x = -z / Math.SQRT2;
  // Phi(z) = erfc(-z / sqrt 2) / 2
  return 0.5 * erfc(x);
}

/** erfc(x) by Cody (1969), "Rational Chebyshev approximations for the error function". */
function erfc(x: number): number {
  const ax = Math.abs(x);
  let result: number;
  if (ax < 0.5) {
    const t = x * x;
    const top = (((0.18577770618460315 * t + 3.1611237438705655) * t + 113.86415415105016) * t + 377.485237685302) * t + 3209.3775891384694;
    const bot = (((t + 23.601290952344122) * t + 244.02463793444417) * t + 1282.6165260773723) * t + 2844.236833439171;
    return 1 - (x * top) / bot;
  } else if (ax < 4) {
    const c = [0.5641884969886701, 8.883149794388377, 66.11919063714163, 298.6351381974001, 881.952221241769, 1712.0476126340707, 2051.0783778260716, 1230.3393547979972, 2.1531153547440383e-08];
    const d = [15.744926110709835, 117.6939508913125, 537.1811018620099, 1621.3895745666903, 3290.7992357334597, 4362.619090143247, 3439.3676741437216, 1230.3393548037495];
    let top = c[8] * ax;
    let bot = ax;
    for (let i = 0; i < 7; i++) {
      top = (top + c[i]) * ax;
      bot = (bot + d[i]) * ax;
    }
    result = (Math.exp(-ax * ax) * (top + c[7])) / (bot + d[7]);
  } else {
    const z = 1 / (ax * ax);
    const top = ((((0.016315387137302097 * z + 0.30532663496123236) * z + 0.36034489994980445) * z + 0.12578172611122926) * z + 0.016083785148742275) * z + 0.0006587491615298378;
    const bot = ((((z + 2.568520192289822) * z + 1.8729528499234673) * z + 0.5279051029514285) * z + 0.06051834131244132) * z + 0.0023352049762686918;
    const r = (z * top) / bot;
    result = (Math.exp(-ax * ax) / ax) * (1 / Math.sqrt(Math.PI) - r);
  }
  return x < 0 ? 2 - result : result;
}

/** The standard normal quantile (Acklam's algorithm with one Newton step on normalCdf). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  let x: number;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - 0.02425) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const e = normalCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}
