import { Client } from "pg";
import pino from "pino";
import { Registry } from "prom-client";
import type { DataSource } from "typeorm";
import { createApp, type MarqueeApp } from "../src/app";
import { loadConfig } from "../src/config";
import { openDatabase } from "../src/database/data-source";
import { ReadReplica } from "../src/database/read-replica";
import { insertMovies, insertProfile } from "./factories";
import { clusterRoot, removeCluster, startPrimary, startStandby, type PgServer } from "./pg-cluster";

/**
 * DATABASE_READ_URL for real: a primary and a streaming standby this test starts from Debian's
 * PostgreSQL binaries, the standby applying changes 5 s late (recovery_min_apply_delay), so a read
 * that went to it cannot see a write just made. Browse, search and admin charts read the standby;
 * the viewer's own history on home reads the primary; a stopped standby sends reads to the
 * primary; a query the standby cancels for a recovery conflict is answered by the primary.
 */

const APPLY_DELAY_MS = 5_000;
const MOVIES = `query Search($text: String) { movies(first: 5, filter: { text: $text }) { totalCount edges { node { title } } } }`;
const HOME = `query Home($profileId: ID!) { home(profileId: $profileId) { kind items { progress movie { id } } } }`;
const LOG = `mutation Log($input: LogInteractionInput!) { logInteraction(input: $input) { id } }`;
const VOLUME = `{ eventVolume(bucket: HOUR) { events } }`;

let root: string;
let primary: PgServer;
let standby: PgServer;
let dataSource: DataSource;
let marquee: MarqueeApp;
let url: string;
let profileId: string;

async function gql<T>(query: string, variables?: Record<string, unknown>): Promise<{ data?: T; errors?: { message: string; extensions?: { code?: string } }[] }> {
  const res = await fetch(`${url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
  return (await res.json()) as { data?: T; errors?: { message: string }[] };
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await check()); ) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** marquee_read_queries_total by "target/reason". */
async function readCounts(): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const [, labels, value] of text.matchAll(/^marquee_read_queries_total\{([^}]*)\} (\S+)$/gm)) {
    const target = /target="([^"]+)"/.exec(labels)![1];
    const reason = /reason="([^"]+)"/.exec(labels)![1];
    counts[`${target}/${reason}`] = Number(value);
  }
  return counts;
}

const searchCount = async (text: string) => {
  const res = await gql<{ movies: { totalCount: number } }>(MOVIES, { text });
  expect(res.errors).toBeUndefined();
  return res.data!.movies.totalCount;
};

beforeAll(async () => {
  root = clusterRoot("replica");
  primary = await startPrimary(root);
  const admin = new Client({ connectionString: primary.url() });
  await admin.connect();
  await admin.query("CREATE DATABASE marquee");
  await admin.end();
  dataSource = await openDatabase({ url: primary.url("marquee"), poolSize: 6 });
  await insertMovies(dataSource, Array.from({ length: 12 }, (_, i) => ({ id: i + 1, title: `Catalog title ${i + 1}`, genres: [i % 2 ? "Drama" : "Comedy"] })));
  profileId = await insertProfile(dataSource, "Replicated");
  // The standby starts from a base backup of all that, then streams what comes after, late.
  standby = await startStandby(root, primary, { recovery_min_apply_delay: `${APPLY_DELAY_MS}ms`, max_standby_streaming_delay: 0 });
  marquee = await createApp({
    dataSource,
    config: { ...loadConfig({}), databaseReadUrl: standby.url("marquee"), autoTrain: false, logLevel: "silent" },
    log: () => undefined,
  });
  ({ url } = await marquee.listen(0));
}, 180_000);

afterAll(async () => {
  await marquee?.close();
  await dataSource?.destroy().catch(() => undefined);
  if (root) removeCluster(root, [standby, primary]);
}, 60_000);

it("browse and search read the standby: a title just added on the primary appears there only after the apply delay", async () => {
  const before = await readCounts();
  await dataSource.query(`INSERT INTO movies (id, title, genres) VALUES (100, 'Freshly Added', ARRAY['Drama'])`);
  expect(await searchCount("Freshly")).toBe(0); // the standby has not applied it yet
  expect(await searchCount("Catalog")).toBe(12);
  await until("the standby to apply the insert", async () => (await searchCount("Freshly")) === 1, APPLY_DELAY_MS * 6);
  const after = await readCounts();
  expect((after["standby/replica"] ?? 0) - (before["standby/replica"] ?? 0)).toBeGreaterThanOrEqual(6); // a page and its count, per search
  expect(after["primary/standby_down"] ?? 0).toBe(0);
});

it("an event logged through the API is in that viewer's next home at once (its history is read on the primary), while the admin chart lags", async () => {
  const volume = async () => ((await gql<{ eventVolume: { events: number }[] }>(VOLUME)).data?.eventVolume ?? []).reduce((sum, p) => sum + p.events, 0);
  const chartBefore = await volume();
  const logged = await gql(LOG, { input: { profileId, movieId: "3", type: "PLAY", progress: 0.4 } });
  expect(logged.errors).toBeUndefined();
  const home = await gql<{ home: { kind: string; items: { progress: number | null; movie: { id: string } }[] }[] }>(HOME, { profileId });
  expect(home.errors).toBeUndefined();
  const resume = home.data!.home.find((row) => row.kind === "CONTINUE_WATCHING");
  expect(resume?.items.map((item) => [item.movie.id, item.progress])).toEqual([["3", 0.4]]);
  // The admin chart reads the standby: the event shows there after the delay, not before.
  expect(await volume()).toBe(chartBefore);
  await until("the chart to count the event", async () => (await volume()) === chartBefore + 1, APPLY_DELAY_MS * 6);
});

it("with the standby stopped, reads go to the primary and nothing errors; started again, reads return to it", async () => {
  standby.stop("fast");
  const before = await readCounts();
  for (let i = 0; i < 5; i++) {
    expect(await searchCount("Catalog")).toBe(12);
    const res = await gql<{ genres: string[] }>(`{ genres }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.genres).toEqual(["Comedy", "Drama"]);
  }
  // What the primary holds, without the standby's delay.
  await dataSource.query(`INSERT INTO movies (id, title, genres) VALUES (101, 'Added While Down', ARRAY['Drama'])`);
  expect(await searchCount("While Down")).toBe(1);
  const during = await readCounts();
  expect(during["primary/standby_down"] - (before["primary/standby_down"] ?? 0)).toBeGreaterThanOrEqual(12);
  expect(during["standby/replica"]).toBe(before["standby/replica"]);

  standby.start();
  await until("reads to return to the standby", async () => {
    await searchCount("Catalog");
    return (await readCounts())["standby/replica"] > during["standby/replica"];
  });
}, 120_000);

it("a query the standby cancels for a recovery conflict is retried on the primary", async () => {
  const registry = new Registry();
  const reads = new ReadReplica(dataSource, { url: standby.url("marquee"), logger: pino({ level: "silent" }), registry });
  const watcher = new Client({ connectionString: standby.url("marquee") });
  await watcher.connect();
  try {
    await until("the standby to accept reads", async () => (await reads.query<{ n: number }[]>(`SELECT 1 AS n`).catch(() => []))[0]?.n === 1);
    // A slow read holding a lock on movies on the standby...
    const slow = reads.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM movies, pg_sleep(2)`);
    await until("the slow read to run on the standby", async () => {
      const { rows } = await watcher.query(`SELECT 1 FROM pg_stat_activity WHERE query LIKE '%pg_sleep(2)%' AND state = 'active' AND pid <> pg_backend_pid()`);
      return rows.length > 0;
    });
    // ...and an ACCESS EXCLUSIVE lock taken on the primary: replaying it, the standby cancels the read at once (max_standby_streaming_delay = 0).
    await dataSource.transaction(async (manager) => {
      await manager.query(`LOCK TABLE movies IN ACCESS EXCLUSIVE MODE`);
    });
    const [{ n }] = await slow;
    const [{ total }] = (await dataSource.query(`SELECT count(*)::int AS total FROM movies`)) as { total: number }[];
    expect(n).toBe(total);
    const metrics = await registry.getSingleMetricAsString("marquee_read_queries_total");
    expect(metrics).toMatch(/marquee_read_queries_total\{target="primary",reason="recovery_conflict"\} 1/);
  } finally {
    await watcher.end();
    await reads.close();
  }
}, 120_000);
