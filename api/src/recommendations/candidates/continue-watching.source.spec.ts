import { entry, fixtureCatalog, fixtureModel, fixtureRequest } from "../testing/home-fixture";
import { continueWatchingRow } from "./continue-watching.source";

describe("Continue watching", () => {
  it("lists started, unfinished, not disliked titles, most recent first, with their resume points", async () => {
    const [catalog, model] = await Promise.all([fixtureCatalog(), fixtureModel()]);
    const req = fixtureRequest(model, catalog, [
      entry(1, { plays: 1, maxProgress: 0.4, lastEventAt: 10 }),
      entry(2, { plays: 1, maxProgress: null, lastEventAt: 30 }),
      entry(3, { plays: 1, maxProgress: 0.95, lastEventAt: 40 }), // as good as finished
      entry(4, { watchedFull: true, maxProgress: 1, lastEventAt: 50 }),
      entry(5, { disliked: true, maxProgress: 0.3, lastEventAt: 60 }),
      entry(6, { plays: 0, maxProgress: null, lastEventAt: 70 }), // only a thumbnail click
      entry(7, { plays: 0, maxProgress: 0.2, lastEventAt: 20 }),
    ]);
    const row = continueWatchingRow(req);
    expect(row.candidates.map((c) => [c.movieId, c.progress])).toEqual([
      [2, 0],
      [7, 0.2],
      [1, 0.4],
    ]);
    expect(row.candidates.map((c, i) => row.reason(c, i))).toEqual(["You started this", "Resume at 20%", "Resume at 40%"]);
    expect(row.repeats).toBe(true);
  });
});
