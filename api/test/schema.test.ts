import "reflect-metadata";
import { readFileSync } from "node:fs";
import path from "node:path";
import { findRepoRoot } from "../src/config";
import { buildMarqueeSchema, renderSchema } from "../src/graphql/schema";
import { rebuildInteractionScores } from "../src/interactions/interaction-score.repository";
import { ThumbOrder1795640000000 } from "../../migrations/1795640000000-ThumbOrder";
import { createTestDatabase, type TestDatabase } from "./database";
import { insertMovies, insertProfile, scoreRows } from "./factories";

describe("generated artifacts are current", () => {
  it("schema.graphql matches the type-graphql classes (run `npm run emit-schema` if this fails)", async () => {
    const committed = readFileSync(path.join(findRepoRoot(), "schema.graphql"), "utf8");
    expect(committed).toBe(renderSchema(await buildMarqueeSchema()));
  });

  describe("migrations", () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase();
    });
    afterAll(() => db.drop());

    it("produce exactly the schema the entities describe (write a migration if this fails)", async () => {
      const pending = await db.dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    });

    it("create the contract tables and seed the default event weights", async () => {
      const tables: { table_name: string }[] = await db.dataSource.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
      );
      expect(tables.map((t) => t.table_name)).toEqual(
        expect.arrayContaining(["event_weights", "interaction_scores", "interactions", "movies", "profiles"]),
      );
      const weights: { type: string; weight: number }[] = await db.dataSource.query(`SELECT type, weight FROM event_weights ORDER BY type`);
      expect(Object.fromEntries(weights.map((w) => [w.type, w.weight]))).toEqual({
        THUMBNAIL_CLICK: 1, PLAY: 2, WATCHED_FULL: 4, SKIPPED: 3, CLOSED: 2, LIKE: 4, DISLIKE: -4, ADD_TO_LIST: 3,
      });
    });

    it("index the hot queries: a profile's recent events, events since a time, pairs by movie", async () => {
      const indexes: { indexdef: string }[] = await db.dataSource.query(`SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'`);
      const defs = indexes.map((i) => i.indexdef).join("\n");
      // interactions is partitioned: its indexes are declared ON ONLY the parent, each partition has its own.
      expect(defs).toMatch(/ON ONLY public\.interactions USING btree \(profile_id, occurred_at DESC\)/);
      expect(defs).toMatch(/ON ONLY public\.interactions USING btree \(received_at\)/);
      expect(defs).toMatch(/UNIQUE INDEX interactions_pkey ON ONLY public\.interactions USING btree \(id, occurred_at\)/);
      expect(defs).toMatch(/ON public\.interaction_scores USING btree \(movie_id\)/);
      expect(defs).toMatch(/UNIQUE INDEX .* ON public\.interaction_client_ids USING btree \(profile_id, client_event_id\)/);
    });

    it("ThumbOrder fills in which event set each stored thumb, as a rebuild computes it", async () => {
      const { dataSource } = db;
      await insertMovies(dataSource, [{ id: 1, title: "One" }, { id: 2, title: "Two" }]);
      const profileId = await insertProfile(dataSource);
      // Thumbs stored out of client-time order (the second LIKE on title 1 is the older one), and a tie broken by id.
      await dataSource.query(
        `INSERT INTO interactions (profile_id, movie_id, type, weight, occurred_at)
         VALUES ($1, 1, 'DISLIKE', -4, '2026-01-02'), ($1, 1, 'LIKE', 4, '2026-01-01'), ($1, 1, 'PLAY', 2, '2026-01-03'),
                ($1, 2, 'LIKE', 4, '2026-01-05'), ($1, 2, 'DISLIKE', -4, '2026-01-05'), ($1, 2, 'PLAY', 2, '2026-01-01')`,
        [profileId],
      );
      await rebuildInteractionScores(dataSource);
      const rebuilt = await scoreRows(dataSource);
      expect(rebuilt.map((r) => [r.movie_id, r.liked, r.disliked])).toEqual([[1, false, true], [2, false, true]]);
      const runner = dataSource.createQueryRunner();
      try {
        await new ThumbOrder1795640000000().down(runner);
        await new ThumbOrder1795640000000().up(runner);
      } finally {
        await runner.release();
      }
      expect(await scoreRows(dataSource)).toEqual(rebuilt);
      await dataSource.query(`TRUNCATE interactions, interaction_scores, profiles, movies CASCADE`);
    });

    it("can be reverted and re-applied", async () => {
      const [{ n: applied }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM typeorm_migrations`);
      expect(applied).toBeGreaterThan(0);
      for (let i = 0; i < applied; i++) await db.dataSource.undoLastMigration();
      const left: unknown[] = await db.dataSource.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'interactions'`);
      expect(left).toHaveLength(0);
      await db.dataSource.runMigrations();
      expect(await db.dataSource.query(`SELECT count(*)::int AS n FROM event_weights`)).toEqual([{ n: 8 }]);
    });
  });
});
