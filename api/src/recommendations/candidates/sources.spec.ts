import { eligibleNow } from "../home-request";
import { COLD_DRAMA, COMEDY, DRAMA, entry, fixtureCatalog, fixtureModel, fixtureRequest } from "../testing/home-fixture";
import { anchors, becauseYouWatchedRow } from "./because-you-watched.source";
import { favouriteGenres, genreRow } from "./genre.source";
import { newTitlesRow } from "./new-titles.source";
import { personalPool } from "./top-picks.source";
import { trendingRow } from "./trending.source";

const DAY = 86_400_000;

describe("candidate sources, each alone", () => {
  it("personal: the model's titles for the viewer's taste first, a never-watched title of that taste among them, best first", async () => {
    const [catalog, model] = await Promise.all([fixtureCatalog(), fixtureModel()]);
    const req = fixtureRequest(model, catalog, [entry(DRAMA[0]), entry(DRAMA[1]), entry(DRAMA[2])]);
    const pool = personalPool(req, req.gate.filter(), eligibleNow(req), 6, 5);
    const ids = pool.map((c) => c.movieId);
    expect(ids.slice(0, 3).sort()).toEqual([DRAMA[3], DRAMA[4], DRAMA[5]].sort());
    expect(ids).toContain(COLD_DRAMA);
    expect(ids).not.toContain(DRAMA[0]); // history is not recommended back
    expect(pool.map((c) => c.score)).toEqual([...pool.map((c) => c.score)].sort((a, b) => b - a));
  });

  it("because you watched: anchors by score decayed with age, rows of the anchor's neighbours", async () => {
    const [catalog, model] = await Promise.all([fixtureCatalog(), fixtureModel()]);
    const now = Date.now();
    const req = fixtureRequest(model, catalog, [
      entry(DRAMA[0], { score: 8, lastEventAt: now - 28 * DAY }), // two half-lives old: pull 2
      entry(COMEDY[0], { score: 3, lastEventAt: now }), // pull 3
      entry(COMEDY[1], { score: 5, disliked: true, lastEventAt: now }),
    ]);
    expect(anchors(req)).toEqual([COMEDY[0], DRAMA[0]]);
    const row = becauseYouWatchedRow(req, COMEDY[0]);
    expect(row.title).toBe(`Because you watched Title ${COMEDY[0]}`);
    expect(row.candidates.every((c) => COMEDY.includes(c.movieId) && c.movieId !== COMEDY[0])).toBe(true);
    expect(row.candidates.map((c) => c.movieId)).not.toContain(COMEDY[1]); // disliked: blocked
  });

  it("genre: the viewer's favourite genres in order, rows drawn from the pool within the genre", async () => {
    const [catalog, model] = await Promise.all([fixtureCatalog(), fixtureModel()]);
    const req = fixtureRequest(model, catalog, [entry(COMEDY[0], { score: 5 }), entry(DRAMA[0], { score: 2 })]);
    expect(favouriteGenres(req.viewer, catalog)).toEqual(["Comedy", "Drama"]);
    const pool = personalPool(req, req.gate.filter(), eligibleNow(req), 12, 5);
    const row = genreRow(req, pool, "Drama");
    expect(row.title).toBe("Drama picked for you");
    expect(row.candidates.length).toBeGreaterThan(0);
    expect(row.candidates.every((c) => catalog.movie(c.movieId)!.genres.includes("Drama"))).toBe(true);
  });

  it("trending: the same ranking for everyone, numbered by position", async () => {
    const [catalog, model] = await Promise.all([fixtureCatalog(), fixtureModel()]);
    const row = trendingRow(fixtureRequest(model, catalog, []));
    expect(row.candidates).toHaveLength(5);
    expect(row.candidates.map((c, i) => row.reason(c, i))).toEqual(["#1", "#2", "#3", "#4", "#5"].map((n) => `${n} on Marquee this week`));
  });

  it("new: the newest titles, reordered by the viewer's genre taste", async () => {
    const [catalog, model] = await Promise.all([fixtureCatalog(), fixtureModel()]);
    const blank = fixtureRequest(model, catalog, []);
    expect(newTitlesRow(blank, eligibleNow(blank)).candidates[0].movieId).toBe(15); // newest first without a taste
    const comedyFan = fixtureRequest(model, catalog, [entry(COMEDY[0], { score: 5 })]);
    const row = newTitlesRow(comedyFan, eligibleNow(comedyFan));
    expect(catalog.movie(row.candidates[0].movieId)!.genres).toEqual(["Comedy"]);
    expect(row.reason(row.candidates[0], 0)).toBe(`New on Marquee (${catalog.movie(row.candidates[0].movieId)!.year})`);
  });
});
