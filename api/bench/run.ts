/**
 * The benchmark suite (`npm run bench -- [--quick] [--only ingest,import,train,ease,impressions,home-ceiling,home]`): runs
 * every benchmark the project has, one after the other, each in its own process and each
 * writing its own section of BENCHMARKS.md:
 *   ingest  bench/ingest.ts  GraphQL single and batched vs raw multi-row INSERT through pg
 *   import  bench/import.ts  bulk import (COPY + set-based merge) vs raw COPY
 *   train   bench/train.ts   fit time and peak memory per algorithm at 1M / 5M / 20M events
 *   impressions  bench/impressions.ts  logImpressions batches vs raw COPY; onlineMetrics over 10M impressions
 *   home-ceiling  bench/home-ceiling.ts  graphql-js execution of a home-sized answer vs `{ __typename }`
 *   home    bench/home.ts    home query vs `{ __typename }` under load; event-to-visible
 * then plots training time vs events per algorithm (docs/bench/train-time.svg; the home
 * benchmark draws docs/bench/home-latency.svg) and writes the "suite" section: what ran, how
 * long, and the links. `--quick` uses small sizes and short phases (CI smoke: under 3 minutes
 * on an idle 2-core machine); its figures go to the log only (BENCHMARKS.md is restored, then
 * the suite-quick section written), so a smoke run never replaces real figures.
 * A failing benchmark is reported and the others still run; the exit code says if any failed.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { writePlot, type Series } from "./plot";
import { BENCHMARKS_FILE, describeMachine, table, writeSection } from "./report";

interface Step {
  readonly name: string;
  readonly script: string;
  readonly args: (quick: boolean) => string[];
  readonly env?: (quick: boolean) => Record<string, string>;
  /** Only in quick runs (the soak's full run is `npm run bench:soak`, ten minutes alone). */
  readonly quickOnly?: boolean;
}

const STEPS: Step[] = [
  { name: "ingest", script: "bench/ingest.ts", args: () => [], env: (quick): Record<string, string> => (quick ? { BENCH_SECONDS: "2", BENCH_CONNECTIONS: "16" } : {}) },
  { name: "import", script: "bench/import.ts", args: (quick) => (quick ? ["--quick", "--events", "100000", "--no-write"] : ["--events", "5000000"]) },
  { name: "train", script: "bench/train.ts", args: (quick) => (quick ? ["--quick", "--ease-max-titles", "1000", "--latency", "20", "--no-write"] : ["--sizes", "1M,5M,20M", "--runs", "2", "--runs-largest", "1"]) },
  { name: "ease", script: "bench/ease.ts", args: (quick) => (quick ? ["--quick", "--no-write"] : []) },
  { name: "impressions", script: "bench/impressions.ts", args: (quick) => (quick ? ["--quick", "--no-write"] : []) },
  { name: "home-ceiling", script: "bench/home-ceiling.ts", args: (quick) => (quick ? ["--runs", "300", "--no-write"] : []) },
  {
    name: "home",
    script: "bench/home.ts",
    args: (quick) => (quick ? ["--quick", "--events", "100000", "--viewers", "5000", "--seconds", "2", "--rounds", "40", "--no-write"] : []),
  },
  { name: "soak", script: "bench/soak.ts", args: () => ["--quick", "--minutes", "0.5", "--clients", "4"], quickOnly: true },
];

function run(step: Step, quick: boolean): Promise<{ code: number; seconds: number }> {
  const started = Date.now();
  const args = ["-r", "ts-node/register/transpile-only", step.script, ...step.args(quick)];
  console.log(`\n=== ${step.name}: node ${args.join(" ")}`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: path.resolve(__dirname, ".."),
      env: { ...process.env, ...(step.env?.(quick) ?? {}) },
      stdio: "inherit",
    });
    child.on("exit", (code) => resolve({ code: code ?? 1, seconds: (Date.now() - started) / 1000 }));
  });
}

/** Training time vs events per algorithm, read back from the train section's table. */
export function trainSeries(markdown: string): Series[] {
  const start = markdown.indexOf("<!-- bench:train -->");
  const end = markdown.indexOf("<!-- /bench:train -->");
  if (start < 0 || end < start) return [];
  const lines = markdown.slice(start, end).split("\n").filter((l) => l.startsWith("|"));
  if (lines.length < 3) return [];
  const header = lines[0].split("|").map((c) => c.trim());
  const col = (name: string) => header.indexOf(name);
  // train.ts names the column "fit s" (earlier "fit seconds").
  const [pairsCol, algoCol, fitCol] = [col("pairs"), col("algorithm"), header.findIndex((h) => /^fit s(econds)?$/.test(h))];
  if (pairsCol < 0 || algoCol < 0 || fitCol < 0) return [];
  const byAlgorithm = new Map<string, [number, number][]>();
  for (const line of lines.slice(2)) {
    const cells = line.split("|").map((c) => c.trim());
    if (cells.length !== header.length) continue; // the latency table below has other columns
    const pairs = Number(cells[pairsCol].replace(/,/g, ""));
    // "12.3" or "min / median / max": take the median (the middle figure).
    const figures = cells[fitCol].split("/").map((s) => Number(s.trim()));
    const fit = figures.length === 3 ? figures[1] : figures[0];
    if (!Number.isFinite(pairs) || !Number.isFinite(fit)) continue;
    const list = byAlgorithm.get(cells[algoCol]) ?? [];
    list.push([pairs, fit]);
    byAlgorithm.set(cells[algoCol], list);
  }
  return [...byAlgorithm].map(([name, points]) => ({ name, points: points.sort((a, b) => a[0] - b[0]) }));
}

/** The BENCHMARKS.md sections a quick run writes: ingest.ts has no --no-write (the others get it). */
const QUICK_SECTIONS = ["ingest"];

function sectionOf(text: string, name: string): { start: number; end: number } | undefined {
  const open = `<!-- bench:${name} -->`;
  const close = `<!-- /bench:${name} -->`;
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  return start >= 0 && end > start ? { start, end: end + close.length } : undefined;
}

/** `current` with each named section as it was in `before` (or without it, if `before` had none). */
export function restoreSections(current: string, before: string, names: readonly string[]): string {
  let text = current;
  for (const name of names) {
    const now = sectionOf(text, name);
    if (!now) continue;
    const then = sectionOf(before, name);
    const replacement = then ? before.slice(then.start, then.end) : "";
    text = text.slice(0, now.start) + replacement + text.slice(now.end);
  }
  return text.replace(/\n{3,}/g, "\n\n");
}

/** Markdown links to the home benchmark's plots of full runs (docs/bench/home-latency-<scale>.svg). */
function homePlotLinks(): string[] {
  const plots = path.join(path.dirname(BENCHMARKS_FILE), "docs", "bench");
  if (!existsSync(plots)) return [];
  return readdirSync(plots)
    .filter((f) => /^home-latency-.*\.svg$/.test(f) && !f.includes("quick"))
    .sort()
    .map((file) => `![home and trivial query latency by offered load (${file.slice(13, -4)})](docs/bench/${file})`);
}

/** docs/bench/train-time.svg from the train section; its path, or undefined when there is nothing to plot. */
function writeTrainPlot(): string | undefined {
  const series = existsSync(BENCHMARKS_FILE) ? trainSeries(readFileSync(BENCHMARKS_FILE, "utf8")) : [];
  if (series.length === 0) return undefined;
  return writePlot("train-time", {
    title: "Training time vs events, per algorithm",
    xLabel: "(viewer, title) pairs (log scale)",
    yLabel: "fit seconds (log scale)",
    series,
    logX: true,
    logY: true,
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: "boolean", default: false }, only: { type: "string" }, "plots-only": { type: "boolean", default: false } } });
  const quick = values.quick;
  if (values["plots-only"]) {
    const plot = writeTrainPlot();
    if (!plot) throw new Error("no train section in BENCHMARKS.md to plot: run npm run bench:train -w api first");
    writeSection(
      "plots",
      "Plots",
      "npm run bench -- --plots-only",
      describeMachine(),
      [`Drawn from the train section above (median fit seconds).`, "", `![training time vs events per algorithm](${plot})`, "", ...homePlotLinks()].join("\n"),
    );
    console.log(`wrote ${plot} and the plots section of BENCHMARKS.md`);
    return;
  }
  const only = values.only?.split(",").map((s) => s.trim());
  for (const name of only ?? []) if (!STEPS.some((s) => s.name === name)) throw new Error(`unknown benchmark "${name}": use ${STEPS.map((s) => s.name).join(", ")}`);
  const started = Date.now();
  // A quick run is a smoke test: its small-size figures must not replace real ones. The steps
  // get --no-write; ingest.ts has no such flag, so its section is put back afterwards.
  const saved = quick && existsSync(BENCHMARKS_FILE) ? readFileSync(BENCHMARKS_FILE, "utf8") : undefined;
  const outcomes: { step: Step; code: number; seconds: number }[] = [];
  for (const step of STEPS.filter((s) => (!only || only.includes(s.name)) && (quick || !s.quickOnly))) {
    outcomes.push({ step, ...(await run(step, quick)) });
  }
  if (quick && existsSync(BENCHMARKS_FILE)) {
    // Only the sections the quick steps wrote: another job may have written its own meanwhile.
    writeFileSync(BENCHMARKS_FILE, restoreSections(readFileSync(BENCHMARKS_FILE, "utf8"), saved ?? "", QUICK_SECTIONS));
  }

  const links: string[] = [];
  const trainPlot = quick ? undefined : writeTrainPlot();
  if (trainPlot) links.push(`![training time vs events per algorithm](${trainPlot})`);
  if (!quick) links.push(...homePlotLinks());
  const total = (Date.now() - started) / 1000;
  const body = [
    quick
      ? `Smoke run (--quick: small sizes, short phases) of every benchmark, each in its own process. Their figures went to the log only; the sections below are from full runs. Suite wall time: ${total.toFixed(0)} s.`
      : `Every benchmark, in this order, each in its own process; each wrote its own section below (its command and time are there). Suite wall time: ${total.toFixed(0)} s.`,
    "",
    table(
      ["benchmark", "command", "seconds", "outcome"],
      outcomes.map((o) => {
        const env = Object.entries(o.step.env?.(quick) ?? {}).map(([k, v]) => `${k}=${v} `).join("");
        const command = `${env}node -r ts-node/register/transpile-only ${o.step.script} ${o.step.args(quick).join(" ")}`.trim();
        return [o.step.name, `\`${command}\``, o.seconds.toFixed(0), o.code === 0 ? "ok" : `failed (exit ${o.code})`];
      }),
    ),
    "",
    ...links,
  ].join("\n");
  writeSection(quick ? "suite-quick" : "suite", quick ? "Benchmark suite, quick smoke run" : "Benchmark suite", `npm run bench${quick ? " -- --quick" : ""}${only ? ` --only ${only.join(",")}` : ""}`, describeMachine(), body);
  console.log(`\nsuite done in ${total.toFixed(0)} s; wrote the suite section of BENCHMARKS.md`);
  if (outcomes.some((o) => o.code !== 0)) process.exit(1);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
