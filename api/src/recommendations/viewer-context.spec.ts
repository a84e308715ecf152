import { DEFAULT_ROW_SETTINGS } from "./row-settings";
import { COMEDY, DRAMA, entry, fixtureCatalog, fixtureModel } from "./testing/home-fixture";
import { buildViewerContext } from "./viewer-context";

describe("buildViewerContext (query hydration)", () => {
  it("blocks finished and disliked titles, marks early closes, and folds the history into model indices", async () => {
    const [catalog, model] = await Promise.all([fixtureCatalog(), fixtureModel()]);
    const entries = [
      entry(DRAMA[0], { watchedFull: true, maxProgress: 1 }),
      entry(DRAMA[1], { disliked: true, score: 3, lastEventAt: 2 }),
      entry(DRAMA[2], { disliked: true, score: 1, lastEventAt: 5 }),
      entry(COMEDY[0], { closes: 1, maxProgress: 0.2 }),
      entry(COMEDY[1], { closes: 1, maxProgress: 0.7 }),
      entry(999, { score: 2 }), // not in the catalog nor the model
    ];
    const viewer = buildViewerContext("p", entries, model, catalog, DEFAULT_ROW_SETTINGS);
    expect([...viewer.blocked].sort((a, b) => a - b)).toEqual([DRAMA[0], DRAMA[1], DRAMA[2]]);
    expect([...viewer.closedEarly]).toEqual([COMEDY[0]]);
    expect(viewer.disliked).toEqual([DRAMA[2], DRAMA[1]]);
    // Disliked titles enter the fold-in as negatives; the unknown title not at all.
    const folded = new Map([...viewer.history.indices].map((index, i) => [model.movieIds[index], viewer.history.data[i]]));
    expect(folded.get(DRAMA[1])).toBe(-3);
    expect(folded.get(DRAMA[0])).toBe(4);
    expect(folded.has(999)).toBe(false);
    expect([...viewer.history.indices]).toEqual([...viewer.history.indices].sort((a, b) => a - b));
    expect(viewer.personal).toBe(true);
    // Genre taste sums positive, non-disliked scores: Drama 4 (the finished title), Comedy 4 + 4.
    expect(viewer.genreProfile[catalog.genreBit("Drama")]).toBe(4);
    expect(viewer.genreProfile[catalog.genreBit("Comedy")]).toBe(8);
  });

  it("is not personal when every score is a dislike, and keeps finished titles when asked to", async () => {
    const [catalog, model] = await Promise.all([fixtureCatalog(), fixtureModel()]);
    const disliker = buildViewerContext("p", [entry(DRAMA[1], { disliked: true })], model, catalog, DEFAULT_ROW_SETTINGS);
    expect(disliker.personal).toBe(false);
    const rewatcher = buildViewerContext("p", [entry(DRAMA[0], { watchedFull: true })], model, catalog, { ...DEFAULT_ROW_SETTINGS, excludeWatched: false });
    expect(rewatcher.blocked.size).toBe(0);
  });
});
