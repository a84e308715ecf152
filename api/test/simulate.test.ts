/** `npm run simulate` on real Postgres: catalog top-up, profiles, exact event count, idempotency, scores equal rebuild. */
import { rebuildInteractionScores } from "../src/interactions/interaction-score.repository";
import { simulateAudience, simulationSource, tasteTopics } from "../src/import/simulate";
import { generateAudience } from "../src/engine/synthetic/audience";
import { createTestDatabase, type TestDatabase } from "./database";
import { countRows, insertMovies, scoreRows } from "./factories";

jest.setTimeout(60_000);

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await insertMovies(db.dataSource, [
    { id: 1, title: "Existing One", genres: ["Drama"] },
    { id: 2, title: "Existing Two", genres: ["Comedy"] },
  ]);
}, 30_000);
afterAll(() => db.drop(), 30_000);

const SPEC = { events: 6000, viewers: 80, titles: 150, seed: 7, days: 30 };

describe("simulateAudience", () => {
  it("tops up the catalog, creates one profile per viewer and writes exactly the generator's events", async () => {
    const result = await simulateAudience(db.dataSource, SPEC);
    expect(result.titlesCreated).toBe(148);
    expect(await countRows(db.dataSource, "movies")).toBe(150);
    expect(result.eventsImported).toBe(6000);
    expect(await countRows(db.dataSource, "interactions")).toBe(6000);
    const [{ viewers }] = await db.dataSource.query(`SELECT count(*)::int AS viewers FROM import_profiles WHERE source = $1`, [simulationSource(SPEC)]);
    // Viewers with a zero budget (log-normal activity) have no events and get no profile.
    expect(viewers).toBe(result.profilesCreated);
    expect(viewers).toBeGreaterThan(60);
    expect(viewers).toBeLessThanOrEqual(80);

    // The event mix is the generator's: same count per type as generateAudience with this spec.
    const stored: { type: string; n: number }[] = await db.dataSource.query(`SELECT type::text, count(*)::int AS n FROM interactions GROUP BY 1`);
    // The generator with the same taste topics as simulateAudience gave it (the catalog's genres).
    const catalog: { genres: string[] }[] = await db.dataSource.query(`SELECT genres FROM movies ORDER BY id LIMIT 150`);
    const generated = generateAudience({ viewers: 80, titles: 150, events: 6000, seed: 7, titleGenres: tasteTopics(catalog).titleGenres });
    const names = ["THUMBNAIL_CLICK", "PLAY", "WATCHED_FULL", "SKIPPED", "CLOSED", "LIKE", "DISLIKE", "ADD_TO_LIST"];
    const counts: Record<string, number> = {};
    for (let i = 0; i < generated.length; i++) counts[names[generated.type[i]]] = (counts[names[generated.type[i]]] ?? 0) + 1;
    // Same world, budgets and topics, and the event types do not depend on the time window: the mix is exactly the generator's.
    expect(Object.fromEntries(stored.map((row) => [row.type, row.n]))).toEqual(counts);
  });

  it("adds nothing when run again with the same options", async () => {
    const before = await countRows(db.dataSource, "interactions");
    const scores = await scoreRows(db.dataSource);
    const again = await simulateAudience(db.dataSource, SPEC);
    expect(again).toMatchObject({ eventsImported: 0, duplicates: 6000, profilesCreated: 0, titlesCreated: 0 });
    expect(await countRows(db.dataSource, "interactions")).toBe(before);
    expect(await scoreRows(db.dataSource)).toEqual(scores);
  });

  it("leaves interaction_scores equal to rebuild-scores", async () => {
    const incremental = await scoreRows(db.dataSource);
    expect(incremental.length).toBeGreaterThan(500);
    await rebuildInteractionScores(db.dataSource);
    expect(await scoreRows(db.dataSource)).toEqual(incremental);
  });

  it("refuses a non-positive size", async () => {
    await expect(simulateAudience(db.dataSource, { ...SPEC, events: 0 })).rejects.toThrow(/--events must be a positive integer/);
  });
});
