/**
 * Experiment and exploration proofs with the simulated audience (`npm run bench:experiments -w api
 * -- [--section aa|ab|exploration|all] [--quick]`), issue 11 §4. Each section: a fresh database
 * seeded by simulateAudience (the stored history), a model trained by trainAndStore, real
 * servers in their own processes with the windows compressed (attribution 1 min, discount 0.01
 * day), and the audience of `npm run simulate:live` (runLiveAudience over HTTP). Then:
 *   - aa: the logged sessions (per viewer: plays out of impressions, from the impressions table)
 *     re-randomised `--replications` times by the assignment hash with new salts, peeking every
 *     100 sessions with the mSPRT always-valid p-value (experiments/statistics.ts): the share that
 *     ever declares a difference at alpha 0.05 (target <= 6.5 %), with its Wilson interval, and
 *     naive fixed-horizon peeking beside it;
 *   - ab: popularity against the personalised model: sessions until the always-valid p < 0.01
 *     with the personalised arm ahead, the measured lift, and the true value per arm;
 *   - exploration: a batch of new titles (some good for many viewers by hidden utility) with
 *     MARQUEE_EXPLORATION_RATE 0.1 against 0, the same audience and the same retraining schedule:
 *     how soon the good ones reach Top picks' greedy slots (docs/bench/exploration-*.svg).
 * Writes the experiments-aa / experiments-ab / experiments-exploration sections of BENCHMARKS.md.
 */
import "reflect-metadata";
import os from "node:os";
import { parseArgs } from "node:util";
import type { DataSource } from "typeorm";
import { createApp } from "../src/app";
import { loadConfig } from "../src/config";
import { openDatabase } from "../src/database/data-source";
import { simulateAudience, type SimulateSpec } from "../src/import/simulate";
import { aaReplications, replayExperiment, type LoggedSession } from "../src/live-audience/experiment-replay";
import { runLiveAudience, type LiveAudienceOptions, type LiveAudienceResult, type VisitRecord } from "../src/live-audience/live-audience";
import { MarqueeClient } from "../src/live-audience/marquee-client";
import { loadSimulatedAudience, type SimulatedAudience } from "../src/live-audience/simulated-audience.repository";
import { trainAndStore } from "../src/models/trainer";
import { wilsonInterval } from "../src/online-metrics/wilson";
import { createBenchDatabase, type BenchDatabase } from "./database";
import { startServer, type BenchServer } from "./home-load";
import { writePlot } from "./plot";
import { describeMachine, table, writeSection } from "./report";

/** Compressed windows: a run of minutes stands for days of viewing. */
const COMPRESSED = { MARQUEE_ATTRIBUTION_WINDOW_MINUTES: "1", MARQUEE_IMPRESSION_DISCOUNT_DAYS: "0.01" };

/** The server process (startServer forks this file with --serve): createApp, background training off. */
async function serve(databaseUrl: string): Promise<void> {
  const dataSource = await openDatabase({ url: databaseUrl, poolSize: 10 });
  const app = await createApp({ dataSource, config: { ...loadConfig(process.env), autoTrain: false }, log: () => undefined });
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

function load(): string {
  return os.loadavg().map((x) => x.toFixed(1)).join(" / ");
}

function pct(x: number, digits = 1): string {
  return `${(100 * x).toFixed(digits)} %`;
}

/** Each page view's impressions and plays, in serving order (the A/A and A/B replays' input). */
async function loggedSessions(dataSource: DataSource): Promise<LoggedSession[]> {
  const rows = (await dataSource.query(
    `SELECT profile_id::text AS profile_id, (extract(epoch FROM served_at) * 1000)::float8 AS at, count(*)::int AS impressions, count(played_at)::int AS plays
       FROM impressions GROUP BY profile_id, served_at ORDER BY served_at, profile_id`,
  )) as { profile_id: string; at: number; impressions: number; plays: number }[];
  return rows.map((r) => ({ profileId: r.profile_id, at: r.at, impressions: r.impressions, plays: r.plays }));
}

interface Prepared {
  db: BenchDatabase;
  dataSource: DataSource;
  seedSeconds: number;
  model: string;
}

async function prepare(prefix: string, spec: SimulateSpec, algorithm: string): Promise<Prepared> {
  const db = await createBenchDatabase(prefix);
  const dataSource = await openDatabase({ url: db.url });
  let t = Date.now();
  await simulateAudience(dataSource, spec);
  const seedSeconds = (Date.now() - t) / 1000;
  t = Date.now();
  const record = await trainAndStore(dataSource, { algorithm });
  console.log(`${prefix}: seeded in ${seedSeconds.toFixed(1)} s, trained ${record.algorithm} #${record.id} ${record.status} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  return { db, dataSource, seedSeconds, model: `${record.algorithm} #${record.id}` };
}

/** A copy of a prepared database (same profiles, titles, models), for a second server configuration. */
async function cloneDatabase(prepared: Prepared, suffix: string): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  await prepared.dataSource.destroy();
  const { Client } = await import("pg");
  const adminUrl = new URL(prepared.db.url);
  adminUrl.pathname = "/postgres";
  const name = `${prepared.db.name}_${suffix}`;
  const admin = new Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${prepared.db.name}`);
  await admin.end();
  prepared.dataSource = await openDatabase({ url: prepared.db.url });
  const url = new URL(prepared.db.url);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const c = new Client({ connectionString: adminUrl.toString() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

function progress(label: string, every = 100): (v: VisitRecord) => void {
  let n = 0;
  const started = Date.now();
  return () => {
    if (++n % every === 0) console.log(`${label}: ${n} visits, ${(n / ((Date.now() - started) / 1000)).toFixed(1)}/s, load ${load()}`);
  };
}

function audienceOptions(base: Partial<LiveAudienceOptions> & { viewers: number; visits: number; seed: number }): LiveAudienceOptions {
  return { minutes: 30, concurrency: 4, returnSeconds: 15, ...base };
}

async function sectionAa(spec: SimulateSpec, visits: number, replications: number, command: string): Promise<void> {
  const prepared = await prepare("marquee_bench_aa", spec, "ease");
  let server: BenchServer | undefined;
  try {
    server = await startServer(__filename, prepared.db.url, { env: { ...COMPRESSED } });
    const audience = await loadSimulatedAudience(prepared.dataSource, spec.seed);
    const loadBefore = load();
    const run = await runLiveAudience(new MarqueeClient(server.url), audience, audienceOptions({ viewers: Math.min(spec.viewers, 800), visits, seed: spec.seed, onVisit: progress("A/A") }));
    const loadAfter = load();
    const sessions = await loggedSessions(prepared.dataSource);
    const t = Date.now();
    const aa = aaReplications(sessions, replications, { peekEvery: 100, alpha: 0.05 });
    const replaySeconds = (Date.now() - t) / 1000;
    const share = aa.declared / aa.replications;
    const ci = wilsonInterval(aa.declared, aa.replications);
    const naive = wilsonInterval(aa.naiveDeclared, aa.replications);
    const viewers = new Set(sessions.map((s) => s.profileId)).size;
    const impressions = sessions.reduce((s, x) => s + x.impressions, 0);
    const plays = sessions.reduce((s, x) => s + x.plays, 0);
    const body = [
      `A/A with the simulated audience: ${run.visits} visits (${run.failedVisits} failed) by ${viewers} viewers against one server (${prepared.model}, windows compressed),`,
      `${sessions.length} logged sessions (page views with impressions), ${impressions.toLocaleString("en-US")} impressions, ${plays} attributed plays (play rate ${pct(plays / impressions, 2)}).`,
      `The same sessions split ${aa.replications} times into two arms by the assignment hash (SHA-256 of salt:profile) with new salts, each read as the admin page would:`,
      `a look every 100 sessions (${aa.looksPerReplication} looks), per-viewer play rate (delta method), mSPRT always-valid p-value (tau 0.02); a split "declares" when p <= 0.05 at any look.`,
      "",
      table(
        ["test", "splits that ever declared a difference", "share", "95 % interval (Wilson)", "target"],
        [
          ["mSPRT, always valid (what experimentResults uses)", `${aa.declared} / ${aa.replications}`, pct(share), `${pct(ci.low)} - ${pct(ci.high)}`, share <= 0.065 ? "<= 6.5 %: met" : "<= 6.5 %: MISSED"],
          ["fixed-horizon p read at every look (naive peeking)", `${aa.naiveDeclared} / ${aa.replications}`, pct(aa.naiveDeclared / aa.replications), `${pct(naive.low)} - ${pct(naive.high)}`, "(for contrast)"],
        ],
      ),
      "",
      `Audience run ${((run.endedAt.getTime() - run.startedAt.getTime()) / 1000).toFixed(0)} s at ${(run.visits / ((run.endedAt.getTime() - run.startedAt.getTime()) / 1000)).toFixed(1)} visits/s; replays ${replaySeconds.toFixed(1)} s. Load average (1/5/15 min) before the audience ${loadBefore}, after ${loadAfter}: the machine is shared.`,
    ].join("\n");
    writeSection("experiments-aa", "A/A: false declarations under peeking (simulated audience)", command, describeMachine(prepared.db.postgresVersion), body);
    console.log(body);
  } finally {
    await server?.stop();
    await prepared.dataSource.destroy();
    await prepared.db.drop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      section: { type: "string", default: "all" },
      quick: { type: "boolean", default: false },
      viewers: { type: "string" },
      titles: { type: "string" },
      events: { type: "string" },
      visits: { type: "string" },
      replications: { type: "string" },
      serve: { type: "string" },
    },
  });
  if (values.serve) return serve(values.serve);
  const quick = values.quick;
  const spec: SimulateSpec = {
    viewers: Number(values.viewers ?? (quick ? 300 : 1000)),
    titles: Number(values.titles ?? (quick ? 200 : 500)),
    events: Number(values.events ?? (quick ? 20_000 : 100_000)),
    seed: 1,
    days: 60,
  };
  const visits = Number(values.visits ?? (quick ? 300 : 2000));
  const replications = Number(values.replications ?? (quick ? 100 : 500));
  const command = `npm run bench:experiments -w api -- ${process.argv.slice(2).join(" ")}`.trim();
  const sections = values.section === "all" ? ["aa", "ab", "exploration"] : values.section!.split(",");
  for (const section of sections) {
    if (section === "aa") await sectionAa(spec, visits, replications, command);
    else throw new RangeError(`--section must be aa, ab, exploration or all, got ${section}`);
  }
}

void main().then(
  () => undefined,
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
