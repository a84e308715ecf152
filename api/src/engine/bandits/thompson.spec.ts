import { Random } from "../synthetic/random";
import { thompsonSlots } from "./thompson";

describe("thompsonSlots", () => {
  it("estimates the chance of each slot's title close to its true frequency", () => {
    // Three candidates, one clearly best, two alike: the best wins slot 0 nearly always; slot 1
    // goes to either of the others about half the time.
    const alpha = Float64Array.from([90, 20, 20]);
    const beta = Float64Array.from([10, 80, 80]);
    const random = new Random(7);
    const { chosen, propensity } = thompsonSlots(alpha, beta, 2, random, 400);
    expect(chosen[0]).toBe(0);
    expect(propensity[0]).toBeGreaterThan(0.99);
    expect([1, 2]).toContain(chosen[1]);
    expect(Math.abs(propensity[1] - 0.5)).toBeLessThan(3 * 0.5 / Math.sqrt(401));

    // The estimate against the frequency of many served rounds.
    let counts = 0;
    const rounds = 2000;
    for (let r = 0; r < rounds; r++) if (thompsonSlots(alpha, beta, 2, random, 0).chosen[1] === chosen[1]) counts++;
    expect(Math.abs(propensity[1] - counts / rounds)).toBeLessThan(0.1);
  });

  it("explores uncertain candidates: a title with no data beats one known to be poor", () => {
    const random = new Random(11);
    // Candidate 0: 2 clicks in 1,000 impressions; candidate 1: a new title at the same prior mean (5 %).
    let newWins = 0;
    for (let r = 0; r < 500; r++) if (thompsonSlots(Float64Array.from([3, 1]), Float64Array.from([999, 19]), 1, random, 0).chosen[0] === 1) newWins++;
    expect(newWins / 500).toBeGreaterThan(0.8);
  });

  it("chooses no more slots than candidates, and nothing from nothing", () => {
    const random = new Random(1);
    expect(thompsonSlots(Float64Array.from([1]), Float64Array.from([1]), 3, random, 10).chosen).toEqual(Int32Array.from([0]));
    expect(thompsonSlots(new Float64Array(0), new Float64Array(0), 2, random, 10).chosen.length).toBe(0);
  });
});
