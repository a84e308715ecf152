import { Client } from "pg";
import type { DataSource } from "typeorm";
import { createApp, type MarqueeApp } from "../src/app";
import { loadConfig } from "../src/config";
import { openDatabase } from "../src/database/data-source";
import { trainAndStore } from "../src/models/trainer";
import { insertMovies, insertProfile } from "./factories";
import { clusterRoot, removeCluster, startPrimary, type PgServer } from "./pg-cluster";

/**
 * Model switching by LISTEN/NOTIFY alone: the safety poll is off (MARQUEE_MODEL_POLL_SECONDS=0),
 * so a model activated without a NOTIFY is never picked up, and one announced by NOTIFY must serve
 * within 2 s (a correctness bound: the poll it replaces runs every 30 s). Then Postgres itself is
 * restarted (a server this test starts from Debian's binaries, never the shared one), and a NOTIFY
 * after the restart must still switch the model: the listener re-connected and LISTENs again.
 */

const SWITCH_DEADLINE_MS = 2_000;

let root: string;
let postgres: PgServer;
let dataSource: DataSource;
let marquee: MarqueeApp;
let url: string;
let firstModel: number;

async function servingId(): Promise<number | null> {
  try {
    const res = await fetch(`${url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"query":"{ activeModel { id } }"}' });
    const body = (await res.json()) as { data?: { activeModel: { id: string } | null } };
    return body.data?.activeModel ? Number(body.data.activeModel.id) : null;
  } catch {
    return null;
  }
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await check()); ) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Another process's activation: a copy of the first model's row as the new ACTIVE one, with or without the NOTIFY the trainer sends. */
async function activateCopy(notify: boolean): Promise<number> {
  const client = new Client({ connectionString: postgres.url("marquee") });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query(`UPDATE models SET status = 'RETIRED' WHERE status = 'ACTIVE'`);
    const { rows } = await client.query<{ id: number }>(
      `INSERT INTO models (algorithm, params, metrics, status, event_watermark, pairs, viewers, titles, training_seconds, size_bytes, artifact, trained_at, activated_at)
       SELECT algorithm, params, metrics, 'ACTIVE', event_watermark, pairs, viewers, titles, training_seconds, size_bytes, artifact, trained_at, now()
       FROM models WHERE id = $1 RETURNING id`,
      [firstModel],
    );
    if (notify) await client.query(`SELECT pg_notify('marquee_models', $1)`, [String(rows[0].id)]);
    await client.query("COMMIT");
    return rows[0].id;
  } finally {
    await client.end();
  }
}

async function notifyOnly(id: number): Promise<void> {
  const client = new Client({ connectionString: postgres.url("marquee") });
  await client.connect();
  await client.query(`SELECT pg_notify('marquee_models', $1)`, [String(id)]);
  await client.end();
}

/** The model listener's connection, LISTENing again (its last statement), as Postgres sees it. */
async function listenerListening(): Promise<boolean> {
  const client = new Client({ connectionString: postgres.url("marquee") });
  try {
    await client.connect();
    const { rows } = await client.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'marquee-model-listener' AND query LIKE 'LISTEN%'`);
    return rows.length === 1;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

beforeAll(async () => {
  root = clusterRoot("notify");
  postgres = await startPrimary(root);
  const admin = new Client({ connectionString: postgres.url() });
  await admin.connect();
  await admin.query("CREATE DATABASE marquee");
  await admin.end();
  dataSource = await openDatabase({ url: postgres.url("marquee"), poolSize: 6 });
  await insertMovies(dataSource, Array.from({ length: 20 }, (_, i) => ({ id: i + 1, title: `Title ${i + 1}` })));
  const profiles = await Promise.all(Array.from({ length: 8 }, (_, i) => insertProfile(dataSource, `Viewer ${i}`)));
  marquee = await createApp({ dataSource, config: { ...loadConfig({}), modelPollSeconds: 0, autoTrain: false, logLevel: "silent" }, log: () => undefined });
  ({ url } = await marquee.listen(0));
  const inputs = profiles.flatMap((profileId, p) => Array.from({ length: 6 }, (_, k) => ({ profileId, movieId: String(((p * 3 + k * 2) % 20) + 1), type: "WATCHED_FULL" })));
  const logged = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: `mutation($i: [LogInteractionInput!]!) { logInteractions(inputs: $i) { id } }`, variables: { i: inputs } }),
  });
  expect(((await logged.json()) as { errors?: unknown }).errors).toBeUndefined();
  const model = await trainAndStore(dataSource, { algorithm: "popular", threads: 1 });
  expect(model.status).toBe("ACTIVE");
  firstModel = model.id;
  await until("the first model to serve", async () => (await servingId()) === firstModel, 30_000);
}, 180_000);

afterAll(async () => {
  await marquee?.close();
  await dataSource?.destroy().catch(() => undefined);
  if (root) removeCluster(root, [postgres]);
}, 60_000);

it("with the poll off, a model activated without NOTIFY is not picked up; its NOTIFY switches within 2 s", async () => {
  const silent = await activateCopy(false);
  // Three seconds with a poll of 0: nothing but a notification may switch it.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  expect(await servingId()).toBe(firstModel);
  await notifyOnly(silent);
  await until("the switch after NOTIFY", async () => (await servingId()) === silent, SWITCH_DEADLINE_MS);
  const announced = await activateCopy(true);
  await until("the switch after the trainer-style activation", async () => (await servingId()) === announced, SWITCH_DEADLINE_MS);
});

it("after Postgres restarts, the listener LISTENs again and a later NOTIFY still switches the model", async () => {
  const before = await servingId();
  postgres.stop("fast");
  postgres.start();
  await until("the model listener to LISTEN again", listenerListening, 30_000);
  // The reconnect re-reads the active model once; let that finish so only the NOTIFY below can switch.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(await servingId()).toBe(before);
  const silent = await activateCopy(false);
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  expect(await servingId()).toBe(before);
  await notifyOnly(silent);
  await until("the switch after NOTIFY, after the restart", async () => (await servingId()) === silent, SWITCH_DEADLINE_MS);
}, 90_000);
