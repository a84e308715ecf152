/**
 * Soak test (`npm run bench:soak -w api -- [--minutes 10] [--clients 8] [--growing-data]`): the demo catalog and
 * audience in a fresh database, a trained model, then a real server (createApp in its own
 * process, background training off) under mixed traffic from this process over loopback for a
 * bounded time:
 *   45 % browse (movies pages, half of them filtered by genre, some following the cursor),
 *   35 % home for a random viewer, 20 % logInteractions batches of 1..5 events (unique client ids).
 * Reports errors (must be 0), latency percentiles per time window and per kind of request, and
 * the server's resident memory over time (from its /metrics) with a trend check: the least-squares
 * slope over the second half of the run (after warm-up) must stay under 2 MiB a minute.
 * Writes the "soak" section of BENCHMARKS.md; exits 1 when there were errors or memory grew.
 * `--quick` (the benchmark smoke run: `--minutes 0.5`) trains popularity instead of the full
 * bundle, writes nothing and fails on errors only: half a minute shows no memory trend.
 */
import "reflect-metadata";
import { fork, type ChildProcess } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { Client } from "pg";
import { createApp } from "../src/app";
import { loadConfig } from "../src/config";
import { openDatabase } from "../src/database/data-source";
import { loadEventWeights } from "../src/interactions/event-weights";
import { trainAndStore } from "../src/models/trainer";
import { seedIfEmpty } from "../src/seeding/demo-seed";
import { createBenchDatabase } from "./database";
import { describeMachine, percentile, table, writeSection } from "./report";

const MOVIES = `query Browse($first: Int, $after: String, $filter: MovieFilter) { movies(first: $first, after: $after, filter: $filter) { edges { node { id title year genres } } pageInfo { endCursor hasNextPage } } }`;
const HOME = `query Home($profileId: ID) { home(profileId: $profileId) { kind title items { score movie { id title } } } }`;
const LOG = `mutation Events($inputs: [LogInteractionInput!]!) { logInteractions(inputs: $inputs) { id } }`;
const TYPES = ["THUMBNAIL_CLICK", "PLAY", "WATCHED_FULL", "SKIPPED", "CLOSED", "LIKE", "DISLIKE", "ADD_TO_LIST"];
/** Largest acceptable memory growth after warm-up, MiB per minute. */
const MAX_SLOPE_MIB_PER_MIN = 2;

type Kind = "browse" | "home" | "events";

interface Sample {
  at: number;
  kind: Kind;
  ms: number;
}

async function serve(databaseUrl: string): Promise<void> {
  const dataSource = await openDatabase({ url: databaseUrl, poolSize: 10 });
  const app = await createApp({ dataSource, config: { ...loadConfig(process.env), autoTrain: false }, log: () => undefined });
  const { url } = await app.listen(0, "127.0.0.1");
  process.send!({ url });
  process.on("message", async (message) => {
    if (message === "stop") {
      await app.close();
      await dataSource.destroy();
      process.exit(0);
    }
  });
}

async function startServer(databaseUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "development",
    MARQUEE_AUTO_TRAIN: "0",
    // All load comes from one address and a handful of viewers: the limits would only measure themselves.
    MARQUEE_RATE_LIMIT_IP_PER_MINUTE: "0",
    MARQUEE_RATE_LIMIT_SESSION_PER_MINUTE: "0",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
  };
  delete env.MARQUEE_ADMIN_KEY;
  const child = fork(__filename, ["--serve", databaseUrl], { cwd: path.resolve(__dirname, ".."), execArgv: ["-r", "ts-node/register/transpile-only"], env, stdio: "inherit" });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("message", (m) => resolve((m as { url: string }).url));
    child.once("exit", (code) => reject(new Error(`the server exited with ${code}`)));
  });
  return { url, child };
}

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)];
}

/** Least-squares slope of y over x. */
function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { minutes: { type: "string", default: "10" }, clients: { type: "string", default: "8" }, "growing-data": { type: "boolean", default: false }, serve: { type: "string" }, quick: { type: "boolean", default: false } },
    allowPositionals: true,
  });
  if (process.argv.includes("--serve")) return serve(process.argv[process.argv.indexOf("--serve") + 1]);
  const minutes = Number(values.minutes);
  const clients = Number(values.clients);
  if (!(minutes > 0 && minutes <= 120) || !(clients >= 1 && clients <= 64)) throw new Error("--minutes must be in (0, 120] and --clients in [1, 64]");

  const db = await createBenchDatabase("marquee_soak");
  let server: { url: string; child: ChildProcess } | undefined;
  try {
    const dataSource = await openDatabase({ url: db.url });
    const seeded = await seedIfEmpty(dataSource, await loadEventWeights(dataSource));
    const model = await trainAndStore(dataSource, values.quick ? { algorithm: "popular" } : {});
    const profiles: string[] = (await dataSource.query(`SELECT id FROM profiles`)).map((r: { id: string }) => r.id);
    const movies: string[] = (await dataSource.query(`SELECT id::text AS id FROM movies`)).map((r: { id: string }) => r.id);
    const genres: string[] = (await dataSource.query(`SELECT DISTINCT unnest(genres) AS g FROM movies`)).map((r: { g: string }) => r.g);
    // Constant data size (the default): a viewer's events are about titles already in its history,
    // so histories (what home reads and folds in) keep their length; --growing-data sends events
    // for any title, as the soak did before, and histories grow with the run.
    const growing = values["growing-data"];
    const historyOf = new Map<string, string[]>();
    for (const r of (await dataSource.query(`SELECT profile_id, array_agg(movie_id::text) AS movies FROM interaction_scores GROUP BY profile_id`)) as { profile_id: string; movies: string[] }[]) {
      historyOf.set(r.profile_id, r.movies);
    }
    await dataSource.destroy();
    // What the data looks like at each window's end (read beside the load, from another connection).
    const stats = new Client({ connectionString: db.url });
    await stats.connect();
    const dataSamples: { at: number; historyRows: number; impressions: number; deadScores: number; deadImpressions: number; autovacuums: number; cpuSeconds: number }[] = [];
    const sampleData = async (at: number) => {
      const metrics = await (await fetch(`${server!.url}/metrics`)).text();
      const cpuSeconds = Number(/^marquee_process_cpu_seconds_total\s+(\S+)$/m.exec(metrics)?.[1] ?? NaN);
      const [row] = (
        await stats.query(
          `SELECT (SELECT count(*) FROM interaction_scores)::float8 AS history_rows,
                  (SELECT count(*) FROM impressions)::float8 AS impressions,
                  (SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'interaction_scores')::float8 AS dead_scores,
                  (SELECT coalesce(sum(n_dead_tup), 0) FROM pg_stat_user_tables WHERE relname LIKE 'impressions%')::float8 AS dead_impressions,
                  (SELECT coalesce(sum(autovacuum_count + autoanalyze_count), 0) FROM pg_stat_user_tables)::float8 AS autovacuums`,
        )
      ).rows as { history_rows: number; impressions: number; dead_scores: number; dead_impressions: number; autovacuums: number }[];
      dataSamples.push({ at, historyRows: row.history_rows, impressions: row.impressions, deadScores: row.dead_scores, deadImpressions: row.dead_impressions, autovacuums: row.autovacuums, cpuSeconds });
    };
    console.log(`Seeded ${seeded?.movies} titles, ${seeded?.profiles} profiles, ${seeded?.events} events; model #${model.id} (${model.algorithm}). Soaking ${minutes} min with ${clients} clients...`);

    const loadAtStart = os.loadavg()[0];
    server = await startServer(db.url);
    const target = `${server.url}/graphql`;
    const started = Date.now();
    const endAt = started + minutes * 60_000;
    const samples: Sample[] = [];
    const errors: string[] = [];
    const memory: { x: number; y: number }[] = [];
    let eventId = 0;

    const request = async (kind: Kind): Promise<void> => {
      let body: unknown;
      if (kind === "browse") {
        body = { query: MOVIES, variables: { first: 20, filter: Math.random() < 0.5 ? { genre: pick(genres) } : null } };
      } else if (kind === "home") {
        body = { query: HOME, variables: { profileId: pick(profiles) } };
      } else {
        const profileId = pick(profiles);
        const own = historyOf.get(profileId);
        const inputs = Array.from({ length: 1 + Math.floor(Math.random() * 5) }, () => ({
          profileId,
          movieId: !growing && own?.length ? pick(own) : pick(movies),
          type: pick(TYPES),
          clientEventId: `soak-${process.pid}-${eventId++}`,
        }));
        body = { query: LOG, variables: { inputs } };
      }
      const t0 = performance.now();
      try {
        const res = await fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
        const json = (await res.json()) as { errors?: { message: string }[]; data?: { movies?: { pageInfo: { endCursor: string | null; hasNextPage: boolean } } } };
        if (res.status !== 200 || json.errors) errors.push(`${kind}: ${res.status} ${json.errors?.[0]?.message ?? ""}`);
        else if (kind === "browse" && json.data?.movies?.pageInfo.hasNextPage && Math.random() < 0.3) {
          // Follow the cursor sometimes, as scrolling does.
          const next = await fetch(target, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ query: MOVIES, variables: { first: 20, after: json.data.movies.pageInfo.endCursor } }),
          });
          const page = (await next.json()) as { errors?: { message: string }[] };
          if (next.status !== 200 || page.errors) errors.push(`browse (next page): ${next.status} ${page.errors?.[0]?.message ?? ""}`);
        }
      } catch (error) {
        errors.push(`${kind}: ${(error as Error).message}`);
      }
      samples.push({ at: (Date.now() - started) / 1000, kind, ms: performance.now() - t0 });
    };

    const client = async () => {
      while (Date.now() < endAt) {
        const r = Math.random();
        await request(r < 0.45 ? "browse" : r < 0.8 ? "home" : "events");
      }
    };
    const sampleMemory = async () => {
      while (Date.now() < endAt) {
        try {
          const text = await (await fetch(`${server!.url}/metrics`)).text();
          const rss = /^marquee_process_resident_memory_bytes\s+(\S+)$/m.exec(text);
          if (rss) memory.push({ x: (Date.now() - started) / 60_000, y: Number(rss[1]) / 2 ** 20 });
        } catch (error) {
          errors.push(`metrics: ${(error as Error).message}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 5_000));
      }
    };
    const progress = setInterval(() => console.log(`${((Date.now() - started) / 60_000).toFixed(1)} min: ${samples.length} requests, ${errors.length} errors, RSS ${memory.at(-1)?.y.toFixed(0) ?? "?"} MiB`), 60_000);
    const windowSeconds = (minutes * 60) / 10;
    const sampleWindows = async () => {
      await sampleData(0);
      for (let w = 1; w <= 10; w++) {
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + w * windowSeconds * 1000 - Date.now())));
        await sampleData(w * windowSeconds);
      }
    };
    await Promise.all([...Array.from({ length: clients }, client), sampleMemory(), sampleWindows()]);
    clearInterval(progress);
    await stats.end();

    // Report: windows of a tenth of the run, each with the data as it stood at the window's end.
    const windows = Array.from({ length: 10 }, (_, w) => samples.filter((s) => s.at >= w * windowSeconds && s.at < (w + 1) * windowSeconds));
    const rssAt = (from: number, to: number) => {
      const inWindow = memory.filter((m) => m.x * 60 >= from && m.x * 60 < to);
      return inWindow.length ? Math.max(...inWindow.map((m) => m.y)).toFixed(0) : "-";
    };
    const windowRows = windows.map((ws, w) => [
      `${((w * windowSeconds) / 60).toFixed(1)}-${(((w + 1) * windowSeconds) / 60).toFixed(1)}`,
      ws.length,
      (ws.length / windowSeconds).toFixed(0),
      percentile(ws.map((s) => s.ms), 50).toFixed(1),
      percentile(ws.map((s) => s.ms), 95).toFixed(1),
      percentile(ws.map((s) => s.ms), 99).toFixed(1),
      rssAt(w * windowSeconds, (w + 1) * windowSeconds),
      ((((dataSamples[w + 1]?.cpuSeconds ?? NaN) - (dataSamples[w]?.cpuSeconds ?? NaN)) * 1000) / Math.max(1, ws.length)).toFixed(2),
      ((dataSamples[w + 1]?.historyRows ?? NaN) / profiles.length).toFixed(1),
      Math.round((dataSamples[w + 1]?.impressions ?? NaN) / profiles.length),
      dataSamples[w + 1]?.deadScores ?? "-",
      dataSamples[w + 1]?.deadImpressions ?? "-",
      (dataSamples[w + 1]?.autovacuums ?? 0) - (dataSamples[w]?.autovacuums ?? 0),
    ]);
    const windowHeader = ["minutes", "requests", "req/s", "p50", "p95", "p99", "server RSS MiB", "server CPU ms / request", "history rows / viewer", "impressions / viewer", "dead score tuples", "dead impression tuples", "autovacuum+analyze runs"];
    const kindRows = (["browse", "home", "events"] as const).map((kind) => {
      const ks = samples.filter((s) => s.kind === kind).map((s) => s.ms);
      return [kind, ks.length, percentile(ks, 50).toFixed(1), percentile(ks, 95).toFixed(1), percentile(ks, 99).toFixed(1), Math.max(...ks).toFixed(0)];
    });
    const late = memory.filter((m) => m.x >= minutes / 2);
    const growth = slope(late);
    const memoryOk = growth < MAX_SLOPE_MIB_PER_MIN;
    const verdict =
      `Errors: **${errors.length}** of ${samples.length} requests${errors.length ? ` (first: ${errors.slice(0, 3).join("; ")})` : ""}. ` +
      `Memory: RSS ${memory[0]?.y.toFixed(0)} MiB at start, ${memory.at(-1)?.y.toFixed(0)} MiB at the end; slope over the second half ${growth.toFixed(2)} MiB/min ` +
      `(limit ${MAX_SLOPE_MIB_PER_MIN}): **${memoryOk ? "no growth trend" : "GROWING"}**.`;
    const body = [
      `Mixed traffic for ${minutes} min from ${clients} concurrent clients over loopback (45 % browse pages, 35 % home, 20 % event batches of 1..5), ` +
        `against a server in its own process (development mode, rate limits off, background training off) on the demo seed ` +
        `(${seeded?.movies} titles, ${seeded?.profiles} profiles, ${seeded?.events} events) with model #${model.id} (${model.algorithm}). ` +
        `Latency is per request as the client saw it, in ms; RSS is the server's peak in the window (from /metrics, every 5 s). ` +
        (growing
          ? `Growing data (--growing-data): events name any title, so the viewers' histories grow with the run. `
          : `Constant data size: each viewer's events name titles already in its history, so histories keep their length (impressions still accumulate with every home served). `) +
        `Load average: ${loadAtStart.toFixed(1)} at the start, ${os.loadavg()[0].toFixed(1)} at the end, on ${os.cpus().length} cores (a shared machine: the absolute rates are under that load). ` +
        `The data columns are read at each window's end: interaction_scores rows and impressions per viewer, dead tuples (pg_stat_user_tables), autovacuum/autoanalyze runs in the window.`,
      "",
      verdict,
      "",
      table(windowHeader, windowRows),
      "",
      table(["kind", "requests", "p50", "p95", "p99", "max"], kindRows),
    ].join("\n");
    if (!values.quick) writeSection(growing ? "soak-growing-data" : "soak", growing ? "Soak with growing histories (--growing-data): the slide and its cause" : "Soak: mixed traffic, errors and memory over time", `npm run bench:soak -w api -- --minutes ${minutes} --clients ${clients}${growing ? " --growing-data" : ""}`, describeMachine(db.postgresVersion), body);
    console.log(verdict);
    console.log(table(windowHeader, windowRows));
    if (errors.length > 0 || (!memoryOk && !values.quick)) process.exitCode = 1;
  } finally {
    if (server) {
      server.child.send("stop");
      await new Promise((resolve) => server!.child.once("exit", resolve));
    }
    await db.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
