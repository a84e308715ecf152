import { COMEDY, DRAMA, entry, fixtureCatalog, fixtureModel, fixtureRequest } from "../testing/home-fixture";
import { scoreColdCandidates, scoreModelCandidates } from "./model-score.scorer";

describe("the model's scoring chain", () => {
  it("normalises over the first rows' worth: best 1, the window's last 0.05, deeper ones below", async () => {
    const [catalog, model] = await Promise.all([fixtureCatalog(), fixtureModel()]);
    const req = fixtureRequest(model, catalog, [entry(DRAMA[0])]);
    const pool = [10, 8, 6, 4, 2, 1].map((score, i) => ({ movieId: COMEDY[i], score, index: model.indexOf(COMEDY[i]) }));
    // rowSize 1 -> window 2 x 1 + 10 = 12, longer than the pool: the last is the window's lowest.
    scoreModelCandidates(pool, req, 1);
    expect(pool[0].score).toBeCloseTo(1, 12);
    expect(pool[5].score).toBeCloseTo(0.05, 12);
    expect(pool.map((c) => c.score)).toEqual([...pool.map((c) => c.score)].sort((a, b) => b - a));
  });

  it("halves a title closed early and pushes the neighbours of a disliked title down", async () => {
    const [catalog, model] = await Promise.all([fixtureCatalog(), fixtureModel()]);
    const candidates = () => [...DRAMA.slice(2), ...COMEDY.slice(2)].map((movieId) => ({ movieId, score: 1, index: model.indexOf(movieId) }));
    const plain = candidates();
    scoreModelCandidates(plain, fixtureRequest(model, catalog, [entry(DRAMA[0])]), 20);

    const closed = candidates();
    scoreModelCandidates(closed, fixtureRequest(model, catalog, [entry(DRAMA[0]), entry(DRAMA[2], { closes: 1, maxProgress: 0.1 })]), 20);
    expect(closed[0].score).toBeCloseTo(plain[0].score * 0.5, 12);
    expect(closed.slice(1)).toEqual(plain.slice(1));

    const disliked = candidates();
    scoreModelCandidates(disliked, fixtureRequest(model, catalog, [entry(DRAMA[0]), entry(COMEDY[0], { disliked: true })]), 20);
    const byId = (list: typeof plain) => new Map(list.map((c) => [c.movieId, c.score]));
    const [before, after] = [byId(plain), byId(disliked)];
    // Comedy titles are the disliked title's neighbours (its block); Drama titles are not.
    for (const id of COMEDY.slice(2)) expect(after.get(id)!).toBeLessThan(before.get(id)! - 0.1);
    for (const id of DRAMA.slice(2)) expect(after.get(id)).toBeCloseTo(before.get(id)!, 12);
  });

  it("weighs never-watched titles by the cold-title weight", () => {
    const cold = [{ movieId: 13, score: 0.8, index: -1 }];
    scoreColdCandidates(cold, { coldTitleWeight: 0.5 } as never);
    expect(cold[0].score).toBeCloseTo(0.4, 12);
  });
});
