import { Random } from "../../engine/synthetic/random";
import { eligibleNow } from "../home-request";
import { COLD_COMEDY, COLD_DRAMA, COMEDY, DRAMA, entry, fixtureCatalog, fixtureModel, fixtureRequest } from "../testing/home-fixture";
import { personalPool } from "../candidates/top-picks.source";
import { exploredPositions, exploreRow } from "./exploration";

const SETTINGS = { rate: 0.4, samples: 100, priorImpressions: 20, candidates: 10 };

describe("exploration in Top picks", () => {
  it("spreads the explored slots over the row", () => {
    expect(exploredPositions(20, 2)).toEqual([6, 13]);
    expect(exploredPositions(5, 1)).toEqual([2]);
    expect(exploredPositions(5, 0)).toEqual([]);
  });

  it("keeps the greedy titles in order and puts titles with few impressions in the explored slots, with their propensity", async () => {
    const [catalog, model] = await Promise.all([fixtureCatalog(), fixtureModel()]);
    const req = fixtureRequest(model, catalog, [entry(DRAMA[0]), entry(DRAMA[1]), entry(COMEDY[0], { score: 1 })]);
    const eligible = eligibleNow(req);
    const pool = personalPool(req, req.gate.filter(eligible), eligible, 12, 5);
    const greedy = pool.filter((c) => eligible(c.movieId)).slice(0, 5);
    // Every title was shown 1,000 times and clicked 5 times (0.5 %, where the average is 5 %), but
    // two never-watched ones that were never shown.
    const fresh = (id: number) => id === COLD_DRAMA || id === COLD_COMEDY;
    const rates = { ctr: 0.05, impressions: (id: number) => (fresh(id) ? 0 : 1000), clicks: (id: number) => (fresh(id) ? 0 : 5) };
    const row = exploreRow(req, pool, eligible, 5, SETTINGS, rates, new Random(3));
    expect(row).toHaveLength(5);
    const slots = exploredPositions(5, 2);
    expect(row.filter((_, i) => !slots.includes(i)).map((c) => c.movieId)).toEqual(greedy.slice(0, 3).map((c) => c.movieId));
    for (const i of slots) {
      expect(rates.impressions(row[i].movieId)).toBe(0); // the uncertain titles win the draws
      expect(row[i].propensity).toBeGreaterThan(0);
      expect(row[i].propensity).toBeLessThanOrEqual(1);
    }
    expect(new Set(row.map((c) => c.movieId)).size).toBe(5);
    expect(row.every((c) => eligible(c.movieId))).toBe(true);
  });

  it("is the greedy row when the rate gives no slot", async () => {
    const [catalog, model] = await Promise.all([fixtureCatalog(), fixtureModel()]);
    const req = fixtureRequest(model, catalog, [entry(DRAMA[0])]);
    const eligible = eligibleNow(req);
    const pool = personalPool(req, req.gate.filter(eligible), eligible, 12, 5);
    const none = { ctr: 0, impressions: () => 0, clicks: () => 0 };
    expect(exploreRow(req, pool, eligible, 5, { ...SETTINGS, rate: 0.1 }, none, new Random(1))).toEqual(pool.filter((c) => eligible(c.movieId)).slice(0, 5));
  });
});
