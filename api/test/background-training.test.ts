import { createApp, type MarqueeApp } from "../src/app";
import { loadConfig, type MarqueeConfig } from "../src/config";
import { simulateAudience } from "../src/import/simulate";
import { createTestDatabase, type TestDatabase } from "./database";
import type { GraphQLResponse } from "./server";

/**
 * Background training as `npm start` runs it (MARQUEE_AUTO_TRAIN on), with small thresholds: the
 * first model trains at start; MARQUEE_RETRAIN_EVENTS new events, or MARQUEE_RETRAIN_MINUTES with
 * an event, retrain; a retraining that does not replace the model waits for as many events again
 * (it used to retrain at every check); a trainModel from another process meanwhile is TRAINING_BUSY,
 * and /readyz answers ready (training) before the first model exists.
 */

interface ModelRow {
  id: number;
  status: string;
  event_watermark: string;
}

let db: TestDatabase;
let profileId: string;
let movieIds: string[];
const apps: MarqueeApp[] = [];

async function start(overrides: Partial<MarqueeConfig>): Promise<{ app: MarqueeApp; url: string }> {
  const app = await createApp({
    dataSource: db.dataSource,
    config: { ...loadConfig({}), logLevel: "error", modelPollSeconds: 0, retrainCheckSeconds: 0.5, learnWeights: null, tuning: null, ...overrides },
    log: () => undefined,
  });
  apps.push(app);
  const { url } = await app.listen(0);
  return { app, url };
}

async function stop(app: MarqueeApp): Promise<void> {
  apps.splice(apps.indexOf(app), 1);
  await app.close();
}

async function gql<T>(url: string, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>> {
  const res = await fetch(`${url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
  return (await res.json()) as GraphQLResponse<T>;
}

const models = (): Promise<ModelRow[]> => db.dataSource.query(`SELECT id, status, event_watermark FROM models ORDER BY id`);

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 180_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await check()); ) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** No training in flight: every row has finished. */
const settled = async () => (await models()).every((m) => m.status !== "TRAINING");

async function logEvents(url: string, n: number, offset = 0): Promise<void> {
  const inputs = Array.from({ length: n }, (_, i) => ({ profileId, movieId: movieIds[(offset + i) % movieIds.length], type: "PLAY", progress: 0.5 }));
  const res = await gql(url, `mutation($i: [LogInteractionInput!]!) { logInteractions(inputs: $i) { id } }`, { i: inputs });
  expect(res.errors).toBeUndefined();
}

beforeAll(async () => {
  db = await createTestDatabase();
  // A small synthetic audience: each training (auto: EASE and iALS validated, then the bundle) takes seconds.
  await simulateAudience(db.dataSource, { events: 4000, viewers: 60, titles: 120, seed: 5, days: 30 });
  profileId = (await db.dataSource.query(`SELECT id FROM profiles ORDER BY created_at LIMIT 1`))[0].id;
  movieIds = (await db.dataSource.query(`SELECT id::text AS id FROM movies ORDER BY id`)).map((row: { id: string }) => row.id);
}, 120_000);

afterAll(async () => {
  for (const app of [...apps]) await app.close();
  await db?.drop();
}, 60_000);

it("trains the first model at start, another process's trainModel meanwhile is TRAINING_BUSY, and retrains after RETRAIN_EVENTS new events", async () => {
  const { app, url } = await start({ autoTrain: true, retrainAfterEvents: 25, retrainAfterMinutes: 10_000 });
  const other = await start({ autoTrain: false });
  // Once the background trainer holds the training lock (it reported a phase), it is paused
  // (SIGSTOP) so it certainly still holds it: a second training is refused, /readyz says training.
  await until("the first background training to start", async () => (app.services.models.training()?.phase ?? null) !== null);
  const trainer = app.services.models.training()!.pid!;
  process.kill(trainer, "SIGSTOP");
  try {
    const busy = await gql(other.url, `mutation { trainModel(algorithm: "popular") { id } }`);
    expect(busy.errors?.[0].extensions?.code).toBe("TRAINING_BUSY");
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", model: null, training: true });
  } finally {
    process.kill(trainer, "SIGCONT");
  }
  await stop(other.app);

  await until("the first model to be active", async () => (await models()).some((m) => m.status === "ACTIVE"));
  await until("the first training to settle", settled);
  const first = (await models()).find((m) => m.status === "ACTIVE")!;

  await logEvents(url, 24);
  // One event short of the threshold: a few checks later, still no training.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  expect((await models()).filter((m) => m.id > first.id)).toEqual([]);
  await logEvents(url, 1, 24);
  await until("a retraining after 25 events", async () => (await models()).some((m) => m.id > first.id && m.status !== "TRAINING"));
  const retrained = (await models()).find((m) => m.id > first.id)!;
  expect(Number(retrained.event_watermark)).toBeGreaterThan(Number(first.event_watermark));
  await stop(app);
}, 600_000);

it("a retraining that is not better waits for as many events again instead of retraining at every check", async () => {
  await until("no training in flight", settled);
  // Make every candidate lose: the serving model claims a perfect validation score.
  await db.dataSource.query(`UPDATE models SET metrics = jsonb_set(coalesce(metrics, '{}'), '{NDCG@10}', '1') WHERE status = 'ACTIVE'`);
  const { app, url } = await start({ autoTrain: true, retrainAfterEvents: 25, retrainAfterMinutes: 10_000 });
  const before = (await models()).length;
  await logEvents(url, 25, 100);
  await until("the retraining to be rejected", async () => (await models()).length === before + 1 && (await settled()));
  expect((await models()).at(-1)!.status).toBe("REJECTED");
  // Still 25+ events past the active model's watermark; before the fix a training started at every 0.5 s check.
  await new Promise((resolve) => setTimeout(resolve, 4_000));
  expect((await models()).length).toBe(before + 1);
  await logEvents(url, 25, 150);
  await until("another retraining after 25 more events", async () => (await models()).length === before + 2 && (await settled()));
  await stop(app);
}, 600_000);

it("retrains once the model is RETRAIN_MINUTES old and an event arrived", async () => {
  await until("no training in flight", settled);
  await db.dataSource.query(`UPDATE models SET metrics = metrics - 'NDCG@10' WHERE status = 'ACTIVE'`);
  // 0.05 minutes = 3 s; events would need a million.
  const { app, url } = await start({ autoTrain: true, retrainAfterEvents: 1_000_000, retrainAfterMinutes: 0.05 });
  const before = (await models()).length;
  await logEvents(url, 1, 7);
  await until("a retraining by age", async () => (await models()).length === before + 1 && (await settled()));
  await stop(app);
}, 600_000);
