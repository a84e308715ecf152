import "reflect-metadata";
import { getAlgorithm } from "../src/engine/algorithms/registry";
import { simulateAudience } from "../src/import/simulate";
import { trainAndStore } from "../src/models/trainer";
import { searchSpace } from "../src/models/tuning-search";
import { createTestDatabase, type TestDatabase } from "./database";

/** Hyperparameter tuning on scheduled retrains (issue 12 §3), on a small simulated audience. */
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await simulateAudience(db.dataSource, { events: 20_000, viewers: 500, titles: 250, seed: 5, days: 40 });
}, 240_000);

afterAll(async () => {
  await db?.drop();
});

it("searches iALS's factors, regularization, alpha and iterations around the given parameters", () => {
  const base = getAlgorithm("ials").validate({ iterations: 6 }) as Record<string, unknown>;
  const space = searchSpace(getAlgorithm("ials"), base);
  for (const key of ["factors", "regularization", "alpha", "iterations"]) {
    expect(space[key].length).toBeGreaterThan(1);
    expect(space[key][0]).toEqual(base[key]);
  }
  expect(Object.keys(searchSpace(getAlgorithm("ease"), getAlgorithm("ease").validate({}) as Record<string, unknown>))).toContain("lambda");
});

it("a tuned training records every trial, the untuned parameters first, and fits the best trial's; tuning off stores none", async () => {
  const base = getAlgorithm("ials").validate({ iterations: 6 });
  const plain = await trainAndStore(db.dataSource, { algorithm: "ials", params: { iterations: 6 } });
  expect(plain.tuning).toEqual([]);
  expect(plain.params).toEqual(base);
  expect(plain.metrics?.tuning).toBeUndefined();

  const tuned = await trainAndStore(db.dataSource, { algorithm: "ials", params: { iterations: 6 }, tune: { budgetSeconds: 300, maxTrials: 5 }, tolerance: 1 });
  expect(tuned.tuning.length).toBe(5);
  expect(tuned.tuning[0].params).toEqual(base);
  const keys = new Set(tuned.tuning.map((t) => JSON.stringify(t.params)));
  expect(keys.size).toBe(tuned.tuning.length);
  const best = tuned.tuning.reduce((a, t) => (t.validationNdcg10 > a.validationNdcg10 ? t : a));
  expect(tuned.params).toEqual(best.params);
  const report = tuned.metrics!.tuning as { trials: number; tunedNdcg10: number; untunedNdcg10: number; gain: number };
  expect(report.trials).toBe(5);
  expect(report.tunedNdcg10).toBe(best.validationNdcg10);
  expect(report.untunedNdcg10).toBe(tuned.tuning[0].validationNdcg10);
  expect(report.gain).toBeGreaterThanOrEqual(0);
  expect(tuned.metrics!["NDCG@10"]).toBe(best.validationNdcg10);
  for (const t of tuned.tuning) expect(t.seconds).toBeGreaterThan(0);
}, 600_000);

it("with the event weights learned first, tunes on the hold-out of the reweighted matrix and still fits the best trial's parameters", async () => {
  const both = await trainAndStore(db.dataSource, {
    algorithm: "ials",
    params: { iterations: 6 },
    learnWeights: { budgetSeconds: 120, maxTrials: 4 },
    tune: { budgetSeconds: 300, maxTrials: 3 },
    tolerance: 1,
  });
  expect(both.metrics!.eventWeights).toBeDefined();
  expect(both.tuning).toHaveLength(3);
  const best = both.tuning.reduce((a, t) => (t.validationNdcg10 > a.validationNdcg10 ? t : a));
  expect(both.params).toEqual(best.params);
  expect(both.metrics!["NDCG@10"]).toBe(best.validationNdcg10);
}, 600_000);
