import { fixtureCatalog, fixtureModel } from "../testing/home-fixture";
import { eligibility, GateFactory } from "./eligibility";

describe("the page's filters", () => {
  it("as a predicate over movie ids: not blocked, not seen, in the catalog, within the MovieFilter", async () => {
    const catalog = await fixtureCatalog();
    const seen = new Set([2]);
    const eligible = eligibility(catalog, new Set([1]), { genre: "Drama" }, seen);
    expect([1, 2, 3, 7, 999].map(eligible)).toEqual([false, false, true, false, false]);
    seen.add(3); // live: a row taking a title closes it at once
    expect(eligible(3)).toBe(false);
  });

  it("as the Gate over model indices: blocked and filtered out up front, closed by use", async () => {
    const [catalog, model] = await Promise.all([fixtureCatalog(), fixtureModel()]);
    const gate = new GateFactory(catalog).gate(model, [1], { yearFrom: 2004 });
    const open = () => model.movieIds.filter((_, i) => gate.filter()(i));
    expect([...open()]).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12]);
    gate.use(7);
    expect([...open()]).not.toContain(7);
    expect([...model.movieIds.filter((id, i) => gate.filter((m) => m % 2 === 0)(i))]).toEqual([4, 6, 8, 10, 12]);
  });
});
