/**
 * Training benchmark: fit time and peak memory per algorithm per size on the REFERENCE.md
 * synthetic shape (power-law titles, 32 latent topics, log-normal activity; weight = times drawn),
 * plus recommend() latency for one viewer on the largest model. Writes the "train" section of
 * BENCHMARKS.md, with each iALS time as a ratio to the C++ `implicit` reference row.
 *
 *   npm run bench:train -w api -- [--sizes 1M,5M,20M] [--algorithms ials,popular,...] [--runs N] [--quick]
 *   npm run bench:train -w api -- --sizes 50M,100M --algorithms ials,popular --section train-scale   (docs/scaling.md)
 *
 * Each fit runs in its own child process, so its peak RSS (process.resourceUsage().maxRSS) is
 * that fit's own: the matrix it trains on plus whatever the algorithm allocates. The data set is
 * generated once per size and handed to the children as a binary file (so every algorithm fits
 * the very same matrix, and generator memory is not counted).
 */
import { fork, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { algorithmNames, getAlgorithm } from "../src/engine/algorithms/registry";
import type { SparseRow } from "../src/engine/matrix/csr-matrix";
import { generatePairs } from "../src/engine/synthetic/audience";
import { getSharedPool } from "../src/engine/training/worker-pool";
import { compiledScript, readMatrix, timesFile, writeMatrix } from "./matrix-file";
import { describeMachine, percentile, table, writeSection } from "./report";

interface Size {
  readonly label: string;
  readonly pairs: number;
  readonly viewers: number;
  readonly titles: number;
}

/** The shapes of REFERENCE.md's training-speed table. */
const SIZES: Record<string, Size> = {
  "1M": { label: "1M", pairs: 1_000_000, viewers: 100_000, titles: 20_000 },
  "5M": { label: "5M", pairs: 5_000_000, viewers: 150_000, titles: 20_000 },
  "20M": { label: "20M", pairs: 20_000_000, viewers: 200_000, titles: 20_000 },
  // Past REFERENCE.md: how far one machine goes (docs/scaling.md). Write them to their own section.
  "50M": { label: "50M", pairs: 50_000_000, viewers: 500_000, titles: 50_000 },
  "100M": { label: "100M", pairs: 100_000_000, viewers: 1_000_000, titles: 50_000 },
  quick: { label: "quick", pairs: 200_000, viewers: 20_000, titles: 5_000 },
};

/**
 * implicit 0.7.3 ALS (C++), 64 factors, 15 iterations, 2 threads: median fit seconds and peak
 * RSS MiB from shared/splits/ml-100k/REFERENCE.md (same machine kind, same data shape).
 */
const IMPLICIT_REFERENCE: Record<string, { seconds: number; rssMiB: number }> = {
  "1M": { seconds: 8.1, rssMiB: 111 },
  "5M": { seconds: 22.8, rssMiB: 204 },
  "20M": { seconds: 52.3, rssMiB: 488 },
};

/** Parameters for timing: the reference's iALS settings; others at their defaults. */
const BENCH_PARAMS: Record<string, Record<string, unknown>> = {
  ials: { factors: 64, iterations: 15 },
};

/** Algorithms that cannot be timed on these shapes, and why. Checked before forking. */
function skipReason(name: string, size: Size, easeMaxTitles: number): string | undefined {
  if (name === "ease" && size.titles > easeMaxTitles) {
    return `skipped: ${size.titles.toLocaleString("en-US")} titles; EASE's dense inverse (O(n³)) is timed against numpy's by bench:ease (the "EASE at catalog scale" section). Force with --ease-max-titles ${size.titles}`;
  }
  if (name === "content") return "skipped: needs title genres (itemFeatures); the synthetic catalog has none";
  if (name === "hybrid") return "skipped: a blend of the other models; its fit is the sum of its components'";
  return undefined;
}

/**
 * implicit's floor: python3 with numpy and scipy imported (implicit itself cannot be installed
 * here), measured in this run; undefined without python3/numpy/scipy.
 */
function pythonIdleMiB(): number | undefined {
  const probe = spawnSync("python3", ["-c", "import numpy, scipy.sparse, resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) return undefined;
  return Number(probe.stdout.trim()) / 1024;
}

interface ChildResult {
  readonly algorithm: string;
  readonly fitSeconds: number;
  /** CPU seconds of the whole process (all threads) during the fit: robust to a busy machine. */
  readonly cpuSeconds: number;
  readonly peakRssMiB: number;
  readonly dataRssMiB: number;
  /** RSS with the worker threads up, before the data is read: the process's own floor. */
  readonly idleRssMiB: number;
  readonly latencyMs?: number[];
}

const DATA_DIR = path.join(os.tmpdir(), "marquee-bench-train");

function dataFile(size: Size, seed: number): string {
  return path.join(DATA_DIR, `pairs-${size.pairs}-${size.viewers}-${size.titles}-${seed}.bin`);
}

const mib = (kib: number) => Math.round(kib / 1024);

/** Child: fit one algorithm on one data file, report through IPC. */
async function child(file: string, algorithm: string, latency: number, threads: number): Promise<void> {
  // Thread start-up is paid once per process in a server; it is not part of a fit.
  await getSharedPool(threads).start();
  const idleRssMiB = Math.round(process.memoryUsage().rss / 2 ** 20);
  const data = readMatrix(file, algorithm === "trending");
  const dataRssMiB = Math.round(process.memoryUsage().rss / 2 ** 20);
  const spec = getAlgorithm(algorithm);
  const params = spec.validate(BENCH_PARAMS[algorithm] ?? {});
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const model = await spec.fit(data, params, { seed: 1, threads });
  const fitSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const peakRssMiB = mib(process.resourceUsage().maxRSS);
  let latencyMs: number[] | undefined;
  if (latency > 0) {
    const { scores } = data;
    const histories: SparseRow[] = [];
    for (let u = 0; histories.length < latency + 20 && u < scores.nRows; u += 97) {
      const start = scores.indptr[u];
      const end = scores.indptr[u + 1];
      if (end > start) histories.push({ indices: scores.indices.subarray(start, end), data: scores.data.subarray(start, end) });
    }
    latencyMs = [];
    for (let i = 0; i < histories.length; i++) {
      const t0 = process.hrtime.bigint();
      model.recommend(histories[i], 20);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (i >= 20) latencyMs.push(ms); // the first 20 warm the JIT up
    }
  }
  const result: ChildResult = { algorithm, fitSeconds, cpuSeconds, peakRssMiB, dataRssMiB, idleRssMiB, latencyMs };
  process.send?.(result);
}

let childScript: string | undefined;

function runChild(file: string, algorithm: string, latency: number, threads: number, timeoutSeconds: number): Promise<ChildResult | string> {
  childScript ??= compiledScript(__filename);
  const script = childScript;
  return new Promise((resolve) => {
    const proc = fork(script, ["--child", file, algorithm, String(latency), String(threads)], {
      execArgv: [],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let result: ChildResult | undefined;
    const timer = setTimeout(() => proc.kill("SIGKILL"), timeoutSeconds * 1000);
    proc.on("message", (m: ChildResult) => (result = m));
    proc.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (result) resolve(result);
      else if (signal === "SIGKILL") resolve(`timeout: no fit within ${timeoutSeconds} s`);
      else resolve(`failed: exit code ${code ?? signal}`);
    });
  });
}

interface Row {
  readonly size: Size;
  readonly algorithm: string;
  readonly runs: ChildResult[];
  readonly note?: string;
  readonly load: number;
}

function summary(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const f = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(1));
  if (sorted.length === 1) return f(sorted[0]);
  return `${f(sorted[0])} / ${f(percentile(sorted, 50))} / ${f(sorted[sorted.length - 1])} (${sorted.length})`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: "string" },
      algorithms: { type: "string" },
      runs: { type: "string", default: "1" },
      "runs-largest": { type: "string" },
      quick: { type: "boolean", default: false },
      threads: { type: "string", default: String(Math.min(2, os.cpus().length)) },
      seed: { type: "string", default: "1" },
      "ease-max-titles": { type: "string", default: "5000" },
      "timeout-seconds": { type: "string", default: "900" },
      latency: { type: "string", default: "200" },
      "no-write": { type: "boolean", default: false },
      section: { type: "string", default: "train" },
    },
  });
  const sizeNames = values.quick ? ["quick"] : (values.sizes ?? "1M,5M").split(",").map((s) => s.trim());
  for (const s of sizeNames) if (!SIZES[s]) throw new Error(`unknown size "${s}": use ${Object.keys(SIZES).join(", ")}`);
  const known = algorithmNames();
  const algorithms = values.algorithms ? values.algorithms.split(",").map((s) => s.trim()) : ["ials", ...known.filter((n) => n !== "ials")];
  for (const a of algorithms) if (!known.includes(a)) throw new Error(`unknown algorithm "${a}": known are ${known.join(", ")}`);
  const runs = Number(values.runs);
  const threads = Number(values.threads);
  const seed = Number(values.seed);
  const easeMax = Number(values["ease-max-titles"]);
  const timeout = Number(values["timeout-seconds"]);
  const latencyCalls = Number(values.latency);
  mkdirSync(DATA_DIR, { recursive: true });

  const rows: Row[] = [];
  const latencies: { size: Size; algorithm: string; ms: number[] }[] = [];
  const largest = sizeNames[sizeNames.length - 1];
  for (const name of sizeNames) {
    const size = SIZES[name];
    const file = dataFile(size, seed);
    if (!existsSync(file) || !existsSync(timesFile(file))) {
      const t0 = Date.now();
      const m = generatePairs({ viewers: size.viewers, titles: size.titles, pairs: size.pairs, seed });
      writeMatrix(file, m.scores);
      const times = m.lastEventAt as Float64Array;
      writeFileSync(timesFile(file), Buffer.from(times.buffer, times.byteOffset, times.byteLength));
      console.log(`generated ${size.label} (${size.pairs} pairs) in ${((Date.now() - t0) / 1000).toFixed(1)} s -> ${file}`);
    }
    for (const algorithm of algorithms) {
      const load = os.loadavg()[0];
      const skip = skipReason(algorithm, size, easeMax);
      if (skip) {
        rows.push({ size, algorithm, runs: [], note: skip, load });
        console.log(`${size.label} ${algorithm}: ${skip}`);
        continue;
      }
      const results: ChildResult[] = [];
      let note: string | undefined;
      const sizeRuns = name === largest && values["runs-largest"] ? Number(values["runs-largest"]) : runs;
      for (let r = 0; r < sizeRuns; r++) {
        const latency = name === largest && r === 0 ? latencyCalls : 0;
        const result = await runChild(file, algorithm, latency, threads, timeout);
        if (typeof result === "string") {
          note = result;
          break;
        }
        results.push(result);
        if (result.latencyMs) latencies.push({ size, algorithm, ms: result.latencyMs });
        console.log(`${size.label} ${algorithm}: fit ${result.fitSeconds.toFixed(2)} s (CPU ${result.cpuSeconds.toFixed(1)} s), peak RSS ${result.peakRssMiB} MiB, idle ${result.idleRssMiB} MiB (load ${load.toFixed(1)})`);
      }
      if (note) console.log(`${size.label} ${algorithm}: ${note}`);
      rows.push({ size, algorithm, runs: results, note, load });
    }
  }

  const pyIdle = pythonIdleMiB();
  const body: string[] = [];
  body.push(
    "Synthetic data of REFERENCE.md's shape (`generatePairs`: p ∝ rank^-0.9, 32 latent topics over 16-dim title vectors, Dirichlet(0.1) tastes, log-normal activity; weight = times drawn; seed " +
      `${seed}). iALS with 64 factors, 15 iterations, ${threads} threads, as the implicit reference. Each fit in its own process: peak RSS is that fit's own (matrix included).`,
  );
  body.push("");
  body.push(
    "- **fit s**: wall seconds, min / median / max (runs) when several runs. **CPU s**: CPU seconds of the fitting process, all threads (median).",
  );
  body.push(
    `- **vs implicit**: our median wall seconds / implicit's median from REFERENCE.md, and (CPU s / ${threads} threads) / implicit's wall: what our wall time would be with ${threads} cores to ourselves. implicit was measured at load 1.4-2.0, not side by side (no PyPI here). **peak - idle**: peak RSS minus the RSS of the same process with its worker threads up and nothing loaded; for implicit, its peak from REFERENCE.md minus ${pyIdle === undefined ? "(python3 with numpy and scipy not available here: not compared)" : `python3 with numpy and scipy imported, measured in this run (${pyIdle.toFixed(0)} MiB; implicit's own module is not installable here)`}. **load** is the 1-minute load average before our fit (this machine has ${os.cpus().length} cores and is shared with other jobs, so wall seconds at a high load mostly measure the other jobs).`,
  );
  body.push("");
  body.push(
    table(
      ["pairs", "viewers", "titles", "algorithm", "fit s", "CPU s", "peak RSS MiB", "peak - idle MiB", "vs implicit: wall", "vs implicit: CPU s / threads", "vs implicit: RSS", "vs implicit: peak - idle", "load", "note"],
      rows.map((r) => {
        const ref = IMPLICIT_REFERENCE[r.size.label];
        const median = r.runs.length ? percentile(r.runs.map((x) => x.fitSeconds), 50) : NaN;
        const cpu = r.runs.length ? percentile(r.runs.map((x) => x.cpuSeconds), 50) : NaN;
        const rss = r.runs.length ? Math.max(...r.runs.map((x) => x.peakRssMiB)) : NaN;
        const aboveIdle = r.runs.length ? Math.max(...r.runs.map((x) => x.peakRssMiB - x.idleRssMiB)) : NaN;
        const compare = r.algorithm === "ials" && ref !== undefined && r.runs.length > 0;
        return [
          r.size.pairs.toLocaleString("en-US"),
          r.size.viewers.toLocaleString("en-US"),
          r.size.titles.toLocaleString("en-US"),
          r.algorithm,
          r.runs.length ? summary(r.runs.map((x) => x.fitSeconds)) : "-",
          r.runs.length ? cpu.toFixed(1) : "-",
          Number.isNaN(rss) ? "-" : rss,
          Number.isNaN(aboveIdle) ? "-" : aboveIdle,
          compare ? `${(median / ref.seconds).toFixed(2)}x of ${ref.seconds} s` : "",
          compare ? `${(cpu / threads / ref.seconds).toFixed(2)}x` : "",
          compare ? `${(rss / ref.rssMiB).toFixed(2)}x of ${ref.rssMiB} MiB` : "",
          compare && pyIdle !== undefined ? `${(aboveIdle / (ref.rssMiB - pyIdle)).toFixed(2)}x of ${(ref.rssMiB - pyIdle).toFixed(0)} MiB` : "",
          r.load.toFixed(1),
          r.note ?? "",
        ];
      }),
    ),
  );
  if (latencies.length > 0) {
    body.push("");
    body.push(`recommend(history, 20) for one viewer on the ${SIZES[largest].label} model (fold-in included), ${latencies[0].ms.length} viewers each, after 20 warm-up calls:`);
    body.push("");
    body.push(
      table(
        ["algorithm", "p50 ms", "p99 ms"],
        latencies.map((l) => [l.algorithm, percentile(l.ms, 50).toFixed(2), percentile(l.ms, 99).toFixed(2)]),
      ),
    );
  }
  const text = body.join("\n");
  console.log(text);
  if (!values["no-write"]) {
    const argv = process.argv.slice(2).join(" ");
    const [name, title] = values.section === "train" ? ["train", "Training speed and memory"] : [values.section, `Training speed and memory (${values.section})`];
    writeSection(name, title, `npm run bench:train -w api --${argv ? " " + argv : ""}`, describeMachine(), text);
    console.log("wrote the train section of BENCHMARKS.md");
  }
}

if (process.argv[2] === "--child") {
  const [file, algorithm, latency, threads] = process.argv.slice(3);
  child(file, algorithm, Number(latency), Number(threads)).catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else if (require.main === module) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
