/**
 * Small, fast, seeded pseudo-random numbers for the engine (synthetic data, factor
 * initialisation). xoshiro128** (Blackman & Vigna) over 32-bit state, seeded through splitmix32
 * so that nearby seeds give unrelated streams. Deterministic across platforms: only 32-bit
 * integer arithmetic (Math.imul) feeds the state.
 */
export class Random {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;
  /** Second value of the last Box-Muller pair, used by the next normal() call. */
  private spare = NaN;

  constructor(seed: number, stream = 0) {
    this.reseed(seed, stream);
  }

  /**
   * Restarts the generator on (seed, stream). Streams give independent sequences for one seed,
   * so that e.g. viewer u's draws do not depend on how many viewers were generated before it.
   */
  reseed(seed: number, stream = 0): void {
    // Low and high 32 bits of the seed (seeds up to 2^53 stay distinct) and the stream, avalanched.
    let s = mix32((seed >>> 0) ^ mix32(((seed / 0x100000000) >>> 0) + 0x6a09e667));
    s = mix32(s ^ mix32(((stream >>> 0) + 0xbb67ae85) >>> 0));
    this.a = mix32((s = (s + 0x9e3779b9) >>> 0));
    this.b = mix32((s = (s + 0x9e3779b9) >>> 0));
    this.c = mix32((s = (s + 0x9e3779b9) >>> 0));
    this.d = mix32((s + 0x9e3779b9) >>> 0);
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
    this.spare = NaN;
  }

  /** Uniform uint32. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  float(): number {
    return this.nextUint32() / 0x100000000;
  }

  /** Uniform in (0, 1): safe for logarithms. */
  floatOpen(): number {
    return (this.nextUint32() + 0.5) / 0x100000000;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Standard normal (Box-Muller, both values used). */
  normal(): number {
    const spare = this.spare;
    if (spare === spare) {
      this.spare = NaN;
      return spare;
    }
    const r = Math.sqrt(-2 * Math.log(this.floatOpen()));
    const theta = 2 * Math.PI * this.float();
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /** Exponential with mean 1. */
  exponential(): number {
    return -Math.log(this.floatOpen());
  }

  /** Gamma(shape, 1) by Marsaglia & Tsang; shapes below 1 use the U^(1/shape) boost. */
  gamma(shape: number): number {
    if (shape < 1) return this.gamma(shape + 1) * Math.pow(this.floatOpen(), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.floatOpen();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /** Fisher-Yates permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** splitmix32 finaliser: a bijective avalanche of 32 bits. */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * Walker/Vose alias table: O(1) draws from a fixed discrete distribution. `weights` need not be
 * normalised; zero weights are never drawn (unless every weight is zero: then uniform).
 */
export class AliasTable {
  readonly size: number;
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;

  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    if (n === 0) throw new RangeError("AliasTable needs at least one weight");
    this.size = n;
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i];
      if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`AliasTable weight ${i} is ${w}; weights must be finite and >= 0`);
      total += w;
    }
    const scaled = new Float64Array(n);
    for (let i = 0; i < n; i++) scaled[i] = total > 0 ? (weights[i] * n) / total : 1;
    const small = new Int32Array(n);
    const large = new Int32Array(n);
    let ns = 0;
    let nl = 0;
    for (let i = 0; i < n; i++) {
      if (scaled[i] < 1) small[ns++] = i;
      else large[nl++] = i;
    }
    while (ns > 0 && nl > 0) {
      const s = small[--ns];
      const l = large[--nl];
      this.prob[s] = scaled[s];
      this.alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      if (scaled[l] < 1) small[ns++] = l;
      else large[nl++] = l;
    }
    while (nl > 0) {
      const l = large[--nl];
      this.prob[l] = 1;
      this.alias[l] = l;
    }
    while (ns > 0) {
      const s = small[--ns];
      this.prob[s] = 1;
      this.alias[s] = s;
    }
  }

  sample(random: Random): number {
    const u = random.float() * this.size;
    const i = u | 0;
    return u - i < this.prob[i] ? i : this.alias[i];
  }
}
