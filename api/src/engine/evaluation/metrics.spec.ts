import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadSplitFiles, readRecommendationsCsv } from "./split";
import { ndcgCurve, rankingMetrics, type RankedLists, type RankingTruth } from "./metrics";
import { fromCoo } from "../matrix/csr-matrix";

// The shared material sits beside the repository (/work/shared next to /work/main).
const GOLDEN = resolve(__dirname, "../../../../../shared/splits/golden");
const haveGolden = existsSync(join(GOLDEN, "expected.json"));

(haveGolden ? describe : describe.skip)("ranking metrics on the golden vectors", () => {
  if (!haveGolden) return;
  const expected = JSON.parse(readFileSync(join(GOLDEN, "expected.json"), "utf8")) as Record<string, number>;
  const split = loadSplitFiles(join(GOLDEN, "train.csv"), join(GOLDEN, "test.csv"));
  const { truth, lists } = readRecommendationsCsv(join(GOLDEN, "recs.csv"), split.truth);
  const report = rankingMetrics(truth, lists);

  it.each(Object.keys(report.metrics))("%s matches expected.json to 1e-12", (name) => {
    const value = report.metrics[name as keyof typeof report.metrics];
    expect(Math.abs(value - expected[name])).toBeLessThan(1e-12);
  });

  it("counts evaluated users, users without recommendations and short lists", () => {
    expect(report.nEvalUsers).toBe(expected.n_eval_users);
    expect(report.nUsersWithoutRecs).toBe(expected.n_users_without_recs);
    expect(report.nUsersWithShortLists).toBe(expected.n_users_with_short_lists);
  });

  it("agrees with the NDCG curve at K = 10 and 20", () => {
    const curve = ndcgCurve(truth, lists, 20);
    expect(Math.abs(curve[9] - expected["NDCG@10"])).toBeLessThan(1e-12);
    expect(Math.abs(curve[19] - expected["NDCG@20"])).toBeLessThan(1e-12);
  });
});

if (!haveGolden) {
  it.skip(`golden vectors absent: expected ${GOLDEN} (the shared material next to the repo)`, () => undefined);
}

describe("ranking metrics by hand", () => {
  // One user, test {0, 2}, train {1}; list [1, 0, 3, 0, 2]: 1 is a train item, the second 0 a
  // duplicate, so the cleaned list is [0, 3, 2].
  const truth: RankingTruth = {
    nItems: 4,
    train: fromCoo(1, 4, Int32Array.of(0), Int32Array.of(1), Float32Array.of(1)),
    test: fromCoo(1, 4, Int32Array.of(0, 0), Int32Array.of(0, 2), Float32Array.of(1, 1)),
    inTrain: Uint8Array.of(1, 1, 1, 0),
  };
  const lists: RankedLists = { indptr: Int32Array.of(0, 5), items: Int32Array.of(1, 0, 3, 0, 2) };
  const m = rankingMetrics(truth, lists).metrics;

  it("applies the list rules before counting", () => {
    expect(m["Precision@10"]).toBeCloseTo(2 / 10, 12);
    expect(m["Recall@10"]).toBeCloseTo(1, 12);
    const dcg = 1 + 1 / Math.log2(4);
    expect(m["NDCG@10"]).toBeCloseTo(dcg / (1 + 1 / Math.log2(3)), 12);
    expect(m["MAP@10"]).toBeCloseTo((1 + 2 / 3) / 2, 12);
    expect(m["HitRate@10"]).toBe(1);
    // Items 0 and 2 are in train and listed; item 3 is not a train item.
    expect(m["Coverage@10"]).toBeCloseTo(2 / 3, 12);
  });
});
