import { Random } from "../engine/synthetic/random";
import { addOutcome, compare, emptyMoments, momentsOf, msprtLikelihoodRatio, normalCdf, normalQuantile, removeOutcome, SequentialTest, summarise, type RatioMoments } from "./statistics";

describe("normalCdf and normalQuantile", () => {
  it("match published values", () => {
    // Values of Phi from R's pnorm (double precision).
    const cases: [number, number][] = [
      [-10, 7.61985302416047e-24],
      [-5, 2.866515718791939e-7],
      [-3, 0.0013498980316300946],
      [-1.96, 0.024997895148220435],
      [-0.7, 0.24196365222307303],
      [0, 0.5],
      [0.3, 0.6179114221889527],
      [2.5, 0.9937903346742238],
    ];
    for (const [z, phi] of cases) expect(Math.abs(normalCdf(z) - phi) / phi).toBeLessThan(1e-12);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 12);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
  });
});

describe("summarise (delta method)", () => {
  it("is the plain variance of the mean with one trial per viewer", () => {
    const xs = [1, 0, 0, 1, 1, 0, 0, 0, 1, 0];
    const s = summarise(momentsOf(xs.map((x) => ({ numerator: x, denominator: 1 }))));
    const mean = 0.4;
    const sampleVariance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1);
    expect(s.rate).toBeCloseTo(mean, 12);
    expect(s.variance).toBeCloseTo(sampleVariance / xs.length, 12);
  });

  it("matches a hand computation for unequal denominators", () => {
    // (x, y): (1, 2), (0, 3), (3, 5) -> R = 4/10; x mean 4/3, y mean 10/3;
    // s_xx = 7/3, s_yy = 7/3, s_xy = 11/6; Var = (7/3 - 0.8 * 11/6 + 0.16 * 7/3) / (3 * (10/3)^2) = 0.0372
    const s = summarise(momentsOf([{ numerator: 1, denominator: 2 }, { numerator: 0, denominator: 3 }, { numerator: 3, denominator: 5 }]));
    expect(s.rate).toBeCloseTo(0.4, 12);
    expect(s.variance).toBeCloseTo(0.0372, 12);
  });

  it("estimates the real spread of the ratio when viewers differ (a per-impression variance does not)", () => {
    const random = new Random(7);
    const rates: number[] = [];
    const deltaVariances: number[] = [];
    const binomialVariances: number[] = [];
    for (let rep = 0; rep < 1000; rep++) {
      const m = emptyMoments();
      for (let v = 0; v < 300; v++) {
        const p = random.float() < 0.2 ? 0.5 : 0.05; // a fifth of viewers click a lot
        const shown = 1 + random.int(30);
        let clicks = 0;
        for (let i = 0; i < shown; i++) if (random.float() < p) clicks++;
        addOutcome(m, clicks, shown);
      }
      const s = summarise(m);
      rates.push(s.rate);
      deltaVariances.push(s.variance);
      binomialVariances.push((s.rate * (1 - s.rate)) / s.denominator);
    }
    const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
    const empirical = rates.reduce((a, r) => a + (r - mean) ** 2, 0) / (rates.length - 1);
    const delta = deltaVariances.reduce((a, b) => a + b, 0) / deltaVariances.length;
    const binomial = binomialVariances.reduce((a, b) => a + b, 0) / binomialVariances.length;
    expect(delta / empirical).toBeGreaterThan(0.85);
    expect(delta / empirical).toBeLessThan(1.15);
    expect(binomial / empirical).toBeLessThan(0.5);
  });

  it("adds and removes outcomes symmetrically; no data is no information", () => {
    const m = momentsOf([{ numerator: 2, denominator: 4 }, { numerator: 1, denominator: 1 }]);
    addOutcome(m, 5, 9);
    removeOutcome(m, 5, 9);
    expect(m).toEqual(momentsOf([{ numerator: 2, denominator: 4 }, { numerator: 1, denominator: 1 }]));
    const c = compare(summarise(emptyMoments()), summarise(m));
    expect(c.pValue).toBe(1);
    expect(c.msprtPValue).toBe(1);
  });
});

describe("compare", () => {
  it("gives a two-sided z test and its 95 % interval", () => {
    const control = { viewers: 1000, numerator: 100, denominator: 1000, rate: 0.1, variance: 0.0001 };
    const treatment = { viewers: 1000, numerator: 130, denominator: 1000, rate: 0.13, variance: 0.0001 };
    const c = compare(treatment, control);
    expect(c.difference).toBeCloseTo(0.03, 12);
    expect(c.standardError).toBeCloseTo(Math.sqrt(0.0002), 12);
    expect(c.low).toBeCloseTo(0.03 - 1.959963984540054 * Math.sqrt(0.0002), 12);
    // z = 2.1213: two-sided p = 0.033895 (R: 2 * pnorm(-0.03 / sqrt(0.0002)))
    expect(c.pValue).toBeCloseTo(0.0338949, 6);
  });
});

describe("mSPRT", () => {
  it("is the normal mixture of likelihood ratios (closed form against numerical integration)", () => {
    for (const [d, variance, tau] of [
      [0.01, 0.0001, 0.02],
      [0.05, 0.0004, 0.02],
      [-0.02, 0.00005, 0.05],
      [0, 0.001, 0.01],
    ]) {
      // integral over theta of [N(d; theta, V) / N(d; 0, V)] N(theta; 0, tau^2)
      let integral = 0;
      const step = tau / 2000;
      for (let theta = -12 * tau; theta <= 12 * tau; theta += step) {
        const ratio = Math.exp((-((d - theta) ** 2) + d * d) / (2 * variance));
        const prior = Math.exp(-(theta * theta) / (2 * tau * tau)) / Math.sqrt(2 * Math.PI * tau * tau);
        integral += ratio * prior * step;
      }
      expect(msprtLikelihoodRatio(d, variance, tau) / integral).toBeCloseTo(1, 6);
    }
  });

  /** Peeks at an A/A (or A/B) stream `looks` times; returns which tests ever declared a difference. */
  function peekedStreams(streams: number, looks: number, viewersPerLook: number, controlRate: number, treatmentRate: number, seed: number) {
    const random = new Random(seed);
    let fixedFalse = 0;
    let sequentialFalse = 0;
    for (let s = 0; s < streams; s++) {
      const arms: RatioMoments[] = [emptyMoments(), emptyMoments()];
      const test = new SequentialTest();
      let fixed = false;
      for (let look = 0; look < looks; look++) {
        for (let v = 0; v < viewersPerLook; v++) {
          for (const [arm, rate] of [[0, controlRate], [1, treatmentRate]] as const) {
            const shown = 1 + random.int(10);
            let plays = 0;
            for (let i = 0; i < shown; i++) if (random.float() < rate) plays++;
            addOutcome(arms[arm], plays, shown);
          }
        }
        const c = compare(summarise(arms[1]), summarise(arms[0]), { tau: 0.02 });
        if (c.pValue < 0.05) fixed = true;
        test.look(c);
      }
      if (fixed) fixedFalse++;
      if (test.pValue < 0.05) sequentialFalse++;
    }
    return { fixed: fixedFalse / streams, sequential: sequentialFalse / streams };
  }

  it("keeps false positives at or below alpha however often one peeks (the fixed-horizon test does not)", () => {
    const { fixed, sequential } = peekedStreams(1000, 30, 20, 0.1, 0.1, 11);
    // 1000 streams: one standard error of a 5 % share is 0.7 points.
    expect(sequential).toBeLessThanOrEqual(0.05);
    expect(fixed).toBeGreaterThan(0.15);
  });

  it("finds a real difference", () => {
    const { sequential } = peekedStreams(200, 40, 25, 0.1, 0.14, 12);
    expect(sequential).toBeGreaterThan(0.8);
  });

  it("keeps the running minimum", () => {
    const t = new SequentialTest();
    expect(t.look({ likelihoodRatio: 4 })).toBe(0.25);
    expect(t.look({ likelihoodRatio: 0.5 })).toBe(0.25);
    expect(t.look({ likelihoodRatio: 40 })).toBe(0.025);
  });
});
