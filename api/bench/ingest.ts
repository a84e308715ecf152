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
 * (single calls, default 32), BENCH_BATCH_CLIENTS (default 2), BENCH_ROUNDS (interleaved rounds, default 3).
 * The server runs without rate limits; any non-2xx answer or GraphQL error fails the run.
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
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BATCH = 1000;
const PROFILES = 2000;
const DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/test";

/** Deterministic stream of plausible events over the catalog and profile pool. */
class EventStream {
  private state = 12345;
  private sent = 0;
  constructor(
    private readonly profiles: readonly string[],
    private readonly movies: readonly number[],
  ) {}
  private random(): number {
    this.state = (Math.imul(this.state, 1103515245) + 12345) >>> 0;
    return this.state / 4294967296;
  }
  /** Every event carries a client event id, as the web client's do (the idempotent path). */
  next(): { profileId: string; movieId: string; type: InteractionType; progress: number | null; occurredAt: string; clientEventId: string } {
    const type = INTERACTION_TYPES[Math.floor(this.random() * INTERACTION_TYPES.length)];
    return {
      profileId: this.profiles[Math.floor(this.random() * this.profiles.length)],
      movieId: String(this.movies[Math.floor(this.random() ** 2 * this.movies.length)]),
      type,
      progress: type === "PLAY" || type === "CLOSED" || type === "SKIPPED" ? Math.round(this.random() * 100) / 100 : null,
      occurredAt: new Date(Date.now() - 1000).toISOString(),
      clientEventId: `bench-${++this.sent}`,
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
  // No per-IP or per-session rate limit (as bench:home): all load comes from one address, and a
  // fast enough machine would otherwise measure the limiter's 429s.
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PORT: "0",
    HOST: "127.0.0.1",
    MARQUEE_SEED: "0",
    MARQUEE_AUTO_TRAIN: "0",
    MARQUEE_RATE_LIMIT_IP_PER_MINUTE: "0",
    MARQUEE_RATE_LIMIT_SESSION_PER_MINUTE: "0",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
  };
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

interface PhaseResult {
  /** Events (or, for the trivial query, requests) per second. */
  readonly rate: number;
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A phase with any non-2xx answer or connection error measured something else: no figures. */
function failOnErrors(phase: string, result: autocannon.Result): void {
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(`${phase}: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts in ${result.requests.total} requests; no figures written`);
  }
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

    const mutation = `mutation Log($input: LogInteractionInput!) { logInteraction(input: $input) { id } }`;
    const batchMutation = `mutation LogMany($inputs: [LogInteractionInput!]!) { logInteractions(inputs: $inputs) { id } }`;
    const count = async () => Number((await dataSource.query(`SELECT count(*) AS n FROM interactions`))[0].n);
    const phases = {
      // 0. The framework's ceiling: a query that touches nothing.
      async trivial(): Promise<PhaseResult> {
        const r = await autocannon({
          url: `${url}/graphql`,
          connections: CONNECTIONS,
          duration: SECONDS,
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query: "{ __typename }" }),
        });
        failOnErrors("trivial query", r);
        return { rate: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, requests: r.requests.total };
      },
      // 1. Single events: the rate is what was stored.
      async single(): Promise<PhaseResult> {
        const before = await count();
        let graphqlErrors = 0;
        const r = await autocannon({
          url: `${url}/graphql`,
          connections: CONNECTIONS,
          duration: SECONDS,
          requests: [
            {
              method: "POST",
              path: "/graphql",
              headers: { "content-type": "application/json" },
              setupRequest: (request) => ({ ...request, body: JSON.stringify({ query: mutation, variables: { input: stream.next() } }) }),
              onResponse: (_status: number, body: string) => {
                if (body.includes('"errors":[')) graphqlErrors++;
              },
            },
          ],
        });
        failOnErrors("single logInteraction", r);
        if (graphqlErrors > 0) throw new Error(`single logInteraction: ${graphqlErrors} answers with GraphQL errors; no figures written`);
        const stored = (await count()) - before;
        return { rate: stored / SECONDS, p50: r.latency.p50, p99: r.latency.p99, requests: r.requests.total };
      },
      // 2. Batches of 1,000 over HTTP.
      async batch(): Promise<PhaseResult> {
        const r = await runBatches(SECONDS, BATCH_CLIENTS, async (inputs) => {
          const response = await fetch(`${url}/graphql`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ query: batchMutation, variables: { inputs } }),
          });
          const text = await response.text();
          if (!response.ok) throw new Error(`batch failed: HTTP ${response.status}: ${text.slice(0, 300)}`);
          const body = JSON.parse(text) as { errors?: { message: string }[] };
          if (body.errors) throw new Error(`batch failed: ${body.errors[0].message}`);
        }, stream);
        return { rate: r.events / r.seconds, p50: percentile(r.latencies, 50), p99: percentile(r.latencies, 99), requests: r.latencies.length };
      },
      // 3. Reference: the same two statements through pg, no HTTP, no GraphQL, no validation.
      async raw(): Promise<PhaseResult> {
        const r = await runBatches(SECONDS, BATCH_CLIENTS, async (events) => {
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
        return { rate: r.events / r.seconds, p50: percentile(r.latencies, 50), p99: percentile(r.latencies, 99), requests: r.latencies.length };
      },
    };
    // Interleaved rounds (the order reversed every other round), so that the shared machine's
    // drift touches every path alike; each path's figure is its median over the rounds.
    const results: Record<keyof typeof phases, PhaseResult[]> = { trivial: [], single: [], batch: [], raw: [] };
    const names = Object.keys(phases) as (keyof typeof phases)[];
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of round % 2 === 0 ? names : [...names].reverse()) {
        const r = await phases[name]();
        results[name].push(r);
        console.log(`round ${round + 1}/${ROUNDS} ${name}: ${Math.round(r.rate)}/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms`);
      }
    }
    const loadAtEnd = os.loadavg()[0];
    const med = (name: keyof typeof phases, pick: (r: PhaseResult) => number) => median(results[name].map(pick));

    server.child.kill("SIGTERM");
    await new Promise((resolve) => server.child.once("exit", resolve));
    const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
    const ms = (n: number) => n.toFixed(1);
    const row = (label: string, name: keyof typeof phases, concurrency: string, unit: string, target: string) => [
      label,
      concurrency,
      `${fmt(med(name, (r) => r.rate))}${unit}`,
      results[name].map((r) => fmt(r.rate)).join(", "),
      target,
      ms(med(name, (r) => r.p50)),
      ms(med(name, (r) => r.p99)),
    ];
    const singleRatio = med("single", (r) => r.rate) / med("trivial", (r) => r.rate);
    const batchRatio = med("batch", (r) => r.rate) / med("raw", (r) => r.rate);
    const body = [
      `The server is \`src/main.ts\` in its own process (background training off, rate limits off, LOG_LEVEL=${process.env.LOG_LEVEL ?? "warn"}); load comes from the benchmark process. Any non-2xx answer or GraphQL error ends the run without figures.`,
      `Load average: ${loadAtStart.toFixed(1)} at the start, ${loadAtEnd.toFixed(1)} at the end, on ${os.cpus().length} cores: the machine is shared with other work, so the absolute rates are under that load; compare the ratios, measured in the same run.`,
      `Fresh database with the ${catalog.length}-title seed catalog and ${PROFILES} profiles; events spread over them (popular titles more often). ` +
        `${ROUNDS} interleaved rounds of ${SECONDS} s per path (the order reversed every other round); figures are medians over the rounds.`,
      `Every event carries a client event id (as the web client's do), is validated, deduplicated, inserted and folded into \`interaction_scores\` in the same transaction.`,
      "",
      table(
        ["path", "concurrency", "events/s (median)", "per round", "target", "latency p50 (ms)", "latency p99 (ms)"],
        [
          row("trivial query `{ __typename }` (framework ceiling)", "trivial", `${CONNECTIONS} connections`, " requests/s", "-"),
          row("single `logInteraction` over HTTP", "single", `${CONNECTIONS} connections`, "", "2,000"),
          row(`\`logInteractions\` batches of ${BATCH} over HTTP`, "batch", `${BATCH_CLIENTS} clients`, "", "50,000"),
          row("reference: same batches, raw multi-row INSERT + upsert via pg", "raw", `${BATCH_CLIENTS} clients`, "", "-"),
        ],
      ),
      "",
      `Single events / trivial query: **${singleRatio.toFixed(2)}** (target >= 0.7; concurrent single calls are coalesced server-side into shared transactions; each call returns after its commit).`,
      `Batched API / raw reference: **${batchRatio.toFixed(2)}** (target >= 0.8; the share of Postgres's own speed left after HTTP, GraphQL parsing and validation).`,
      `Single calls: ${fmt(results.single.reduce((n, r) => n + r.requests, 0))} requests, 0 non-2xx, 0 connection errors.`,
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
