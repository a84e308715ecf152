import { Random } from "../engine/synthetic/random";
import { offPolicyEstimate, positionExamination, type LoggedSlot } from "./off-policy";

const TITLES = 5;
const VIEWERS = 40;

/** A world: each viewer's true play probability for each title (fixed by `seed`). */
function world(seed: number): number[][] {
  const random = new Random(seed, 1);
  return Array.from({ length: VIEWERS }, () => Array.from({ length: TITLES }, () => 0.05 + 0.5 * random.float()));
}

/** The deterministic target: title (v * 3) mod TITLES for viewer v. */
const choice = (v: number) => (v * 3) % TITLES;

/**
 * `n` slots logged by a uniform-random policy (propensity 1 / TITLES), at positions drawn uniformly
 * from `examination`'s keys, played with probability examination(position) * p(viewer, title).
 */
function logs(p: number[][], n: number, seed: number, examination: ReadonlyMap<number, number> = new Map([[0, 1]])): { slots: LoggedSlot[]; target: number[] } {
  const random = new Random(seed, 2);
  const positions = [...examination.keys()];
  const slots: LoggedSlot[] = [];
  const target: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = random.int(VIEWERS);
    const a = random.int(TITLES);
    const position = positions[random.int(positions.length)];
    slots.push({ viewer: `v${v}`, movieId: a, itemPosition: position, propensity: 1 / TITLES, played: random.float() < examination.get(position)! * p[v][a] });
    target.push(choice(v) === a ? 1 : 0);
  }
  return { slots, target };
}

const truth = (p: number[][]) => p.reduce((sum, row, v) => sum + row[choice(v)], 0) / VIEWERS;

describe("offPolicyEstimate", () => {
  it("IPS and SNIPS cover the deterministic target's true play rate in about 95 % of seeds (uniform-random logging)", () => {
    const p = world(7);
    const value = truth(p);
    const seeds = 200;
    let ipsCovers = 0;
    let snipsCovers = 0;
    let meanIps = 0;
    for (let seed = 0; seed < seeds; seed++) {
      const { slots, target } = logs(p, 1500, seed);
      const est = offPolicyEstimate(slots, target);
      if (est.ips.low <= value && value <= est.ips.high) ipsCovers++;
      if (est.snips && est.snips.low <= value && value <= est.snips.high) snipsCovers++;
      meanIps += est.ips.value / seeds;
    }
    // Unbiased: the mean over seeds is close to the truth (its own standard error is ~ 0.003).
    expect(Math.abs(meanIps - value)).toBeLessThan(0.01);
    expect(ipsCovers / seeds).toBeGreaterThan(0.9);
    expect(snipsCovers / seeds).toBeGreaterThan(0.9);
  });

  it("reports the effective sample size (sum w)^2 / sum w^2 and the logged play rate", () => {
    const slots: LoggedSlot[] = [0.5, 0.25, 1, 0.5].map((propensity, i) => ({ viewer: "a", movieId: i, itemPosition: 0, propensity, played: i % 2 === 0 }));
    const est = offPolicyEstimate(slots, [1, 0.5, 0, 1]);
    const w = [2, 2, 0, 2];
    const sum = w.reduce((s, x) => s + x, 0);
    expect(est.effectiveSampleSize).toBeCloseTo((sum * sum) / w.reduce((s, x) => s + x * x, 0), 12);
    expect(est.effectiveSampleSize).toBeCloseTo(3, 12);
    expect(est.loggedPlayRate).toBe(0.5);
    expect(est.ips.value).toBeCloseTo((2 * 1 + 0 + 0 + 0) / 4, 12); // slot 2 played but weight 0
    expect(est.snips!.value).toBeCloseTo(2 / 6, 12);
  });

  it("SNIPS with equal weights is the plain play rate of the slots the target would choose", () => {
    const slots: LoggedSlot[] = Array.from({ length: 10 }, (_, i) => ({ viewer: `v${i}`, movieId: i, itemPosition: 0, propensity: 0.2, played: i < 3 }));
    const est = offPolicyEstimate(slots, Array(10).fill(1));
    expect(est.snips!.value).toBeCloseTo(0.3, 12);
    expect(est.ips.value).toBeCloseTo(5 * 0.3, 12);
  });

  it("clips weights at maxWeight and counts them", () => {
    const slots: LoggedSlot[] = [0.01, 0.5].map((propensity) => ({ viewer: "a", movieId: 1, itemPosition: 0, propensity, played: true }));
    const est = offPolicyEstimate(slots, [1, 1], { maxWeight: 10 });
    expect(est.clippedWeights).toBe(1);
    expect(est.ips.value).toBeCloseTo((10 + 2) / 2, 12);
    expect(est.effectiveSampleSize).toBeCloseTo(144 / 104, 12);
    const unclipped = offPolicyEstimate(slots, [1, 1], { maxWeight: 1000 });
    expect(unclipped.clippedWeights).toBe(0);
    expect(unclipped.ips.value).toBeCloseTo((100 + 2) / 2, 12);
  });

  it("has no SNIPS when the target never chooses a logged title, and rejects bad inputs", () => {
    const slots: LoggedSlot[] = [{ viewer: "a", movieId: 1, itemPosition: 0, propensity: 0.5, played: true }];
    const est = offPolicyEstimate(slots, [0]);
    expect(est.snips).toBeNull();
    expect(est.ips.value).toBe(0);
    expect(est.effectiveSampleSize).toBe(0);
    expect(() => offPolicyEstimate(slots, [])).toThrow(RangeError);
    expect(() => offPolicyEstimate([{ ...slots[0], propensity: 0 }], [1])).toThrow(/propensity/);
    expect(() => offPolicyEstimate(slots, [1.5])).toThrow(/target probability/);
    expect(offPolicyEstimate([], []).slots).toBe(0);
  });
});

describe("position bias", () => {
  const examination = new Map([
    [2, 1],
    [6, 0.6],
    [11, 0.3],
  ]);

  it("fits each position's examination, relative to the frontmost, from the logs", () => {
    const { slots } = logs(world(3), 60_000, 11, examination);
    const fitted = positionExamination(slots);
    expect(fitted.get(2)).toBe(1);
    expect(Math.abs(fitted.get(6)! - 0.6)).toBeLessThan(0.05);
    expect(Math.abs(fitted.get(11)! - 0.3)).toBeLessThan(0.05);
  });

  it("divides it out: the estimate is the play rate at the frontmost position, which the uncorrected one underestimates", () => {
    const p = world(5);
    const value = truth(p);
    const { slots, target } = logs(p, 60_000, 13, examination);
    const corrected = offPolicyEstimate(slots, target);
    const raw = offPolicyEstimate(slots, target, { positionCorrection: false });
    expect(Math.abs(corrected.ips.value - value)).toBeLessThan(0.03);
    expect(Math.abs(corrected.snips!.value - value)).toBeLessThan(0.03);
    expect(raw.ips.high).toBeLessThan(value);
  });
});
