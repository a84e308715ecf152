import { COLD_COMEDY, COLD_DRAMA, COMEDY, entry, fixtureCatalog, fixtureModel, fixtureRequest } from "../testing/home-fixture";
import { coldCandidates, genreNeighbours } from "./cold-titles.source";

describe("cold titles (placed by genre)", () => {
  it("ranks never-watched titles by genre cosine with the viewer's taste, newest first on a tie, testing eligibility only for entrants", async () => {
    const [catalog, model] = await Promise.all([fixtureCatalog(), fixtureModel()]);
    const { viewer } = fixtureRequest(model, catalog, [entry(COMEDY[0], { score: 1 }), entry(1, { score: 3 })]);
    // Drama taste 3, Comedy 1: the two Drama cold titles (15 is newer than 13) before Comedy's.
    const best = coldCandidates(viewer, catalog, 2, () => true);
    expect(best.map((c) => c.movieId)).toEqual([15, COLD_DRAMA]);
    expect(best[0].score).toBeCloseTo(3 / Math.sqrt(10), 12);
    expect(best.every((c) => c.index === -1)).toBe(true);
    // Once the best n are full, a title that would not enter them is never tested.
    const asked: number[] = [];
    coldCandidates(viewer, catalog, 1, (id) => {
      asked.push(id);
      return true;
    });
    expect(asked).toEqual([COLD_DRAMA, 15]);
    expect(coldCandidates(viewer, catalog, 3, (id) => id !== 15).map((c) => c.movieId)).toEqual([COLD_DRAMA, COLD_COMEDY]);
  });

  it("has nothing for a viewer without taste", async () => {
    const [catalog, model] = await Promise.all([fixtureCatalog(), fixtureModel()]);
    expect(coldCandidates(fixtureRequest(model, catalog, []).viewer, catalog, 5, () => true)).toEqual([]);
  });

  it("finds the titles sharing the most genres (Jaccard), best first, then by id", async () => {
    const catalog = await fixtureCatalog();
    const drama = 1 << catalog.genreBit("Drama");
    const found = genreNeighbours(catalog, drama, 3, (id) => id !== 1);
    expect(found.map((c) => c.movieId)).toEqual([2, 3, 4]);
    expect(found.every((c) => c.score === 1)).toBe(true);
  });
});
