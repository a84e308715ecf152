/**
 * Ingest benchmark (`npm run bench:ingest -w api`): a real Marquee server (the `npm start` entry,
 * its own process) on a fresh database, loaded over HTTP from this process with
 *   0. a trivial query (`{ __typename }`): the framework's own ceiling on this machine, same run,
 *   1. single logInteraction calls (autocannon, concurrent connections),
 *   2. logInteractions batches of 1,000 events (a few concurrent clients),
 *   3. the reference: the same batches written straight through `pg` with the service's own two
 *      multi-row statements (events + score upsert) in one transaction, no HTTP/GraphQL/validation.
 * Writes the "ingest" section of BENCHMARKS.md. Targets (issue 2): 2,000 single events/s and
 * 50,000 events/s in batches of 1,000.
 * Options (env): DATABASE_URL (server to create the bench database on; default the local test
 * server, else an embedded Postgres), BENCH_SECONDS (per phase, default 10), BENCH_CONNECTIONS
 * (single calls, default 32), BENCH_BATCH_CLIENTS (default 2).
 */
import "reflect-metadata";
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { Client } from "pg";
import { openDatabase } from "../src/database/data-source";
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from "../src/database/embedded-postgres";
import { loadEventWeights, type EventWeights } from "../src/interactions/event-weights";
import { INTERACTION_TYPES, type InteractionType } from "../src/interactions/interaction-type";
import { upsertScoreDeltas } from "../src/interactions/interaction-score.repository";
import { aggregateScoreDeltas } from "../src/interactions/score-aggregation";
import { loadCatalog, readCatalog } from "../src/seeding/demo-seed";
import { describeMachine, percentile, table, writeSection } from "./report";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const BATCH_CLIENTS = Number(process.env.BENCH_BATCH_CLIENTS ?? 2);
const BATCH = 1000;
const PROFILES = 2000;
const DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/test";

/** Deterministic stream of plausible events over the catalog and profile pool. */
class EventStream {
  private state = 12345;
  constructor(
    private readonly profiles: readonly string[],
    private readonly movies: readonly number[],
  ) {}
  private random(): number {
    this.state = (Math.imul(this.state, 1103515245) + 12345) >>> 0;
    return this.state / 4294967296;
  }
  next(): { profileId: string; movieId: string; type: InteractionType; progress: number | null; occurredAt: string } {
    const type = INTERACTION_TYPES[Math.floor(this.random() * INTERACTION_TYPES.length)];
    return {
      profileId: this.profiles[Math.floor(this.random() * this.profiles.length)],
      movieId: String(this.movies[Math.floor(this.random() ** 2 * this.movies.length)]),
      type,
      progress: type === "PLAY" || type === "CLOSED" || type === "SKIPPED" ? Math.round(this.random() * 100) / 100 : null,
      occurredAt: new Date(Date.now() - 1000).toISOString(),
    };
  }
}

async function benchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `marquee_bench_${Date.now()}`;
  let server = process.env.DATABASE_URL ?? DEFAULT_SERVER;
  let embedded: EmbeddedPostgresHandle | undefined;
  let dataDir: string | undefined;
  const probe = new Client({ connectionString: server, connectionTimeoutMillis: 2000 });
  try {
    await probe.connect();
    await probe.end();
  } catch {
    if (process.env.DATABASE_URL) throw new Error(`Cannot connect to DATABASE_URL ${server}`);
    dataDir = mkdtempSync(path.join(os.tmpdir(), "marquee-bench-pg-"));
    chmodSync(dataDir, 0o755);
    embedded = await startEmbeddedPostgres({ dataDir, port: 5439, database: "bench" });
    server = embedded.url;
  }
  const admin = new Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new Client({ connectionString: server });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
      await embedded?.stop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Starts src/main.ts on the bench database (no seed, no background training) and waits for its URL. */
async function startServer(databaseUrl: string): Promise<{ url: string; child: ChildProcess }> {
  // Request logs at warn (as bench:home): an info line per request would be written by the server
  // and read by this process, which is also the load generator on the same two cores.
  const env = { ...process.env, DATABASE_URL: databaseUrl, PORT: "0", HOST: "127.0.0.1", MARQUEE_SEED: "0", MARQUEE_AUTO_TRAIN: "0", LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" };
  // MARQUEE_BENCH_PROFILE_DIR: the server runs under --cpu-prof (its profile lands there at exit).
  const profileDir = process.env.MARQUEE_BENCH_PROFILE_DIR;
  const profile = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(process.execPath, [...profile, "-r", "ts-node/register/transpile-only", "src/main.ts"], {
    cwd: path.resolve(__dirname, ".."),
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    let started = false;
    child.stdout!.on("data", (chunk: Buffer) => {
      if (started) return; // drained, not kept
      output += chunk.toString();
      const match = /Marquee is running at (http:\/\/\S+)/.exec(output);
      if (match) {
        started = true;
        resolve(match[1]);
      }
    });
    child.on("exit", (code) => reject(new Error(`the server exited with ${code}: ${output}`)));
  });
  return { url, child };
}

async function runBatches(
  seconds: number,
  clients: number,
  send: (events: ReturnType<EventStream["next"]>[]) => Promise<void>,
  stream: EventStream,
): Promise<{ events: number; seconds: number; latencies: number[] }> {
  const latencies: number[] = [];
  let events = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        const batch = Array.from({ length: BATCH }, () => stream.next());
        const t = performance.now();
        await send(batch);
        latencies.push(performance.now() - t);
        events += batch.length;
      }
    }),
  );
  return { events, seconds: (performance.now() - started) / 1000, latencies };
}

async function main(): Promise<void> {
  const db = await benchDatabase();
  const dataSource = await openDatabase({ url: db.url, poolSize: 20 });
  try {
    const catalog = readCatalog();
    await loadCatalog(dataSource, catalog);
    const profiles: { id: string }[] = await dataSource.query(
      `INSERT INTO profiles (name, avatar_color) SELECT 'Bench ' || g, '#e50914' FROM generate_series(1, $1) g RETURNING id`,
      [PROFILES],
    );
    const weights: EventWeights = await loadEventWeights(dataSource);
    const profileIds = profiles.map((p) => p.id);
    const stream = new EventStream(profileIds, catalog.map((m) => m.id));
    // The machine is shared and small: record how busy it was, so figures are read in context.
    const loadAtStart = os.loadavg()[0];
    const server = await startServer(db.url);
    const { url } = server;
    const [{ server_version }]: { server_version: string }[] = await dataSource.query(`SHOW server_version`);

    // 0. The framework's ceiling: a query that touches nothing.
    console.log(`trivial query: ${CONNECTIONS} connections, ${SECONDS} s...`);
    const trivial = await autocannon({
      url: `${url}/graphql`,
      connections: CONNECTIONS,
      duration: SECONDS,
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ __typename }" }),
    });

    // 1. Single events.
    const mutation = `mutation Log($input: LogInteractionInput!) { logInteraction(input: $input) { id } }`;
    console.log(`single logInteraction: ${CONNECTIONS} connections, ${SECONDS} s...`);
    const before = Number((await dataSource.query(`SELECT count(*) AS n FROM interactions`))[0].n);
    const single = await autocannon({
      url: `${url}/graphql`,
      connections: CONNECTIONS,
      duration: SECONDS,
      requests: [
        {
          method: "POST",
          path: "/graphql",
          headers: { "content-type": "application/json" },
          setupRequest: (request) => ({ ...request, body: JSON.stringify({ query: mutation, variables: { input: stream.next() } }) }),
        },
      ],
    });
    const stored = Number((await dataSource.query(`SELECT count(*) AS n FROM interactions`))[0].n) - before;
    const singleRate = stored / SECONDS;
    if (single.non2xx > 0 || single.errors > 0) console.warn(`single: ${single.non2xx} non-2xx, ${single.errors} errors`);

    // 2. Batches of 1,000 over HTTP.
    console.log(`logInteractions batches of ${BATCH}: ${BATCH_CLIENTS} clients, ${SECONDS} s...`);
    const batchMutation = `mutation LogMany($inputs: [LogInteractionInput!]!) { logInteractions(inputs: $inputs) { id } }`;
    const http = await runBatches(SECONDS, BATCH_CLIENTS, async (inputs) => {
      const response = await fetch(`${url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: batchMutation, variables: { inputs } }),
      });
      const body = (await response.json()) as { errors?: { message: string }[] };
      if (body.errors) throw new Error(`batch failed: ${body.errors[0].message}`);
    }, stream);

    // 3. Reference: the same two statements through pg, no HTTP, no GraphQL, no validation.
    console.log(`raw pg multi-row INSERT reference: ${BATCH_CLIENTS} clients, ${SECONDS} s...`);
    const raw = await runBatches(SECONDS, BATCH_CLIENTS, async (events) => {
      await dataSource.transaction(async (manager) => {
        const rows: { id: string; profile_id: string; movie_id: number; type: InteractionType; weight: number; progress: number | null; occurred_at: Date }[] =
          await manager.query(
            `INSERT INTO interactions (profile_id, movie_id, type, weight, progress, occurred_at)
             SELECT * FROM unnest($1::uuid[], $2::int[], $3::interaction_type[], $4::real[], $5::real[], $6::timestamptz[])
             RETURNING id, profile_id, movie_id, type, weight, progress, occurred_at`,
            [
              events.map((e) => e.profileId),
              events.map((e) => Number(e.movieId)),
              events.map((e) => e.type),
              events.map((e) => weights[e.type]),
              events.map((e) => e.progress),
              events.map((e) => e.occurredAt),
            ],
          );
        await upsertScoreDeltas(
          manager,
          aggregateScoreDeltas(rows.map((r) => ({ id: String(r.id), profileId: r.profile_id, movieId: r.movie_id, type: r.type, weight: r.weight, progress: r.progress, occurredAt: r.occurred_at }))),
        );
      });
    }, stream);

    server.child.kill("SIGTERM");
    await new Promise((resolve) => server.child.once("exit", resolve));
    const httpRate = http.events / http.seconds;
    const rawRate = raw.events / raw.seconds;
    const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
    const ms = (n: number) => n.toFixed(1);
    const body = [
      `The server is \`src/main.ts\` in its own process (background training off, LOG_LEVEL=${process.env.LOG_LEVEL ?? "warn"}); load comes from the benchmark process.`,
      `Load average when the run started: ${loadAtStart.toFixed(1)} on ${os.cpus().length} cores (other processes share the machine; compare the ratios, not the absolute rates).`,
      `Fresh database with the ${catalog.length}-title seed catalog and ${PROFILES} profiles; events spread over them (popular titles more often); each phase ${SECONDS} s.`,
      `Every event is validated, inserted and folded into \`interaction_scores\` in the same transaction.`,
      "",
      table(
        ["path", "concurrency", "events/s", "target", "latency p50 (ms)", "latency p99 (ms)"],
        [
          ["trivial query `{ __typename }` (framework ceiling)", `${CONNECTIONS} connections`, `${fmt(trivial.requests.average)} requests/s`, "-", ms(trivial.latency.p50), ms(trivial.latency.p99)],
          ["single `logInteraction` over HTTP", `${CONNECTIONS} connections`, fmt(singleRate), "2,000", ms(single.latency.p50), ms(single.latency.p99)],
          [`\`logInteractions\` batches of ${BATCH} over HTTP`, `${BATCH_CLIENTS} clients`, fmt(httpRate), "50,000", ms(percentile(http.latencies, 50)), ms(percentile(http.latencies, 99))],
          [`reference: same batches, raw multi-row INSERT + upsert via pg`, `${BATCH_CLIENTS} clients`, fmt(rawRate), "-", ms(percentile(raw.latencies, 50)), ms(percentile(raw.latencies, 99))],
        ],
      ),
      "",
      `Single events / trivial query: **${(singleRate / trivial.requests.average).toFixed(2)}** (concurrent single calls are coalesced server-side into shared transactions; each call returns after its commit).`,
      `Batched API / raw reference: **${(httpRate / rawRate).toFixed(2)}** (the share of Postgres's own speed left after HTTP, GraphQL parsing and validation).`,
      `Single calls: ${fmt(single.requests.total)} requests, ${single.non2xx} non-2xx, ${single.errors} connection errors, ${fmt(stored)} events stored.`,
    ].join("\n");
    writeSection("ingest", "Event ingest over HTTP", "npm run bench:ingest -w api", describeMachine(server_version), body);
    console.log(body);
  } finally {
    await dataSource.destroy();
    await db.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
