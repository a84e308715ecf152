import { readFileSync } from "node:fs";
import { loadEventWeights } from "../src/interactions/event-weights";
import { catalogPath, readCatalog, seedIfEmpty } from "../src/seeding/demo-seed";
import { buildDemoAudience, demoProfileId } from "../../seeds/demo-audience";
import { createTestDatabase, type TestDatabase } from "./database";
import { countRows } from "./factories";

describe("demo seed", () => {
  it("ships a catalog of >= 1,000 real titles with year, genres, synopsis, runtime and rating", () => {
    const catalog = readCatalog();
    expect(catalog.length).toBeGreaterThanOrEqual(1000);
    expect(new Set(catalog.map((m) => m.id)).size).toBe(catalog.length);
    for (const movie of catalog) {
      expect(movie.title.length).toBeGreaterThan(0);
      expect(movie.year).toBeGreaterThanOrEqual(1900);
      expect(movie.genres.length).toBeGreaterThan(0);
      expect(movie.synopsis).toMatch(/^An? .+\.$/);
      expect(movie.runtimeMinutes).toBeGreaterThanOrEqual(60);
      expect(["G", "PG", "PG-13", "R", "NC-17"]).toContain(movie.maturityRating);
    }
    expect(catalog.find((m) => m.id === 1)).toMatchObject({ title: "Toy Story", year: 1995, genres: ["Animation", "Children's", "Comedy"] });
    expect(readFileSync(catalogPath(), "utf8")).toContain('"title":"The Usual Suspects"');
  });

  it("simulates the same audience every time (fixed seed), with the whole event model", () => {
    const catalog = readCatalog();
    const a = buildDemoAudience(catalog);
    const b = buildDemoAudience(catalog);
    expect(a.profiles.length).toBeGreaterThanOrEqual(200);
    expect(a.profiles[0]).toMatchObject({ id: demoProfileId(0), name: "Ada" });
    expect(Array.from(a.events.movieId.slice(0, 500))).toEqual(Array.from(b.events.movieId.slice(0, 500)));
    expect(new Set(a.events.type)).toEqual(new Set(["THUMBNAIL_CLICK", "PLAY", "WATCHED_FULL", "SKIPPED", "CLOSED", "LIKE", "DISLIKE", "ADD_TO_LIST"]));
    // Every profile watches something.
    expect(new Set(a.events.profile).size).toBe(a.profiles.length);
  });

  describe("loading", () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase();
    });
    afterAll(() => db.drop());

    it("fills an empty database once, with scores rebuilt from the events", async () => {
      const weights = await loadEventWeights(db.dataSource);
      const result = await seedIfEmpty(db.dataSource, weights);
      expect(result).not.toBeNull();
      expect(await countRows(db.dataSource, "movies")).toBe(result!.movies);
      expect(await countRows(db.dataSource, "profiles")).toBe(result!.profiles);
      expect(await countRows(db.dataSource, "interactions")).toBe(result!.events);
      const [pairs]: { n: number }[] = await db.dataSource.query(`SELECT count(*)::int AS n FROM (SELECT DISTINCT profile_id, movie_id FROM interactions) t`);
      expect(await countRows(db.dataSource, "interaction_scores")).toBe(pairs.n);
      const [sums]: { a: number; b: number }[] = await db.dataSource.query(
        `SELECT (SELECT sum(weight) FROM interactions)::float8 AS a, (SELECT sum(score) FROM interaction_scores)::float8 AS b`,
      );
      expect(sums.b).toBeCloseTo(sums.a, 0);
      // The identity continues after the MovieLens ids, so a new title does not collide.
      const [{ id }]: { id: number }[] = await db.dataSource.query(`INSERT INTO movies (title) VALUES ('New title') RETURNING id`);
      expect(id).toBeGreaterThan(1682);
      expect(await seedIfEmpty(db.dataSource, weights)).toBeNull();
    });
  });
});
