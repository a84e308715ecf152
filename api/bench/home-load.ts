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

export interface LoadResult {
  query: "home" | "trivial";
  offered: number | "max";
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  errors: number;
}

/** autocannon against /graphql: `offered` requests/s ("max": unthrottled, 16 connections), random viewers for home. */
export async function load(
  url: string,
  query: "home" | "trivial",
  offered: number | "max",
  seconds: number,
  profiles: readonly string[],
  homeQuery = HOME_QUERY,
): Promise<LoadResult> {
  let next = 0;
  let graphqlErrors = 0;
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
          body: query === "trivial" ? TRIVIAL : JSON.stringify({ query: homeQuery, variables: { profileId: profiles[next++ % profiles.length] } }),
        }),
        onResponse: (_status: number, body: string) => {
          if (body.startsWith('{"errors"') || body.includes('"errors":[')) graphqlErrors++;
        },
      },
    ],
  });
  const errors = result.errors + result.non2xx + result.timeouts + graphqlErrors;
  return { query, offered, rps: result.requests.average, p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, errors };
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
  /** 5,000 viewers with events, in random order: the viewers the load asks for. */
  readonly profiles: string[];
}

/**
 * A synthetic audience (`simulateAudience`) and a model trained on it (`trainAndStore`, iALS by
 * default: `auto` would also validate a dense EASE, which at 20,000 titles takes minutes and is
 * not what these benchmarks measure).
 */
export async function prepareHomeData(dataSource: DataSource, spec: SimulateSpec, algorithm: TrainingOptions["algorithm"] = "ials"): Promise<HomeBenchData> {
  let t = Date.now();
  const simulated = await simulateAudience(dataSource, spec);
  const loadSeconds = (Date.now() - t) / 1000;
  console.log(`loaded ${simulated.eventsImported} events, ${simulated.profilesCreated} viewers, ${spec.titles} titles in ${loadSeconds.toFixed(1)} s`);
  t = Date.now();
  const model = await trainAndStore(dataSource, { algorithm });
  const trainSeconds = (Date.now() - t) / 1000;
  console.log(`trained ${model.algorithm} (${model.status}) in ${trainSeconds.toFixed(1)} s`);
  const rows: { profile_id: string }[] = await dataSource.query(`SELECT profile_id FROM import_profiles WHERE source = $1 ORDER BY random() LIMIT 5000`, [simulationSource(spec)]);
  return { simulated, loadSeconds, model, trainSeconds, profiles: rows.map((r) => r.profile_id) };
}
