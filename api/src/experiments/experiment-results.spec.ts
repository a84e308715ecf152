import "reflect-metadata";
import { experimentResults } from "./experiment-results";
import { ExperimentMetric } from "./experiment-status";
import type { StoredArm } from "./experiment.type";
import type { ViewerHourCounts } from "./experiment.repository";
import { compare, momentsOf, summarise } from "./statistics";

const arm = (name: string, control = false): StoredArm => ({ name, control, share: 50, modelId: null, algorithm: null, settings: {}, pinnedModelId: null });
const H0 = new Date("2026-12-01T10:00:00Z");
const H1 = new Date("2026-12-01T11:00:00Z");
const row = (profileId: string, armIndex: number, hour: Date, impressions: number, plays: number): ViewerHourCounts => ({ profileId, arm: armIndex, hour, impressions, clicks: plays, plays, watchedFull: 0 });

describe("experimentResults", () => {
  const rows = [
    row("a", 0, H0, 4, 1),
    row("b", 0, H0, 2, 0),
    row("c", 1, H0, 3, 2),
    row("d", 1, H0, 5, 1),
    // Hour 2: a viewer seen again counts once, with its totals.
    row("a", 0, H1, 4, 2),
    row("e", 0, H1, 1, 0),
    row("c", 1, H1, 1, 1),
    row("f", 1, H1, 6, 3),
  ];
  const [control, treatment] = experimentResults([arm("control", true), arm("treatment")], ExperimentMetric.PLAY_RATE, rows);

  it("counts per arm over the viewers' totals", () => {
    expect(control).toMatchObject({ arm: "control", control: true, viewers: 3, impressions: 11, plays: 3, difference: null, history: [] });
    expect(treatment).toMatchObject({ arm: "treatment", control: false, viewers: 3, impressions: 15, plays: 7 });
    expect(treatment.playRate).toBeCloseTo(7 / 15, 12);
    expect(treatment.playRateLow).toBeLessThan(7 / 15);
  });

  it("compares per viewer (each viewer's totals one outcome) and keeps the hour-by-hour looks", () => {
    const c = summarise(momentsOf([{ numerator: 3, denominator: 8 }, { numerator: 0, denominator: 2 }, { numerator: 0, denominator: 1 }]));
    const t = summarise(momentsOf([{ numerator: 3, denominator: 4 }, { numerator: 1, denominator: 5 }, { numerator: 3, denominator: 6 }]));
    const expected = compare(t, c);
    expect(treatment.difference).toBeCloseTo(expected.difference, 12);
    expect(treatment.differenceLow).toBeCloseTo(expected.low, 12);
    expect(treatment.pValue).toBeCloseTo(expected.pValue, 12);
    expect(treatment.history.map((p) => [p.at.toISOString(), p.viewers])).toEqual([
      ["2026-12-01T11:00:00.000Z", 2],
      ["2026-12-01T12:00:00.000Z", 3],
    ]);
    // The always-valid p-value is the smallest over the looks, never above the last look's.
    expect(treatment.alwaysValidPValue).toBe(Math.min(...treatment.history.map((p) => p.alwaysValidPValue!)));
    expect(treatment.alwaysValidPValue!).toBeLessThanOrEqual(Math.min(1, 1 / expected.likelihoodRatio));
  });
});
