import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { compareWithReferences, loadReferences, pairedBootstrap } from "./bootstrap";
import { perUserMetrics, rankingMetrics } from "./metrics";
import { loadSplit, loadSplitFiles, readRecommendationsCsv } from "./split";

const GOLDEN = resolve(__dirname, "../../../../../shared/splits/golden");
const ML100K = resolve(__dirname, "../../../../../shared/splits/ml-100k");

describe("paired bootstrap", () => {
  it("gives a zero-width interval for a constant difference and centres on the mean", () => {
    const a = Float64Array.from({ length: 200 }, (_, i) => (i % 7) / 10 + 0.05);
    const b = a.map((v) => v - 0.05);
    const same = pairedBootstrap(a, a, 2000, 1);
    expect(same).toEqual({ difference: 0, low: 0, high: 0 });
    const shifted = pairedBootstrap(a, b, 2000, 1);
    expect(shifted.difference).toBeCloseTo(0.05, 12);
    expect(shifted.low).toBeCloseTo(0.05, 12);
    expect(shifted.high).toBeCloseTo(0.05, 12);
  });

  it("is seeded, and its interval covers the mean and shrinks with more viewers", () => {
    const noisy = (n: number) => {
      const a = Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 101) / 100);
      const b = Float64Array.from({ length: n }, (_, i) => ((i * 104729) % 97) / 100);
      return pairedBootstrap(a, b, 1000, 5);
    };
    const small = noisy(100);
    expect(noisy(100)).toEqual(small);
    expect(small.low).toBeLessThan(small.difference);
    expect(small.high).toBeGreaterThan(small.difference);
    const large = noisy(1600);
    expect(large.high - large.low).toBeLessThan((small.high - small.low) / 3);
    expect(() => pairedBootstrap(Float64Array.of(1), Float64Array.of(1, 2))).toThrow(/differ in length/);
  });
});

(existsSync(join(GOLDEN, "expected.json")) ? describe : describe.skip)("per-viewer metrics on the golden vectors", () => {
  it("average to exactly rankingMetrics' NDCG@10 and Recall@20", () => {
    const split = loadSplitFiles(join(GOLDEN, "train.csv"), join(GOLDEN, "test.csv"));
    const { truth, lists } = readRecommendationsCsv(join(GOLDEN, "recs.csv"), split.truth);
    const expected = JSON.parse(readFileSync(join(GOLDEN, "expected.json"), "utf8")) as Record<string, number>;
    const per = perUserMetrics(truth, lists);
    const mean = (x: Float64Array) => x.reduce((s, v) => s + v, 0) / x.length;
    expect(per.users.length).toBe(expected.n_eval_users);
    expect(Math.abs(mean(per.ndcg10) - expected["NDCG@10"])).toBeLessThan(1e-12);
    expect(Math.abs(mean(per.recall20) - expected["Recall@20"])).toBeLessThan(1e-12);
    const report = rankingMetrics(truth, lists).metrics;
    expect(mean(per.ndcg10)).toBeCloseTo(report["NDCG@10"], 12);
  });
});

(existsSync(join(ML100K, "reference-recs", "ALS.csv")) ? describe : describe.skip)("ml-100k reference lists", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "marquee-refs-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("score as their README says, and a system compared with itself differs by exactly 0", () => {
    const test = loadSplit(ML100K, "test");
    const refs = loadReferences(join(ML100K, "reference-recs"), test.truth);
    const byName = Object.fromEntries(refs.map((r) => [r.name, r.metrics]));
    expect(byName.ALS["NDCG@10"]).toBeCloseTo(0.1419, 4);
    expect(byName.ALS["Recall@20"]).toBeCloseTo(0.2057, 4);
    expect(byName.EASE["NDCG@10"]).toBeCloseTo(0.1371, 4);
    // The ALS lists themselves as "the model": the best reference is ALS, difference 0.
    const { lists } = readRecommendationsCsv(join(ML100K, "reference-recs", "ALS.csv"), test.truth);
    writeFileSync(join(dir, "EASE.csv"), readFileSync(join(ML100K, "reference-recs", "EASE.csv")));
    const paired = compareWithReferences(test.truth, lists, refs, 500, 1);
    expect(paired.map((p) => [p.metric, p.reference, p.difference, p.low, p.high])).toEqual([
      ["NDCG@10", "ALS", 0, 0, 0],
      ["Recall@20", "ALS", 0, 0, 0],
    ]);
    // Against EASE alone the interval is a real one, and it contains the mean difference.
    const [ndcg] = compareWithReferences(test.truth, lists, loadReferences(dir, test.truth), 2000, 1);
    expect(ndcg.reference).toBe("EASE");
    expect(ndcg.low).toBeLessThan(ndcg.difference);
    expect(ndcg.high).toBeGreaterThan(ndcg.difference);
    expect(ndcg.viewers).toBe(938);
  });
});
