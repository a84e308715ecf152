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
import { runLiveAudience, type ArmSummary, type LiveAudienceOptions, type VisitRecord } from "../src/live-audience/live-audience";
import { MarqueeClient } from "../src/live-audience/marquee-client";
import { loadExperimentArms, loadSimulatedAudience } from "../src/live-audience/simulated-audience.repository";
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

async function waitForModel(url: string, modelId: number): Promise<void> {
  const client = new MarqueeClient(url);
  for (let i = 0; i < 240; i++) {
    const data = await client.request<{ activeModel: { id: string } | null }>(`{ activeModel { id } }`, {});
    if (data.activeModel && Number(data.activeModel.id) === modelId) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the server at ${url} did not switch to model #${modelId} within 120 s`);
}

function armRow(name: string, s: ArmSummary): (string | number)[] {
  return [name, s.visits, s.viewers, s.meanTop10Utility.toFixed(4), pct(s.visitsWithPlay / s.visits), s.impressions, s.plays, pct(s.plays / s.impressions, 2)];
}

/**
 * A/B, popularity (control) against the personalised model, as an operator runs it: createExperiment
 * on HOME with a popularity arm (a popularity model pinned by id) and an arm that
 * follows the active model (EASE), startExperiment, the audience, then the logged sessions replayed
 * with their real arms (from the impressions' arm) and experimentResults beside them.
 */
async function sectionAb(spec: SimulateSpec, visits: number, command: string): Promise<void> {
  const prepared = await prepare("marquee_bench_ab", spec, "popular");
  let server: BenchServer | undefined;
  try {
    // An algorithm arm trains its model at start and is refused when that model validates worse
    // than the active one (the activation rule), which popularity always does: train it first
    // (it serves until EASE replaces it) and pin it by model id.
    const popular = (await prepared.dataSource.query(`SELECT max(id)::int AS id FROM models WHERE algorithm = 'popular'`)) as { id: number }[];
    const ease = await trainAndStore(prepared.dataSource, { algorithm: "ease" });
    prepared.model = `ease #${ease.id} ${ease.status}`;
    server = await startServer(__filename, prepared.db.url, { env: { ...COMPRESSED } });
    const client = new MarqueeClient(server.url);
    const created = await client.request<{ createExperiment: { id: string } }>(
      `mutation C($input: CreateExperimentInput!) { createExperiment(input: $input) { id } }`,
      { input: { name: "popularity vs personalised", surface: "HOME", primaryMetric: "PLAY_RATE", arms: [{ name: "popularity", control: true, share: 50, modelId: popular[0].id }, { name: "personalised", control: false, share: 50 }] } },
      { admin: true },
    );
    const id = created.createExperiment.id;
    await client.request(`mutation S($id: ID!) { startExperiment(id: $id) { status } }`, { id }, { admin: true });
    // The server learns of a started experiment by NOTIFY (and a 10 s poll): give it a moment.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const experiment = await loadExperimentArms(prepared.dataSource, id);
    const audience = await loadSimulatedAudience(prepared.dataSource, spec.seed);
    const loadBefore = load();
    const run = await runLiveAudience(client, audience, audienceOptions({ viewers: Math.min(spec.viewers, 800), visits, seed: spec.seed, armOf: experiment.armOf, onVisit: progress("A/B") }));
    const loadAfter = load();
    const replayOf = async (rowKind: string | null) => {
      const rows = (await prepared.dataSource.query(
        `SELECT profile_id::text AS profile_id, (extract(epoch FROM served_at) * 1000)::float8 AS at, min(arm)::int AS arm, count(*)::int AS impressions, count(played_at)::int AS plays
           FROM impressions WHERE experiment_id = $1 AND ($2::text IS NULL OR row_kind::text = $2) GROUP BY profile_id, served_at ORDER BY served_at, profile_id`,
        [Number(id), rowKind],
      )) as { profile_id: string; at: number; arm: number; impressions: number; plays: number }[];
      const servedArm = new Map(rows.map((r) => [r.profile_id, r.arm] as const));
      const sessions = rows.map((r) => ({ profileId: r.profile_id, at: r.at, impressions: r.impressions, plays: r.plays }));
      const replay = replayExperiment(sessions, (p) => (servedArm.get(p) === 1 ? 1 : servedArm.get(p) === 0 ? 0 : null), { peekEvery: 100, alpha: 0.01 });
      const control = rows.filter((r) => r.arm === 0);
      const rate0 = control.reduce((a, r) => a + r.plays, 0) / control.reduce((a, r) => a + r.impressions, 0);
      const first = replay.looks.find((l) => l.sequentialP <= 0.01 && l.comparison.difference > 0);
      const naive = replay.looks.find((l) => l.comparison.pValue <= 0.01 && l.comparison.difference > 0);
      return { sessions, replay, rate0, first, naive };
    };
    const all = await replayOf(null);
    const top = await replayOf("TOP_PICKS");
    const sessions = all.sessions;
    const resultRows = (label: string, r: Awaited<ReturnType<typeof replayOf>>): (string | number)[][] => {
      const f = r.replay.final;
      return [
        [`${label}: sessions until the always-valid p < 0.01 with the personalised arm ahead`, r.first ? `${r.first.sessions} (p ${r.first.sequentialP.toExponential(1)})` : `not within ${r.sessions.length}`],
        [`${label}: (naive fixed-horizon p < 0.01 first seen at, for contrast)`, r.naive ? String(r.naive.sessions) : "never"],
        [`${label}: measured play rate, popularity -> personalised`, `${pct(r.rate0, 2)} -> ${pct(r.rate0 + f.difference, 2)}`],
        [`${label}: difference [95 %], per viewer (delta method)`, `${(100 * f.difference).toFixed(2)} points [${(100 * f.low).toFixed(2)}, ${(100 * f.high).toFixed(2)}]`],
        [`${label}: measured lift of the play rate`, `${pct(f.difference / r.rate0)} [${pct(f.low / r.rate0)}, ${pct(f.high / r.rate0)}]`],
        [`${label}: always-valid p after the last look`, r.replay.looks.length ? r.replay.looks[r.replay.looks.length - 1].sequentialP.toExponential(2) : "-"],
      ];
    };
    const results = (
      await client.request<{ experimentResults: { arm: string; viewers: number; impressions: number; plays: number; playRate: number; difference: number | null; differenceLow: number | null; differenceHigh: number | null; pValue: number | null; alwaysValidPValue: number | null }[] }>(
        `query R($id: ID!) { experimentResults(id: $id) { arm viewers impressions plays playRate difference differenceLow differenceHigh pValue alwaysValidPValue } }`,
        { id },
        { admin: true },
      )
    ).experimentResults;
    const trueRows = run.arms.map((a) => armRow(a.arm, a));
    const body = [
      `Popularity (control) against the personalised model with the simulated audience: createExperiment on HOME, arms "popularity" (a popularity model pinned by id) and "personalised" (the active model, ${prepared.model}), 50/50, startExperiment,`,
      `then ${run.visits} visits (${run.failedVisits} failed), each viewer's arm by the server's assignment hash. ${sessions.length} logged sessions in the experiment, replayed in serving order with the arm each was served (the impressions' arm) as the admin page reads it:`,
      "a look every 100 sessions, per-viewer play rate (delta method), mSPRT always-valid p-value (tau 0.02).",
      "",
      table(["result", "value"], [...resultRows("all rows", all), ...resultRows("Top picks only", top)]),
      "",
      "All rows: every impression of the page (most rows, such as Trending, New and genre rows, do not depend on the model). Top picks only: the row the arm's model ranks (sessions with a Top picks impression).",
      "",
      "experimentResults at the end (its always-valid p looks hour by hour, so within a run of minutes it has had one look):",
      "",
      table(
        ["arm", "viewers", "impressions", "plays", "play rate", "difference [95 %]", "p (fixed horizon)", "always-valid p"],
        results.map((r) => [
          r.arm,
          r.viewers,
          r.impressions,
          r.plays,
          pct(r.playRate, 2),
          r.difference === null ? "(control)" : `${(100 * r.difference).toFixed(2)} [${(100 * (r.differenceLow ?? NaN)).toFixed(2)}, ${(100 * (r.differenceHigh ?? NaN)).toFixed(2)}] points`,
          r.pValue === null ? "-" : r.pValue.toExponential(2),
          r.alwaysValidPValue === null ? "-" : r.alwaysValidPValue.toExponential(2),
        ]),
      ),
      "",
      "The true value of what each arm served (the simulator knows every viewer's hidden taste):",
      "",
      table(["arm", "visits", "viewers", "TRUE mean affinity, Top picks' first 10", "TRUE visits with a play", "impressions", "plays", "plays / impressions"], trueRows),
      "",
      `Load average (1/5/15 min) before the audience ${loadBefore}, after ${loadAfter}: the machine is shared.`,
    ].join("\n");
    writeSection("experiments-ab", "A/B: popularity against the personalised model (simulated audience)", command, describeMachine(prepared.db.postgresVersion), body);
    console.log(body);
  } finally {
    await server?.stop();
    await prepared.dataSource.destroy();
    await prepared.db.drop();
  }
}

/** New titles for the exploration section: some with three genres (good for many viewers), most with one. */
async function addNewTitles(dataSource: DataSource, n: number): Promise<void> {
  const genres = ((await dataSource.query(`SELECT DISTINCT unnest(genres) AS g FROM movies ORDER BY 1`)) as { g: string }[]).map((r) => r.g);
  await dataSource.query(`SELECT setval(pg_get_serial_sequence('movies', 'id'), (SELECT max(id) FROM movies))`);
  for (let j = 0; j < n; j++) {
    const own = j % 4 === 0 ? [genres[j % genres.length], genres[(j + 3) % genres.length], genres[(j + 7) % genres.length]] : [genres[(j * 5) % genres.length]];
    await dataSource.query(
      `INSERT INTO movies (title, year, genres, synopsis, runtime_minutes, maturity_rating, added_at) VALUES ($1, 2026, $2, 'A new title for the exploration benchmark.', 100, 'PG-13', now())`,
      [`New Title ${j + 1}`, own],
    );
  }
}

/**
 * Exploration: a batch of new titles, the same audience against MARQUEE_EXPLORATION_RATE 0.1 and
 * 0 (each on its own copy of the database), the same retraining schedule (EASE after every round
 * of visits, accepted whatever its validation score so both arms learn on the same clock). A good
 * new title "reaches the top rows" when it is in Top picks' first six slots, which exploration
 * never takes (its slots are spread from position floor(n / (k + 1)) on): there only the model puts it.
 */
async function sectionExploration(spec: SimulateSpec, rounds: number, perRound: number, command: string): Promise<void> {
  const prepared = await prepare("marquee_bench_explore", spec, "ease");
  await addNewTitles(prepared.dataSource, 40);
  const clone = await cloneDatabase(prepared, "noexplore");
  const sources = [prepared.dataSource, await openDatabase({ url: clone.url })];
  const servers: BenchServer[] = [];
  try {
    servers.push(await startServer(__filename, prepared.db.url, { env: { ...COMPRESSED, MARQUEE_EXPLORATION_RATE: "0.1" } }));
    servers.push(await startServer(__filename, clone.url, { env: { ...COMPRESSED, MARQUEE_EXPLORATION_RATE: "0" } }));
    const audience = await loadSimulatedAudience(prepared.dataSource, spec.seed);
    const viewers = Math.min(spec.viewers, 600);
    // Which new titles are good for many viewers: the mean hidden affinity over the audience's viewers.
    const sample = audience.profileIds.map((p, u) => (p ? u : -1)).filter((u) => u >= 0);
    const tastes = sample.map((u) => audience.tastes.viewer(u));
    const quality = audience.addedMovieIds.map((id) => {
      const t = audience.titleIndex.get(id)!;
      return { id, mean: tastes.reduce((sum, taste) => sum + taste.affinity(t), 0) / tastes.length };
    });
    const ranked = [...quality].sort((a, b) => b.mean - a.mean);
    const good = new Set(ranked.slice(0, 10).map((q) => q.id));
    const everyTitle = sample.length > 0 ? (() => {
      let sum = 0;
      let n = 0;
      for (const u of sample.slice(0, 200)) {
        const taste = audience.tastes.viewer(u);
        for (let t = 0; t < spec.titles; t += 5) {
          sum += taste.affinity(t);
          n++;
        }
      }
      return sum / n;
    })() : NaN;
    const curves: { visit: number; top: number; any: number }[][] = [[], []];
    const counters = [0, 0];
    const loadBefore = load();
    for (let round = 0; round < rounds; round++) {
      await Promise.all(
        [0, 1].map((arm) =>
          runLiveAudience(new MarqueeClient(servers[arm].url), audience, audienceOptions({
            viewers,
            visits: perRound,
            seed: spec.seed + round,
            concurrency: 2,
            runId: `explore-${arm}-${round}`,
            onVisit: (v) => {
              const top = v.rows.find((r) => r.kind === "TOP_PICKS")?.movieIds ?? [];
              curves[arm].push({ visit: ++counters[arm], top: top.slice(0, 6).some((id) => good.has(id)) ? 1 : 0, any: v.rows.slice(0, 3).some((r) => r.movieIds.slice(0, 10).some((id) => good.has(id))) ? 1 : 0 });
            },
          })),
        ),
      );
      for (let arm = 0; arm < 2; arm++) {
        const record = await trainAndStore(sources[arm], { algorithm: "ease", tolerance: 1 });
        await waitForModel(servers[arm].url, record.id);
      }
      console.log(`exploration: round ${round + 1}/${rounds} done, retrained both, load ${load()}`);
    }
    const loadAfter = load();
    const bucket = Math.max(50, Math.round((rounds * perRound) / 12));
    const series = (arm: number, key: "top" | "any") => {
      const points: [number, number][] = [];
      for (let at = 0; at + bucket <= curves[arm].length; at += bucket) {
        const slice = curves[arm].slice(at, at + bucket);
        points.push([at + bucket, slice.reduce((s, c) => s + c[key], 0) / slice.length]);
      }
      return points;
    };
    const exposure = async (source: DataSource) =>
      (await source.query(`SELECT count(*)::int AS shown, count(played_at)::int AS played FROM impressions WHERE movie_id = ANY($1::int[])`, [[...good].map(Number)])) as { shown: number; played: number }[];
    const [[with_], [without]] = await Promise.all(sources.map(exposure));
    const curveWith = series(0, "top");
    const curveWithout = series(1, "top");
    const reach = (points: [number, number][], level: number) => points.find(([, y]) => y >= level)?.[0];
    const level = 0.1;
    const chart = writePlot("exploration-new-titles", {
      title: "Good new titles in Top picks' first six slots (greedy, model-ranked)",
      xLabel: "visits",
      yLabel: "share of visits",
      series: [
        { name: "exploration 0.1", points: curveWith },
        { name: "exploration 0", points: curveWithout, dashed: true },
      ],
    });
    const rowsTable = curveWith.map(([x, y], i) => [x, pct(y), curveWithout[i] ? pct(curveWithout[i][1]) : "-", pct(series(0, "any")[i]?.[1] ?? NaN), pct(series(1, "any")[i]?.[1] ?? NaN)]);
    const body = [
      `40 new titles added to a seeded catalog of ${spec.titles} (10 with three genres, 30 with one); the 10 best by mean hidden affinity over the audience (${ranked[0].mean.toFixed(3)} to ${ranked[9].mean.toFixed(3)}; an average catalog title ${everyTitle.toFixed(3)}) are "good for many".`,
      `The same audience (${viewers} viewers, ${rounds} rounds of ${perRound} visits per arm) against two servers on copies of the database, MARQUEE_EXPLORATION_RATE 0.1 and 0, each retrained (EASE) after every round.`,
      "A good new title has reached the top rows when it is in Top picks' first six slots, which exploration never takes: only the model's ranking puts it there.",
      "",
      `![exploration curves](${chart})`,
      "",
      table(["visits (bucket end)", "exploration 0.1: visits with a good new title in Top picks 1-6", "exploration 0", "0.1: in the first 10 of the top 3 rows (explored slots too)", "0: same"], rowsTable),
      "",
      table(
        ["", "exploration 0.1", "exploration 0"],
        [
          [`visits until ${pct(level, 0)} of a bucket's visits show one in Top picks 1-6`, reach(curveWith, level) ?? `not within ${curves[0].length}`, reach(curveWithout, level) ?? `not within ${curves[1].length}`],
          ["impressions of the good new titles", with_.shown, without.shown],
          ["attributed plays of them", with_.played, without.played],
        ],
      ),
      "",
      `Load average (1/5/15 min) before the audience ${loadBefore}, after ${loadAfter}: the machine is shared.`,
    ].join("\n");
    writeSection("experiments-exploration", "Exploration: how soon new titles reach the top rows (simulated audience)", command, describeMachine(prepared.db.postgresVersion), body);
    console.log(body);
  } finally {
    for (const server of servers) await server.stop();
    await sources[1].destroy();
    await clone.drop();
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
      rounds: { type: "string" },
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
    else if (section === "ab") await sectionAb(spec, visits, command);
    else if (section === "exploration") {
      const rounds = Number(values.rounds ?? (quick ? 2 : 5));
      await sectionExploration(spec, rounds, Math.round(visits / rounds), command);
    }
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
