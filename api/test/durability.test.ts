import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { spawn } from "node:child_process";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";
import type { DataSource } from "typeorm";
import { createApp, type MarqueeApp } from "../src/app";
import { loadConfig } from "../src/config";
import { openDatabase } from "../src/database/data-source";
import { postGraphQL, startApiProcess, type ApiProcess } from "./api-process";
import { createTestDatabase, type TestDatabase } from "./database";
import { freePort } from "./free-port";
import { rebuildInteractionScores } from "../src/interactions/interaction-score.repository";
import { insertMovies, insertProfile, scoreRows } from "./factories";

/**
 * Faults done for real: SIGKILL and SIGTERM of the API process (src/main.ts in a child), and a
 * restart of a Postgres of this test's own. (A crashing or out-of-memory trainer leaving the
 * active model serving is covered in models.test.ts.)
 */

const LOG_MANY = `mutation LogMany($inputs: [LogInteractionInput!]!) { logInteractions(inputs: $inputs) { id clientEventId } }`;
const LOG_ONE = `mutation Log($input: LogInteractionInput!) { logInteraction(input: $input) { id clientEventId } }`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function eventCounts(dataSource: DataSource): Promise<Map<string, number>> {
  const rows: { id: string; n: number }[] = await dataSource.query(`SELECT client_event_id AS id, count(*)::int AS n FROM interactions GROUP BY 1`);
  return new Map(rows.map((r) => [r.id, r.n]));
}

describe("the API process under kill -9 and SIGTERM", () => {
  let db: TestDatabase;
  let profileId: string;
  let api: ApiProcess | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    await insertMovies(db.dataSource, Array.from({ length: 20 }, (_, i) => ({ id: i + 1, title: `Title ${i + 1}` })));
    profileId = await insertProfile(db.dataSource, "Streamer");
  });
  afterAll(async () => {
    if (api && api.child.exitCode === null && api.child.signalCode === null) {
      api.child.kill("SIGKILL");
      await api.exited;
    }
    await db.drop();
  });

  const batch = (ids: readonly string[]) => ids.map((id, i) => ({ profileId, movieId: String(1 + ((id.length + i) % 20)), type: "PLAY", clientEventId: id }));

  it("after kill -9 mid-stream, every acknowledged event is stored exactly once, and retries of the rest are stored once", async () => {
    api = await startApiProcess(db.url);
    const acknowledged: string[][] = [];
    const unacknowledged: string[][] = [];
    let next = 0;
    let killed = false;
    const sender = async (target: string) => {
      while (!killed) {
        const ids = Array.from({ length: 25 }, () => `evt-${next++}`);
        try {
          const res = await postGraphQL<{ logInteractions: unknown[] }>(target, LOG_MANY, { inputs: batch(ids) });
          (res.errors?.length || !res.data ? unacknowledged : acknowledged).push(ids);
        } catch {
          unacknowledged.push(ids); // connection reset: the client cannot know whether it was stored
        }
      }
    };
    const senders = [1, 2, 3, 4].map(() => sender(api!.url));
    await waitFor("events to be acknowledged", () => acknowledged.length >= 20);
    api.child.kill("SIGKILL");
    killed = true;
    expect((await api.exited).signal).toBe("SIGKILL");
    await Promise.all(senders);
    // Four senders always have a batch on the wire, so some were cut off by the kill.
    expect(unacknowledged.length).toBeGreaterThan(0);

    const afterKill = await eventCounts(db.dataSource);
    for (const id of acknowledged.flat()) expect([id, afterKill.get(id)]).toEqual([id, 1]);
    // A cut-off batch is all or nothing (one transaction): never half stored.
    for (const ids of unacknowledged) expect(new Set(ids.map((id) => afterKill.get(id) ?? 0)).size).toBe(1);

    // The client retries what it could not confirm (and, having lost some answers, a few it could).
    api = await startApiProcess(db.url);
    for (const ids of [...unacknowledged, ...acknowledged.slice(0, 3)]) {
      const res = await postGraphQL<{ logInteractions: { clientEventId: string }[] }>(api.url, LOG_MANY, { inputs: batch(ids) });
      expect(res.errors).toBeUndefined();
      expect(res.data!.logInteractions.map((e) => e.clientEventId)).toEqual(ids);
    }
    const final = await eventCounts(db.dataSource);
    const everything = [...acknowledged.flat(), ...unacknowledged.flat()];
    for (const id of everything) expect([id, final.get(id)]).toEqual([id, 1]);
    expect([...final.values()].reduce((a, b) => a + b, 0)).toBe(everything.length);

    api.child.kill("SIGTERM");
    expect(await api.exited).toEqual({ code: 0, signal: null });
  });

  it("after kill -9 during a stream of single logInteraction calls (the coalesced path), every acknowledged event is stored and the scores equal a rebuild", async () => {
    await db.dataSource.query(`TRUNCATE interactions, interaction_scores, my_list`);
    api = await startApiProcess(db.url);
    // Every event type, and few pairs, so concurrent writes fold into the same score rows.
    const TYPES = ["THUMBNAIL_CLICK", "PLAY", "WATCHED_FULL", "SKIPPED", "CLOSED", "LIKE", "DISLIKE", "ADD_TO_LIST"];
    const single = (id: string, n: number) => ({ profileId, movieId: String(1 + (n % 7)), type: TYPES[n % TYPES.length], progress: (n % 10) / 10, clientEventId: id });
    const acknowledged: string[] = [];
    const unacknowledged: { id: string; n: number }[] = [];
    let next = 0;
    let killed = false;
    // 16 clients, each with one call on the wire at a time: the server coalesces what arrives
    // together into shared transactions, several in flight at once.
    const client = async (target: string) => {
      while (!killed) {
        const n = next++;
        const id = `one-${n}`;
        try {
          const res = await postGraphQL<{ logInteraction: { clientEventId: string } }>(target, LOG_ONE, { input: single(id, n) });
          if (res.data?.logInteraction?.clientEventId === id) acknowledged.push(id);
          else unacknowledged.push({ id, n });
        } catch {
          unacknowledged.push({ id, n });
        }
      }
    };
    const clients = Array.from({ length: 16 }, () => client(api!.url));
    await waitFor("single events to be acknowledged", () => acknowledged.length >= 400);
    api.child.kill("SIGKILL");
    killed = true;
    expect((await api.exited).signal).toBe("SIGKILL");
    await Promise.all(clients);
    expect(unacknowledged.length).toBeGreaterThan(0);

    // Every answer that went out was for a committed event: nothing acknowledged is missing.
    const afterKill = await eventCounts(db.dataSource);
    const missing = acknowledged.filter((id) => afterKill.get(id) !== 1);
    expect(missing).toEqual([]);
    // And no event was stored without its score (or the reverse): the incremental matrix is what
    // a rebuild from the log gives.
    const scoresAfterKill = await scoreRows(db.dataSource);
    expect(scoresAfterKill.length).toBeGreaterThan(0);
    await rebuildInteractionScores(db.dataSource);
    expect(await scoreRows(db.dataSource)).toEqual(scoresAfterKill);

    // After a restart, the client resends what it could not confirm; each is stored once, and the
    // scores still equal a rebuild.
    api = await startApiProcess(db.url);
    for (const { id, n } of unacknowledged) {
      const res = await postGraphQL<{ logInteraction: { clientEventId: string } }>(api.url, LOG_ONE, { input: single(id, n) });
      expect(res.errors).toBeUndefined();
    }
    const final = await eventCounts(db.dataSource);
    for (const id of [...acknowledged, ...unacknowledged.map((u) => u.id)]) expect([id, final.get(id)]).toEqual([id, 1]);
    const scores = await scoreRows(db.dataSource);
    await rebuildInteractionScores(db.dataSource);
    expect(await scoreRows(db.dataSource)).toEqual(scores);

    api.child.kill("SIGTERM");
    expect(await api.exited).toEqual({ code: 0, signal: null });
  }, 240_000); // two process starts and 400+ events: over a minute on a busy 2-core machine

  it("on SIGTERM stops accepting, finishes the in-flight request, closes its connections and exits 0", async () => {
    const connections = async (): Promise<Set<number>> => {
      const rows: { pid: number }[] = await db.dataSource.query(
        `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'marquee-%' AND pid <> pg_backend_pid()`,
      );
      return new Set(rows.map((r) => r.pid));
    };
    const before = await connections();
    api = await startApiProcess(db.url);
    const apiConnections = [...(await connections())].filter((pid) => !before.has(pid));
    expect(apiConnections.length).toBeGreaterThan(0);

    // Make one request slow for real: it waits on a lock this test holds.
    const locker = new Client({ connectionString: db.url });
    await locker.connect();
    await locker.query("BEGIN");
    await locker.query("LOCK TABLE movies IN ACCESS EXCLUSIVE MODE");
    const slow = postGraphQL<{ genres: string[] }>(api.url, `{ genres }`);
    await waitFor("the request to wait on the lock", async () => {
      const rows: unknown[] = await locker.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`).then((r) => r.rows);
      return rows.length > 0;
    });

    api.child.kill("SIGTERM");
    const port = Number(new URL(api.url).port);
    await waitFor("the listener to close", async () => {
      const refused = await new Promise<boolean>((resolve) => {
        const req = http.get({ host: "127.0.0.1", port, path: "/healthz", agent: false }, (res) => {
          res.resume();
          resolve(false);
        });
        req.on("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED"));
      });
      return refused;
    });
    expect(api.child.exitCode).toBeNull(); // still finishing the in-flight request

    await locker.query("COMMIT");
    await locker.end();
    const answer = await slow;
    expect(answer.status).toBe(200);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.genres).toEqual(["Drama"]);
    expect(await api.exited).toEqual({ code: 0, signal: null });
    expect(api.output()).toMatch(/SIGTERM: shutting down/);
    const left = await connections();
    expect(apiConnections.filter((pid) => left.has(pid))).toEqual([]);
  });
});

/** A dedicated Postgres in a child process (test/postgres-runner.ts). */
interface OwnPostgres {
  readonly url: string;
  stop(): Promise<void>;
}

async function startOwnPostgres(dataDir: string, port: number): Promise<OwnPostgres> {
  const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "test/postgres-runner.ts", dataDir, String(port)], {
    cwd: path.resolve(__dirname, ".."),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /READY (\S+)/.exec(stdout);
      if (match) resolve(match[1]);
    });
    void exited.then((code) => reject(new Error(`Postgres runner exited (${code}): ${output}`)));
  });
  return {
    url,
    async stop() {
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    },
  };
}

describe("a Postgres restart while the API serves", () => {
  let dataDir: string;
  let port: number;
  let pg: OwnPostgres;
  let dataSource: DataSource;
  let marquee: MarqueeApp;
  let url: string;
  let profileId: string;

  beforeAll(async () => {
    // Our own Postgres: the shared one on :5432 serves other test files at the same time.
    dataDir = path.join(mkdtempSync(path.join(os.tmpdir(), "marquee-restart-pg-")), "pg");
    chmodSync(path.dirname(dataDir), 0o755);
    port = await freePort();
    pg = await startOwnPostgres(dataDir, port);
    dataSource = await openDatabase({ url: pg.url, poolSize: 4 });
    await insertMovies(dataSource, [
      { id: 1, title: "One", genres: ["Comedy"] },
      { id: 2, title: "Two", genres: ["Drama"] },
    ]);
    profileId = await insertProfile(dataSource, "Patient");
    marquee = await createApp({ dataSource, config: { ...loadConfig({}), autoTrain: false, logLevel: "silent" }, log: () => undefined });
    ({ url } = await marquee.listen(0));
  }, 120_000);
  afterAll(async () => {
    await marquee?.close();
    await dataSource?.destroy().catch(() => undefined);
    await pg?.stop();
    rmSync(path.dirname(dataDir), { recursive: true, force: true });
  });

  const listeners = async (): Promise<number> => {
    const rows: { n: number }[] = await dataSource.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'marquee-model-listener'`);
    return rows[0].n;
  };

  it("answers with a typed error while Postgres is down, then serves again by itself", async () => {
    const log = (clientEventId: string) => postGraphQL<{ logInteraction: { clientEventId: string } }>(url, LOG_ONE, { input: { profileId, movieId: "1", type: "LIKE", clientEventId } });
    expect((await postGraphQL<{ genres: string[] }>(url, `{ genres }`)).data!.genres).toEqual(["Comedy", "Drama"]);
    expect((await log("before")).errors).toBeUndefined();
    expect(await listeners()).toBe(1);

    await pg.stop();
    const down = await postGraphQL(url, `{ genres }`);
    expect(down.errors![0].extensions!.code).toBe("SERVICE_UNAVAILABLE");
    expect(down.errors![0].message).toMatch(/database is unavailable.*retry/i);
    const refused = await log("during");
    expect(refused.data ?? null).toBeNull();
    expect(refused.errors![0].extensions!.code).toBe("SERVICE_UNAVAILABLE");
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
    expect((await fetch(`${url}/healthz`)).status).toBe(503);

    pg = await startOwnPostgres(dataDir, port);
    // No restart of the API: its pool and the model listener reconnect on their own.
    await waitFor("queries to succeed again", async () => (await postGraphQL(url, `{ genres }`)).errors === undefined);
    expect((await log("after")).errors).toBeUndefined();
    expect((await log("during")).errors).toBeUndefined(); // the client's retry of the refused event
    const counts = await eventCounts(dataSource);
    expect(Object.fromEntries(counts)).toEqual({ before: 1, during: 1, after: 1 });
    await waitFor("the model listener to reconnect", async () => (await listeners()) === 1, 20_000);
  });
});
