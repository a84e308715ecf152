import { RowKind } from "../row-kind";
import { Surface } from "../surface";
import { fixtureCatalog, fixtureModel, fixtureRequest, fixtureServingIds } from "../testing/home-fixture";
import { HomePage } from "./home-page";

describe("HomePage (post-selection)", () => {
  it("closes a row's titles for the rows after it, in the page and in the Gate, except Continue watching", async () => {
    const [catalog, model] = await Promise.all([fixtureCatalog(), fixtureModel()]);
    const req = fixtureRequest(model, catalog, []);
    const { page, gate } = req;
    page.add({ title: "Continue", kind: RowKind.CONTINUE_WATCHING, candidates: [{ movieId: 1, score: 0.5, index: -1, progress: 0.5 }], reason: () => "Resume", repeats: true });
    expect(page.seen.size).toBe(0);
    page.add({ title: "Row", kind: RowKind.TRENDING, candidates: [2, 3].map((movieId) => ({ movieId, score: 1, index: model.indexOf(movieId) })), reason: (_c, i) => `#${i + 1}` });
    expect([...page.seen]).toEqual([2, 3]);
    const open = gate.filter();
    expect(open(model.indexOf(2))).toBe(false);
    expect(open(model.indexOf(1))).toBe(true);
    expect(page.rows.map((r) => [r.title, r.items.map((i) => [i.movie.id, i.reason, i.progress ?? null])])).toEqual([
      ["Continue", [[1, "Resume", 0.5]]],
      ["Row", [[2, "#1", null], [3, "#2", null]]],
    ]);
  });

  it("drops an empty row and serves a score that is not a number as 0", async () => {
    const catalog = await fixtureCatalog();
    const page = new HomePage(catalog, null, fixtureServingIds.response({ servedAt: 0, surface: Surface.HOME, profileId: null, modelId: null, experimentId: null, arm: null }));
    page.add({ title: "Empty", kind: RowKind.NEW, candidates: [], reason: () => "" });
    page.add({ title: "Odd", kind: RowKind.NEW, candidates: [{ movieId: 4, score: NaN, index: -1 }], reason: () => "new" });
    expect(page.rows.map((r) => r.title)).toEqual(["Odd"]);
    expect(page.rows[0].items[0].score).toBe(0);
  });
});
