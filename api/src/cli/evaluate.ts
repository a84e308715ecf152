/**
 * `npm run evaluate -- --split <dir> [--algorithms a,b,...] [--recs-out <csv>] [--json <file>] [--report <md>]`
 *
 * Tunes each algorithm on <dir>/val, refits the tuned settings on <dir>/train.csv, scores
 * <dir>/test.csv once, prints a table (progress on stderr) and writes the requested outputs.
 * Extra flags: --weights binary|raw (how train weights reach the models; default binary, the
 * split protocol), --seed N, --max-trials N, --max-dense-items N (largest catalog EASE is tuned on),
 * --budget S (seconds of validation tuning; the refinement stops there), --freeze <file> (where
 * the chosen configuration is written before test.csv is read; default next to --json/--report),
 * --reference-recs <dir> (other systems' top-N lists for the paired bootstrap; default
 * <split>/reference-recs when it exists).
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { MultiBar, Presets, type SingleBar } from "cli-progress";
import { ParameterError } from "../engine/algorithms/common";
import { CsvFormatError } from "../engine/evaluation/csv";
import { runEvaluation, type ProgressEvent } from "../engine/evaluation/pipeline";
import { markdownReport, ndcgSvg, recsCsv, runToJson, textTable } from "../engine/evaluation/report";

const USAGE =
  "usage: npm run evaluate -- --split <dir> [--algorithms a,b,...] [--recs-out <csv>] [--json <file>] [--report <md>] [--weights binary|raw] [--seed N] [--max-trials N] [--max-dense-items N] [--budget S] [--freeze <file>] [--reference-recs <dir>]";

export async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        split: { type: "string" },
        algorithms: { type: "string" },
        "recs-out": { type: "string" },
        json: { type: "string" },
        report: { type: "string" },
        weights: { type: "string", default: "binary" },
        seed: { type: "string", default: "42" },
        "max-trials": { type: "string" },
        "max-dense-items": { type: "string", default: "20000" },
        budget: { type: "string", default: "600" },
        freeze: { type: "string" },
        "reference-recs": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(USAGE + "\n");
    return 0;
  }
  if (!args.split) {
    process.stderr.write(`--split <dir> is required\n${USAGE}\n`);
    return 2;
  }
  if (args.weights !== "binary" && args.weights !== "raw") {
    process.stderr.write(`--weights must be binary or raw, got ${args.weights}\n`);
    return 2;
  }
  const seed = Number(args.seed);
  const maxTrials = args["max-trials"] === undefined ? undefined : Number(args["max-trials"]);
  const maxDenseItems = Number(args["max-dense-items"]);
  const budgetSeconds = Number(args.budget);
  if (!(budgetSeconds >= 0) || !Number.isFinite(budgetSeconds)) {
    process.stderr.write("--budget must be a number of seconds >= 0\n");
    return 2;
  }
  if (!Number.isInteger(seed) || (maxTrials !== undefined && (!Number.isInteger(maxTrials) || maxTrials <= 0)) || !Number.isInteger(maxDenseItems) || maxDenseItems <= 0) {
    process.stderr.write("--seed must be an integer; --max-trials and --max-dense-items positive integers\n");
    return 2;
  }
  const algorithms = args.algorithms?.split(",").map((a) => a.trim()).filter((a) => a.length > 0);
  // `npm run evaluate` from the root runs in api/ (npm -w); paths are meant from where the user
  // typed the command, which npm keeps in INIT_CWD.
  const base = process.env.INIT_CWD ?? process.cwd();
  const at = (p: string) => resolve(base, p);
  const dir = at(args.split);
  for (const key of ["json", "recs-out", "report", "freeze", "reference-recs"] as const) if (args[key]) args[key] = at(args[key]);
  // The frozen choice is kept with the run's outputs (it is their proof), else in the temp dir.
  const outputBase = args.json ?? args.report;
  const freezePath = args.freeze ?? (outputBase ? outputBase.replace(/\.(json|md)$/i, "") + ".frozen.json" : undefined);
  const defaultReferences = join(dir, "reference-recs");
  const referenceDir = args["reference-recs"] ?? (existsSync(defaultReferences) ? defaultReferences : undefined);
  const started = performance.now();

  const interactive = process.stderr.isTTY === true;
  const bars = interactive ? new MultiBar({ format: " {bar} {percentage}% | {stage} {message}", hideCursor: true, clearOnComplete: true }, Presets.shades_classic) : undefined;
  let bar: SingleBar | undefined;
  let lastLine = "";
  const onEvent = (e: ProgressEvent) => {
    if (bars) {
      bar ??= bars.create(100, 0, { stage: e.stage, message: "" });
      bar.update(Math.round((e.fraction ?? 0) * 100), { stage: e.stage, message: e.message.slice(0, 90) });
      if (e.stage === "skip" || (e.stage === "tune" && e.message.includes("trial"))) bars.log(e.message + "\n");
    } else if (e.message !== lastLine && (e.fraction === undefined || e.stage === "tune" || e.stage === "skip" || e.stage === "done")) {
      // Without a terminal, print one line per step (not per percent) so logs stay readable.
      if (!(e.stage === "tune" && !e.message.includes("trial") && !e.message.includes("weights"))) process.stderr.write(`[${e.stage}] ${e.message}\n`);
      lastLine = e.message;
    }
  };

  let run;
  try {
    run = await runEvaluation(dir, { algorithms, weights: args.weights, seed, maxTrials, maxDenseItems, budgetSeconds, freezePath, referenceDir, onEvent });
  } catch (error) {
    bars?.stop();
    if (error instanceof ParameterError || error instanceof CsvFormatError) {
      process.stderr.write(`evaluate: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  bars?.stop();
  const seconds = (performance.now() - started) / 1000;

  process.stdout.write(textTable(run) + "\n");
  process.stdout.write(`best (by validation NDCG@10): ${run.best}; ${seconds.toFixed(1)} s\n`);
  // Each reason already names its algorithm.
  for (const why of Object.values(run.skipped)) process.stdout.write(`skipped: ${why}\n`);
  for (const p of run.algorithms[run.best].paired) {
    process.stdout.write(`${run.best} - ${p.reference} ${p.metric}: ${p.difference >= 0 ? "+" : ""}${p.difference.toFixed(4)} (${(100 * p.relative).toFixed(1)} %), 95 % paired bootstrap [${p.low.toFixed(4)}, ${p.high.toFixed(4)}]\n`);
  }
  process.stdout.write(`configuration frozen before test: ${run.frozen.path}\n`);

  if (args.json) {
    ensureDir(args.json);
    writeFileSync(args.json, JSON.stringify(runToJson(run), null, 2) + "\n");
  }
  if (args["recs-out"]) {
    ensureDir(args["recs-out"]);
    writeFileSync(args["recs-out"], recsCsv(run));
  }
  if (args.report) {
    ensureDir(args.report);
    const svgPath = join(dirname(args.report), basename(args.report).replace(/\.md$/i, "") + "-ndcg.svg");
    const shownDir = relative(base, dir) || ".";
    writeFileSync(svgPath, ndcgSvg({ ...run, split: { ...run.split, dir: shownDir } }));
    const command = `npm run evaluate -- ${argv.join(" ")}`;
    const frozen = { ...run.frozen, path: relative(dirname(args.report), run.frozen.path) };
    writeFileSync(args.report, markdownReport({ ...run, frozen, split: { ...run.split, dir: shownDir } }, basename(svgPath), command, seconds));
  }
  return 0;
}

function ensureDir(file: string): void {
  mkdirSync(dirname(resolve(file)), { recursive: true });
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`evaluate failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
