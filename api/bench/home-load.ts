/**
 * What the home benchmarks share: a Marquee server in its own process, autocannon load of the
 * home query or the trivial one, draining between phases, and a one-off GraphQL call.
 */
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import autocannon from "autocannon";
import { createApp } from "../src/app";
import { loadConfig } from "../src/config";
import type { DataSource } from "typeorm";
import { openDatabase } from "../src/database/data-source";
import { simulateAudience, simulationSource, type SimulateResult, type SimulateSpec } from "../src/import/simulate";
import type { ModelRecord } from "../src/models/model-record.entity";
import { trainAndStore, type TrainingOptions } from "../src/models/trainer";

export const HOME_QUERY = `query Home($profileId: ID!) { home(profileId: $profileId) { kind title items { score reason movie { id title year genres } } } }`;
export const TRIVIAL = JSON.stringify({ query: "{ __typename }" });

/** The server process: createApp on the bench database, URL sent back over IPC. */
export async function serve(databaseUrl: string): Promise<void> {
  const dataSource = await openDatabase({ url: databaseUrl, poolSize: 20 });
  // The environment comes from startServer: development defaults (no sign-in needed, so any
  // viewer can be asked for), no per-IP rate limit (all load comes from one address), warn logs.
  const config = { ...loadConfig(process.env), autoTrain: false };
  const app = await createApp({ dataSource, config, log: () => undefined });
  const { url } = await app.listen(0);
  process.send!({ url });
  process.on("message", async (message) => {
    if (message === "stop") {
      await app.close();
      await dataSource.destroy();
      process.exit(0);
    }
  });
}

export interface BenchServer {
  readonly url: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts `script --serve <databaseUrl>` (a bench script whose main() calls serve(); another
 * checkout's, for an A/B of two versions of the code) under ts-node, from that checkout's api/.
 */
export async function startServer(script: string, databaseUrl: string, options: { profile?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<BenchServer> {
  const execArgv = ["-r", "ts-node/register/transpile-only"];
  if (options.profile) execArgv.push("--cpu-prof", "--cpu-prof-dir=/tmp/marquee-home-prof");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "development",
    MARQUEE_AUTO_TRAIN: "0",
    MARQUEE_RATE_LIMIT_IP_PER_MINUTE: "0",
    MARQUEE_RATE_LIMIT_SESSION_PER_MINUTE: "0",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
    ...options.env,
  };
  delete env.MARQUEE_ADMIN_KEY;
  const child = fork(script, ["--serve", databaseUrl], { cwd: path.resolve(path.dirname(script), ".."), execArgv, env, stdio: "inherit" });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("message", (m) => resolve((m as { url: string }).url));
    child.once("exit", (code) => reject(new Error(`the server (${script}) exited with ${code}`)));
  });
  return {
    url,
    child,
    async stop() {
      if (child.exitCode !== null) return;
      child.send("stop");
      await new Promise((resolve) => child.once("exit", resolve));
    },
  };
}

/** The server process's CPU time so far (user + system, seconds), from its /metrics. */
export async function serverCpuSeconds(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const match = /^marquee_process_cpu_seconds_total\s+(\S+)$/m.exec(text);
  return match ? Number(match[1]) : NaN;
}

export interface LoadResult {
  query: "home" | "trivial";
  offered: number | "max";
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  errors: number;
  /** The server's CPU time per answered request, ms: steadier than a rate on a shared machine. */
  cpuMs: number;
}

/**
 * Viewers handed out once each, in order, across every phase that shares the cursor (the uniform
 * phase: no viewer asked for twice, so no per-viewer cache can help); `repeats` counts the
 * requests that had to wrap around because the list ran out.
 */
export class UniqueViewers {
  private next = 0;
  repeats = 0;
  constructor(private readonly profiles: readonly string[]) {}
  take(): string {
    if (this.next >= this.profiles.length) this.repeats++;
    return this.profiles[this.next++ % this.profiles.length];
  }
}

/** autocannon against /graphql: `offered` requests/s ("max": unthrottled, 16 connections), random viewers for home. */
export async function load(
  url: string,
  query: "home" | "trivial",
  offered: number | "max",
  seconds: number,
  profiles: readonly string[] | UniqueViewers,
  homeQuery = HOME_QUERY,
): Promise<LoadResult> {
  let next = 0;
  const viewer = profiles instanceof UniqueViewers ? () => profiles.take() : () => profiles[next++ % profiles.length];
  let graphqlErrors = 0;
  const cpuBefore = await serverCpuSeconds(url);
  const connections = offered === "max" ? 16 : Math.max(8, Math.min(64, Math.ceil(offered / 10)));
  const result = await autocannon({
    url: `${url}/graphql`,
    connections,
    duration: seconds,
    ...(offered === "max" ? {} : { overallRate: offered }),
    requests: [
      {
        method: "POST",
        path: "/graphql",
        headers: { "content-type": "application/json" },
        setupRequest: (request) => ({
          ...request,
          body: query === "trivial" ? TRIVIAL : JSON.stringify({ query: homeQuery, variables: { profileId: viewer() } }),
        }),
        onResponse: (_status: number, body: string) => {
          if (body.startsWith('{"errors"') || body.includes('"errors":[')) graphqlErrors++;
        },
      },
    ],
  });
  const errors = result.errors + result.non2xx + result.timeouts + graphqlErrors;
  const cpuMs = (((await serverCpuSeconds(url)) - cpuBefore) * 1000) / Math.max(1, result.requests.total);
  return { query, offered, rps: result.requests.average, p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, errors, cpuMs };
}

/**
 * Waits until the server has worked off requests that autocannon gave up on (timeouts): a
 * home phase that overloads the server would otherwise slow the next phase down.
 */
export async function drain(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const started = performance.now();
    await fetch(`${url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: TRIVIAL });
    if (performance.now() - started < 50) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

export async function gql<T>(url: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(`${url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
  const json = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (json.errors) throw new Error(json.errors[0].message);
  return json.data as T;
}

export interface HomeBenchData {
  readonly simulated: SimulateResult;
  readonly loadSeconds: number;
  readonly model: ModelRecord;
  readonly trainSeconds: number;
  /** Viewers with events (5,000 unless asked otherwise), in random order: the viewers the load asks for. */
  readonly profiles: string[];
}

/**
 * A synthetic audience (`simulateAudience`) and a model trained on it (`trainAndStore`, iALS by
 * default: `auto` would also validate a dense EASE, which at 20,000 titles takes minutes and is
 * not what these benchmarks measure).
 */
export async function prepareHomeData(dataSource: DataSource, spec: SimulateSpec, algorithm: TrainingOptions["algorithm"] = "ials", viewers = 5000): Promise<HomeBenchData> {
  let t = Date.now();
  const simulated = await simulateAudience(dataSource, spec);
  const loadSeconds = (Date.now() - t) / 1000;
  console.log(`loaded ${simulated.eventsImported} events, ${simulated.profilesCreated} viewers, ${spec.titles} titles in ${loadSeconds.toFixed(1)} s`);
  t = Date.now();
  const model = await trainAndStore(dataSource, { algorithm });
  const trainSeconds = (Date.now() - t) / 1000;
  console.log(`trained ${model.algorithm} (${model.status}) in ${trainSeconds.toFixed(1)} s`);
  const rows: { profile_id: string }[] = await dataSource.query(`SELECT profile_id FROM import_profiles WHERE source = $1 ORDER BY random() LIMIT $2`, [simulationSource(spec), viewers]);
  return { simulated, loadSeconds, model, trainSeconds, profiles: rows.map((r) => r.profile_id) };
}

export interface RealisticResult {
  readonly homes: number;
  readonly events: number;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  /** Homes that followed an event of their viewer: each must lead Continue watching with that title. */
  readonly checked: number;
  readonly notReflected: number;
  readonly distinctViewers: number;
  /** The server's CPU time per home (the events' share included), ms. */
  readonly cpuMsPerHome: number;
}

/** Zipf(s) over ranks 1..n by inverse CDF on a precomputed table (rank 1 is the most frequent). */
export function zipfSampler(n: number, s: number, random: () => number): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cdf[i] = sum += 1 / Math.pow(i + 1, s);
  return () => {
    const u = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

type HomeAnswer = { data?: { home: { kind: string; items: { movie: { id: string } }[] }[] }; errors?: unknown[] };

/**
 * The realistic phase: `connections` closed-loop clients, unthrottled, for `seconds`; viewers drawn
 * from Zipf(`s`) over `profiles` (some come back often); after every third home, an event for that
 * home's viewer (PLAY at 30 % of a title from its Top picks, else its first title). The viewer's
 * next home must lead Continue watching with that title: counted, and reported if it does not.
 * A viewer is never asked for by two clients at once, so "next" is well defined.
 */
export async function realisticLoad(url: string, seconds: number, profiles: readonly string[], connections = 16, s = 1.0, seed = 7): Promise<RealisticResult> {
  let state = seed >>> 0;
  const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296);
  const draw = zipfSampler(profiles.length, s, random);
  const busy = new Set<number>();
  const expected = new Map<number, string>();
  const seen = new Set<number>();
  const latencies: number[] = [];
  let homes = 0;
  let events = 0;
  let errors = 0;
  let checked = 0;
  let notReflected = 0;
  const post = async (query: string, variables: Record<string, unknown>) => {
    const response = await fetch(`${url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as HomeAnswer;
    if (!response.ok || body.errors) errors++;
    return body;
  };
  const LOG = `mutation Log($input: LogInteractionInput!) { logInteraction(input: $input) { id } }`;
  const cpuBefore = await serverCpuSeconds(url);
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        let v = draw();
        for (let tries = 0; busy.has(v) && tries < 100; tries++) v = draw();
        if (busy.has(v)) continue;
        busy.add(v);
        try {
          const t = performance.now();
          const answer = await post(HOME_QUERY, { profileId: profiles[v] });
          latencies.push(performance.now() - t);
          homes++;
          seen.add(v);
          const rows = answer.data?.home ?? [];
          const want = expected.get(v);
          if (want !== undefined) {
            checked++;
            const row = rows.find((r) => r.kind === "CONTINUE_WATCHING");
            if (row?.items[0]?.movie.id !== want) notReflected++;
            expected.delete(v);
          }
          if (homes % 3 === 0) {
            const picks = rows.find((r) => r.kind === "TOP_PICKS")?.items ?? rows.find((r) => r.kind !== "CONTINUE_WATCHING")?.items ?? [];
            const movieId = picks[Math.floor(random() * Math.min(5, picks.length))]?.movie.id;
            if (movieId) {
              await post(LOG, { input: { profileId: profiles[v], movieId, type: "PLAY", progress: 0.3 } });
              events++;
              expected.set(v, movieId);
            }
          }
        } finally {
          busy.delete(v);
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  const cpuMsPerHome = (((await serverCpuSeconds(url)) - cpuBefore) * 1000) / Math.max(1, homes);
  return { homes, events, rps: homes / elapsed, p50: Math.round(at(50)), p99: Math.round(at(99)), errors, checked, notReflected, distinctViewers: seen.size, cpuMsPerHome };
}
