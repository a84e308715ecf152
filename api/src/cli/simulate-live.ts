import "reflect-metadata";
import { parseArgs } from "node:util";
import { SingleBar } from "cli-progress";
import { openCliDatabase } from "../import/cli-database";
import { runLiveAudience, type ArmSummary, type LiveAudienceResult } from "../live-audience/live-audience";
import { MarqueeClient, type OnlineMetricRow } from "../live-audience/marquee-client";
import { loadExperimentArms, loadSimulatedAudience, type ExperimentArms } from "../live-audience/simulated-audience.repository";

const USAGE = `Usage: npm run simulate:live -- --viewers 500 --minutes 5 [--seed 1] [--experiment ID]
        [--url http://127.0.0.1:4000] [--visits N] [--concurrency 4] [--time-scale 60] [--return-seconds S]

Drives a running Marquee over HTTP as its web client does: simulated viewers (the hidden tastes of
the audience \`npm run simulate -- ... --seed S\` stored, regenerated from the same seed) pick their
profile, open Home, look at cards (the chance falls with row and position), log impressions for
them, open, play, finish, skip or close titles as their hidden affinity says, thumb some, and come
back later. Stops after --minutes (wall clock) or --visits, whichever comes first, and prints per
arm the true value of what was served (mean hidden affinity of Top picks' first 10, share of
visits with a play) beside the online metrics the server measured.

--experiment ID: each viewer's arm is the experiment's own (its salt and shares, read from the
database, through the server's assignment hash), so the summary is per arm.

--url must be a loopback address. Reads the database (DATABASE_URL, else the embedded one) once,
for who the viewers are. MARQUEE_ADMIN_KEY, when the server enforces it, reads onlineMetrics.
Compress the server's windows for a short run, e.g. MARQUEE_ATTRIBUTION_WINDOW_MINUTES=1
MARQUEE_IMPRESSION_DISCOUNT_DAYS=0.01 (events after a card come --time-scale times faster).`;

function positive(name: string, raw: string | undefined, fallback?: number): number {
  if (raw === undefined) {
    if (fallback === undefined) throw new RangeError(`--${name} is required\n\n${USAGE}`);
    return fallback;
  }
  const value = Number(raw);
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`--${name} must be a positive number, got ${raw}`);
  return value;
}

function percent(x: number): string {
  return Number.isFinite(x) ? `${(100 * x).toFixed(2)} %` : "-";
}

export function summaryLines(result: LiveAudienceResult, measured: OnlineMetricRow[] | string): string[] {
  const seconds = (result.endedAt.getTime() - result.startedAt.getTime()) / 1000;
  const lines = [
    `Simulated ${result.visits.toLocaleString("en-US")} visits in ${seconds.toFixed(1)} s (${(result.visits / seconds).toFixed(1)}/s); ${result.failedVisits} failed${result.firstError ? ` (first: ${result.firstError})` : ""}`,
    "",
    "arm          visits  viewers  TRUE top-10 utility  TRUE visits with a play | impressions  clicks  plays  measured CTR [95 %]          play rate [95 %]          watch-through",
  ];
  const byArm = new Map(typeof measured === "string" ? [] : measured.map((m) => [m.arm ?? "all", m] as const));
  for (const arm of result.arms as ArmSummary[]) {
    const m = byArm.get(arm.arm) ?? (result.arms.length === 1 && typeof measured !== "string" ? measured[0] : undefined);
    const measuredCells = m
      ? `${m.impressions.toString().padStart(11)}  ${m.clicks.toString().padStart(6)}  ${m.plays.toString().padStart(5)}  ${percent(m.ctr)} [${percent(m.ctrLow)}, ${percent(m.ctrHigh)}]  ${percent(m.playRate)} [${percent(m.playRateLow)}, ${percent(m.playRateHigh)}]  ${m.watchThroughRate === null ? "-" : percent(m.watchThroughRate)}`
      : `${arm.impressions.toString().padStart(11)}  ${arm.clicks.toString().padStart(6)}  ${arm.plays.toString().padStart(5)}  (not measured: ${typeof measured === "string" ? measured : "no row for this arm"})`;
    lines.push(
      `${arm.arm.padEnd(11)}  ${arm.visits.toString().padStart(6)}  ${arm.viewers.toString().padStart(7)}  ${arm.meanTop10Utility.toFixed(4).padStart(19)}  ${percent(arm.visitsWithPlay / arm.visits).padStart(23)} | ${measuredCells}`,
    );
  }
  return lines;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      viewers: { type: "string" },
      minutes: { type: "string" },
      seed: { type: "string", default: "1" },
      experiment: { type: "string" },
      url: { type: "string", default: process.env.MARQUEE_URL ?? "http://127.0.0.1:4000" },
      visits: { type: "string" },
      concurrency: { type: "string", default: "4" },
      "time-scale": { type: "string", default: "60" },
      "return-seconds": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const viewers = positive("viewers", values.viewers);
  const minutes = positive("minutes", values.minutes);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new RangeError(`--seed must be an integer, got ${values.seed}`);
  const client = new MarqueeClient(values.url!, process.env.MARQUEE_ADMIN_KEY || undefined);

  const db = await openCliDatabase();
  let experiment: ExperimentArms | undefined;
  const audience = await loadSimulatedAudience(db.dataSource, seed)
    .then(async (loaded) => {
      if (values.experiment !== undefined) experiment = await loadExperimentArms(db.dataSource, values.experiment);
      return loaded;
    })
    .finally(() => db.close());

  const bar = new SingleBar({
    format: "Audience [{bar}] {percentage}% of {minutes} min | {visits} visits | {impressions} impressions | {events} events | {failed} failed",
    stream: process.stderr,
    hideCursor: true,
    noTTYOutput: true,
    notTTYSchedule: 10_000,
  });
  const totalSeconds = Math.round(minutes * 60);
  const counters = { visits: 0, impressions: 0, events: 0 };
  bar.start(totalSeconds, 0, { minutes, visits: 0, impressions: 0, events: 0, failed: 0 });
  const started = Date.now();
  const tick = setInterval(() => bar.update(Math.min(totalSeconds, Math.round((Date.now() - started) / 1000)), { ...counters, failed: client.failures }), 1000);
  let result: LiveAudienceResult;
  try {
    result = await runLiveAudience(client, audience, {
      viewers,
      minutes,
      seed,
      visits: values.visits === undefined ? undefined : positive("visits", values.visits),
      concurrency: positive("concurrency", values.concurrency),
      timeScale: positive("time-scale", values["time-scale"]),
      returnSeconds: values["return-seconds"] === undefined ? undefined : positive("return-seconds", values["return-seconds"]),
      armOf: experiment?.armOf,
      onVisit: (v) => {
        counters.visits++;
        counters.impressions += v.impressions;
        counters.events += v.events;
      },
    });
  } finally {
    clearInterval(tick);
    bar.update(Math.min(totalSeconds, Math.round((Date.now() - started) / 1000)), { ...counters, failed: client.failures });
    bar.stop();
  }
  let measured: OnlineMetricRow[] | string;
  try {
    if (experiment) {
      // onlineMetrics names an arm by its index; the summary by its name.
      const rows = await client.onlineMetrics(result.startedAt, ["EXPERIMENT", "ARM"]);
      const named = (r: OnlineMetricRow) => (r.experimentId === experiment!.id && r.arm !== null ? (experiment!.arms[Number(r.arm)] ?? r.arm) : r.experimentId === null ? "outside" : `experiment ${r.experimentId}`);
      measured = rows.map((r) => ({ ...r, arm: named(r) }));
    } else measured = await client.onlineMetrics(result.startedAt, []);
  } catch (error) {
    measured = (error as Error).message;
  }
  console.log(summaryLines(result, measured).join("\n"));
  return result.visits > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof RangeError ? error.message : error);
    process.exit(error instanceof RangeError ? 2 : 1);
  },
);
