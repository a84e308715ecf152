import "reflect-metadata";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DataSource } from "typeorm";
import { createApp } from "../src/app";
import { loadConfig } from "../src/config";
import { dataSourceOptions, MIGRATIONS_GLOB } from "../src/database/data-source";
import { unitStart } from "../src/database/time-partitions";
import { ImportService } from "../src/import/import.service";
import { InteractionPartitions } from "../src/interactions/interaction-partitions";
import { rebuildInteractionScores, SCORE_COLUMNS, scoreAggregates } from "../src/interactions/interaction-score.repository";
import { insertMovies, insertProfile, scoreRows } from "./factories";
import { quoteIdent, TEST_DB_PREFIX, withAdmin, withDatabase } from "./postgres";
import { startTestServer, type GraphQLResponse, type TestServer } from "./server";

const LOG_MANY = `mutation LogMany($inputs: [LogInteractionInput!]!) {
  logInteractions(inputs: $inputs) { id profileId movieId type occurredAt clientEventId }
}`;
const TYPES = ["THUMBNAIL_CLICK", "PLAY", "WATCHED_FULL", "SKIPPED", "CLOSED", "LIKE", "DISLIKE", "ADD_TO_LIST"] as const;
const MIGRATION = "1796177839118-PartitionedInteractions";

interface Stored {
  id: string;
  profileId: string;
  movieId: string;
  type: string;
  occurredAt: string;
  clientEventId: string | null;
}

/** A deterministic stream of numbers in [0, 1). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
}

const month = (n: number, day = 10) => unitStart(Date.now() - 1000, "month", n) + (day - 1) * 86_400_000;

async function partitionNames(ds: DataSource): Promise<string[]> {
  const rows: { name: string }[] = await ds.query(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'interactions'::regclass ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

async function profileSums(ds: DataSource): Promise<{ profile_id: string; score: number; events: number }[]> {
  return ds.query(`SELECT profile_id, sum(score)::float8 AS score, sum(event_count)::int AS events FROM interaction_scores GROUP BY 1 ORDER BY 1`);
}

describe("the migration to a partitioned event log", () => {
  const adminUrl = process.env.MARQUEE_TEST_ADMIN_URL!;
  const name = `${TEST_DB_PREFIX}_${Date.now()}_partition_${process.pid}`;
  let ds: DataSource;

  afterAll(async () => {
    if (ds?.isInitialized) await ds.destroy();
    await withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
  });

  it("keeps every row, id and score of a database populated under the old schema, and its deduplication", async () => {
    await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${quoteIdent(name)}`));
    const url = withDatabase(adminUrl, name);
    // Every migration before this one, then data written the way the old schema took it.
    const dir = path.dirname(MIGRATIONS_GLOB);
    const earlier = readdirSync(dir)
      .filter((f) => /^\d+-.*\.ts$/.test(f) && f < MIGRATION)
      .map((f) => path.join(dir, f));
    const old = new DataSource({ ...dataSourceOptions({ url }), migrations: earlier });
    await old.initialize();
    await old.runMigrations({ transaction: "each" });
    await insertMovies(old, Array.from({ length: 30 }, (_, i) => ({ id: i + 1, title: `T${i + 1}` })));
    const profiles: string[] = [];
    for (let p = 0; p < 6; p++) profiles.push(await insertProfile(old, `P${p}`));
    const next = random(7);
    const rows = Array.from({ length: 1500 }, (_, i) => {
      const type = TYPES[Math.floor(next() * TYPES.length)];
      return {
        profile: profiles[Math.floor(next() * profiles.length)],
        movie: 1 + Math.floor(next() * 30),
        type,
        // Over the last 20 months, with ties on the same second for the thumb order.
        at: new Date(Math.floor((Date.now() - next() * 600 * 86_400_000) / 1000) * 1000),
        progress: type === "PLAY" ? Math.round(next() * 100) / 100 : null,
        client: next() < 0.7 ? `old-${i}` : null,
      };
    });
    await old.query(
      `INSERT INTO interactions (profile_id, movie_id, type, weight, progress, occurred_at, client_event_id)
       SELECT u.p, u.m, u.t, w.weight, u.g, u.a, u.c FROM unnest($1::uuid[], $2::int[], $3::interaction_type[], $4::real[], $5::timestamptz[], $6::text[]) AS u (p, m, t, g, a, c)
       JOIN event_weights w ON w.type = u.t`,
      [rows.map((r) => r.profile), rows.map((r) => r.movie), rows.map((r) => r.type), rows.map((r) => r.progress), rows.map((r) => r.at), rows.map((r) => r.client)],
    );
    // The newest event deleted: its id must not come back.
    const [{ top }] = (await old.query(`SELECT max(id)::text AS top FROM interactions`)) as { top: string }[];
    await old.query(`DELETE FROM interactions WHERE id = $1`, [top]);
    // The scores as the old code rebuilt them.
    await old.query(`TRUNCATE interaction_scores`);
    await old.query(
      `INSERT INTO interaction_scores (${SCORE_COLUMNS}) SELECT ${scoreAggregates("w.weight")} FROM interactions i JOIN event_weights w ON w.type = i.type GROUP BY i.profile_id, i.movie_id`,
    );
    const allColumns = `id::text, profile_id, movie_id, type, weight, progress, position_seconds, occurred_at, received_at, client_event_id`;
    const before = await old.query(`SELECT ${allColumns} FROM interactions ORDER BY id`);
    const scoresBefore = await scoreRows(old);
    const sumsBefore = await profileSums(old);
    await old.destroy();

    ds = new DataSource(dataSourceOptions({ url }));
    await ds.initialize();
    const applied = await ds.runMigrations({ transaction: "each" });
    expect(applied.map((m) => m.name)).toContain("PartitionedInteractions1796177839118");

    expect(await ds.query(`SELECT ${allColumns} FROM interactions ORDER BY id`)).toEqual(before);
    expect(before).toHaveLength(1499);
    expect(await profileSums(ds)).toEqual(sumsBefore);
    expect(await scoreRows(ds)).toEqual(scoresBefore);
    // The old table is the first partition, as it was (no row copied); this month on have their own.
    const parts = await partitionNames(ds);
    expect(parts[parts.length - 1]).toMatch(/^interactions_until_\d{6}$/);
    expect(parts).toContain(`interactions_${new Date(month(2)).toISOString().slice(0, 7).replace("-", "")}`);
    const [{ n: inFirst }] = (await ds.query(`SELECT count(*)::int AS n FROM ${quoteIdent(parts[parts.length - 1])}`)) as { n: number }[];
    expect(inFirst).toBe(1499);
    // Rebuilt from the partitioned log: the same scores.
    await rebuildInteractionScores(ds);
    expect(await scoreRows(ds)).toEqual(scoresBefore);
    expect(await profileSums(ds)).toEqual(sumsBefore);

    // The API on the migrated database: an old client event id still dedupes, a new event's id goes on after the old ones.
    const app = await createApp({ dataSource: ds, config: { ...loadConfig({}), autoTrain: false, logLevel: "error" } });
    try {
      const { url: api } = await app.listen(0);
      const gql = async (inputs: unknown[]) =>
        (await (await fetch(`${api}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: LOG_MANY, variables: { inputs } }) })).json()) as GraphQLResponse<{
          logInteractions: Stored[];
        }>;
      const resent = rows.findIndex((r) => r.client !== null);
      const [stored] = (before as { id: string; client_event_id: string | null }[]).filter((r) => r.client_event_id === rows[resent].client);
      const res = await gql([
        { profileId: rows[resent].profile, movieId: String(rows[resent].movie), type: rows[resent].type, occurredAt: rows[resent].at.toISOString(), clientEventId: rows[resent].client },
        { profileId: profiles[0], movieId: "1", type: "PLAY", clientEventId: "after-migration" },
      ]);
      expect(res.errors).toBeUndefined();
      expect(res.data!.logInteractions[0].id).toBe(stored.id);
      expect(BigInt(res.data!.logInteractions[1].id)).toBeGreaterThan(BigInt(top));
      expect(await ds.query(`SELECT count(*)::int AS n FROM interactions`)).toEqual([{ n: 1500 }]);
    } finally {
      await app.close();
    }
  }, 120_000);
});

describe("monthly partitions and retention", () => {
  let server: TestServer;
  let alice: string;
  let bob: string;
  let dir: string;
  const ds = () => server.db.dataSource;
  const log = async (inputs: Record<string, unknown>[]) => {
    const res = await server.gql<{ logInteractions: Stored[] }>(LOG_MANY, { inputs });
    expect(res.errors).toBeUndefined();
    return res.data!.logInteractions;
  };
  const count = async (sql: string, params: unknown[] = []) => ((await ds().query(sql, params)) as { n: number }[])[0].n;

  beforeAll(async () => {
    server = await startTestServer();
    dir = mkdtempSync(path.join(os.tmpdir(), "marquee-partitions-test-"));
    await insertMovies(ds(), Array.from({ length: 10 }, (_, i) => ({ id: i + 1, title: `Title ${i + 1}` })));
    alice = await insertProfile(ds(), "Alice");
    bob = await insertProfile(ds(), "Bob");
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("dedupe a client event id across months, and within a batch", async () => {
    const [first] = await log([{ profileId: alice, movieId: "1", type: "PLAY", occurredAt: new Date(month(-3)).toISOString(), clientEventId: "c-1" }]);
    // Resent with another time (a month later: another partition), and twice in one batch.
    const again = await log([
      { profileId: alice, movieId: "1", type: "PLAY", occurredAt: new Date(month(0, 1)).toISOString(), clientEventId: "c-1" },
      { profileId: alice, movieId: "2", type: "LIKE", occurredAt: new Date(month(-1)).toISOString(), clientEventId: "c-2" },
      { profileId: alice, movieId: "2", type: "LIKE", occurredAt: new Date(month(0, 1)).toISOString(), clientEventId: "c-2" },
    ]);
    expect(again[0]).toEqual(first);
    expect(again[2]).toEqual(again[1]);
    expect(await count(`SELECT count(*)::int AS n FROM interactions WHERE profile_id = $1`, [alice])).toBe(2);
    expect(await count(`SELECT count(*)::int AS n FROM interaction_client_ids WHERE profile_id = $1`, [alice])).toBe(2);
  });

  it("store again an event whose claim outlived it (its movie deleted, or rows removed by hand)", async () => {
    const [first] = await log([{ profileId: bob, movieId: "3", type: "PLAY", clientEventId: "gone-1" }]);
    await ds().query(`DELETE FROM interactions WHERE id = $1`, [first.id]);
    const [again] = await log([{ profileId: bob, movieId: "3", type: "PLAY", clientEventId: "gone-1" }]);
    expect(again.id).not.toBe(first.id);
    const [resent] = await log([{ profileId: bob, movieId: "3", type: "PLAY", clientEventId: "gone-1" }]);
    expect(resent).toEqual(again);
    expect(await count(`SELECT count(*)::int AS n FROM interactions WHERE client_event_id = 'gone-1'`)).toBe(1);
    await rebuildInteractionScores(ds());
  });

  it("drop whole the months past MARQUEE_EVENT_RETENTION_MONTHS, and rebuild-scores still gives the same scores", async () => {
    // Events over ten months: most in the first partition (everything before the migration's month), some this month.
    const next = random(11);
    const inputs = Array.from({ length: 300 }, (_, i) => {
      const monthsAgo = i % 3 === 0 ? 0 : 1 + Math.floor(next() * 9);
      const at = monthsAgo === 0 ? Date.now() - 1000 - Math.floor(next() * (Date.now() - 1000 - month(0, 1))) : month(-monthsAgo, 1 + Math.floor(next() * 27));
      return {
        profileId: next() < 0.5 ? alice : bob,
        movieId: String(1 + Math.floor(next() * 10)),
        type: TYPES[Math.floor(next() * TYPES.length)],
        occurredAt: new Date(Math.floor(at / 1000) * 1000).toISOString(),
        clientEventId: `r-${i}`,
      };
    });
    await log(inputs);
    const live = await scoreRows(ds());
    await rebuildInteractionScores(ds());
    expect(await scoreRows(ds())).toEqual(live);
    const total = await count(`SELECT count(*)::int AS n FROM interactions`);
    const current = await count(`SELECT count(*)::int AS n FROM interactions WHERE occurred_at >= $1`, [new Date(month(0, 1))]);

    // Two months on, keeping two whole months: the first partition (up to this month) goes.
    const later = month(2, 15);
    const partitions = new InteractionPartitions(ds(), { retentionMonths: 2 });
    const first = (await partitionNames(ds())).find((n) => n.startsWith("interactions_until_"))!;
    const { dropped, created } = await partitions.maintain(later);
    expect(dropped).toEqual([first]);
    expect(created).toEqual([`interactions_${new Date(month(3)).toISOString().slice(0, 7).replace("-", "")}`, `interactions_${new Date(month(4)).toISOString().slice(0, 7).replace("-", "")}`]);
    expect(await partitionNames(ds())).not.toContain(first);
    expect(await count(`SELECT count(*)::int AS n FROM interactions`)).toBe(current);
    expect(await count(`SELECT coalesce(sum(event_count), 0)::int AS n FROM interaction_scores_archived`)).toBe(total - current);
    // Serving's table is untouched; a rebuild from the archive plus the log gives the same.
    expect(await scoreRows(ds())).toEqual(live);
    await rebuildInteractionScores(ds());
    expect(await scoreRows(ds())).toEqual(live);
    // The dropped months' client ids are forgotten, the kept ones still dedupe.
    expect(await count(`SELECT count(*)::int AS n FROM interaction_client_ids WHERE occurred_at < $1`, [new Date(month(0, 1))])).toBe(0);
    const kept = inputs.findIndex((e) => Date.parse(e.occurredAt) >= month(0, 1));
    const [stored] = (await ds().query(`SELECT id::text FROM interactions WHERE client_event_id = $1`, [inputs[kept].clientEventId])) as { id: string }[];
    expect((await log([inputs[kept]]))[0].id).toBe(stored.id);
    expect(await count(`SELECT count(*)::int AS n FROM interactions`)).toBe(current);

    // An old queued event arrives: its month is made on demand; the next pass archives and drops it.
    const oldMonth = `interactions_${new Date(month(-5)).toISOString().slice(0, 7).replace("-", "")}`;
    await log([{ profileId: alice, movieId: "4", type: "LIKE", occurredAt: new Date(month(-5)).toISOString(), clientEventId: "late-1" }]);
    expect(await partitionNames(ds())).toContain(oldMonth);
    const liveAfterLate = await scoreRows(ds());
    expect(await partitions.maintain(later)).toEqual({ created: [], dropped: [oldMonth] });
    await rebuildInteractionScores(ds());
    expect(await scoreRows(ds())).toEqual(liveAfterLate);
  });

  it("import (bulk COPY path) into the partitioned table, making the months it needs", async () => {
    const csv = path.join(dir, "events.csv");
    writeFileSync(
      csv,
      [
        "profile,movie,type,occurred_at,client_event_id",
        `${alice},5,PLAY,${new Date(month(-7)).toISOString()},imp-1`,
        `${alice},5,WATCHED_FULL,${new Date(month(0, 1) + 3_600_000).toISOString()},imp-2`,
        `${bob},6,LIKE,${new Date(month(-7)).toISOString()},imp-3`,
      ].join("\n") + "\n",
    );
    const service = new ImportService(ds());
    expect(await service.importEvents({ path: csv })).toMatchObject({ eventsImported: 3, duplicates: 0 });
    expect(await service.importEvents({ path: csv })).toMatchObject({ eventsImported: 0, duplicates: 3 });
    expect(await partitionNames(ds())).toContain(`interactions_${new Date(month(-7)).toISOString().slice(0, 7).replace("-", "")}`);
    expect(await count(`SELECT count(*)::int AS n FROM interactions WHERE client_event_id LIKE 'imp-%'`)).toBe(3);
    const live = await scoreRows(ds());
    await rebuildInteractionScores(ds());
    expect(await scoreRows(ds())).toEqual(live);
  });

  it("remove a deleted profile's events from every partition, with its client ids and archived counts", async () => {
    expect(await count(`SELECT count(*)::int AS n FROM interaction_scores_archived WHERE profile_id = $1`, [bob])).toBeGreaterThan(0);
    await ds().query(`DELETE FROM profiles WHERE id = $1`, [bob]);
    for (const table of ["interactions", "interaction_client_ids", "interaction_scores", "interaction_scores_archived"]) {
      expect([table, await count(`SELECT count(*)::int AS n FROM ${table} WHERE profile_id = $1`, [bob])]).toEqual([table, 0]);
    }
    expect(await count(`SELECT count(*)::int AS n FROM interactions WHERE profile_id = $1`, [alice])).toBeGreaterThan(0);
  });
});
