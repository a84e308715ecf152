/**
 * EASE at catalog scale: the Gram matrix and its inverse (float32 WebAssembly SIMD on the worker
 * pool) against numpy/scipy's LAPACK potrf + potri (OpenBLAS, float64 and float32), on the very
 * same matrix in one run, at 5,000 / 10,000 / 20,000 titles; the GFLOP/s reached against this
 * machine's WebAssembly SIMD peak (measured below); peak memory; the inverse's accuracy against
 * numpy's float64; and the quality a pruned model (topK weights per title) loses against the
 * dense one on a temporal hold-out. Writes the "ease" section of BENCHMARKS.md.
 *
 *   npm run bench:ease -w api -- [--sizes 5000,10000,20000] [--pairs 1000000] [--threads 2] [--no-numpy] [--quick] [--no-write]
 *
 * Marquee's fit and each numpy run are separate processes, one after the other, so each peak
 * RSS is that fit's own; "beyond idle" is the peak minus the RSS once the data is loaded.
 */
import { fork, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { EaseModel, easeInverse, easeWeights, type EaseParams } from "../src/engine/algorithms/ease";
import { ease } from "../src/engine/algorithms/ease";
import { evaluate, sampleUsers } from "../src/engine/evaluation/evaluate";
import { loadSplit } from "../src/engine/evaluation/split";
import { buildDenseWasm, densePeak } from "../src/engine/dense/dense-kernel";
import { releaseWorkspace } from "../src/engine/dense/spd-inverse";
import type { CsrMatrix } from "../src/engine/matrix/csr-matrix";
import { generatePairs } from "../src/engine/synthetic/audience";
import { sharedMemory } from "../src/engine/training/wasm-runtime";
import { getSharedPool } from "../src/engine/training/worker-pool";
import { liveHoldout } from "../src/models/holdout";
import { compiledScript, readMatrix, timesFile, writeMatrix } from "./matrix-file";
import { describeMachine, REPO_ROOT, table, writeSection } from "./report";

const DATA_DIR = path.join(os.tmpdir(), "marquee-bench-ease");
const PYTHON_SCRIPT = path.join(__dirname, "ease_numpy.py");
/** Sampled rows of the inverse compared with numpy's float64. */
const SAMPLE_ROWS = 48;
const QUALITY_K = [1000, 300, 100];

interface Size {
  readonly titles: number;
  readonly viewers: number;
  readonly pairs: number;
}

interface MarqueeResult {
  readonly gramSeconds: number;
  readonly inverseSeconds: number;
  readonly cpuSeconds: number;
  readonly idleRssMiB: number;
  readonly peakRssMiB: number;
  readonly quality: { readonly k: number; readonly ndcg10: number; readonly recall20: number }[];
  readonly trainPairs: number;
}

interface NumpyResult {
  readonly gramSeconds: number;
  readonly inverseSeconds: number;
  readonly idleRssMiB: number;
  readonly peakRssMiB: number;
  readonly maxRelativeError?: number;
  readonly blas?: string[];
  readonly numpy: string;
}

const mib = (bytes: number) => bytes / 2 ** 20;

function binary(m: CsrMatrix): CsrMatrix {
  return { ...m, data: new Float32Array(m.data.length).fill(1) };
}

/** Child: the hold-out's train part, its EASE inverse timed, then dense and pruned quality. */
async function child(file: string, lambda: number, threads: number, sampleFile: string): Promise<void> {
  const data = readMatrix(file, true);
  const holdout = liveHoldout(data)!;
  const x = binary(holdout.train.scores);
  await getSharedPool(threads).start();
  const idleRssMiB = mib(process.memoryUsage().rss);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let gramDone = 0;
  const ws = await easeInverse(x, lambda, {
    threads,
    onProgress: ({ phase }) => {
      if (phase !== "gram" && gramDone === 0) gramDone = performance.now();
    },
  });
  const t1 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  // Sampled rows of P for numpy's accuracy check.
  const n = ws.n;
  const rows = Array.from({ length: Math.min(SAMPLE_ROWS, n) }, (_, s) => Math.floor((s * n) / Math.min(SAMPLE_ROWS, n)));
  const sample = new Float32Array(rows.length * n);
  rows.forEach((r, s) => sample.set(ws.f.subarray(ws.at.A / 4 + r * ws.N, ws.at.A / 4 + r * ws.N + n), s * n));
  writeFileSync(sampleFile, Buffer.concat([Buffer.from(Int32Array.of(rows.length, ...rows).buffer), Buffer.from(sample.buffer)]));
  // Quality: the dense B and B pruned to each k, all from this one inverse.
  const itemIds = holdout.train.items.toArray().slice();
  const params: EaseParams = { lambda, maxItems: n, confidence: "binary", alpha: 1, topK: 0, halfLifeDays: 0 };
  const users = sampleUsers(holdout, 2000, 1);
  const score = (model: EaseModel, k: number) => {
    const m = evaluate(model, holdout, { depth: 20, users }).report.metrics;
    return { k, ndcg10: m["NDCG@10"], recall20: m["Recall@20"] };
  };
  const quality = [];
  const { pruned } = await easeWeights(ws, Math.min(QUALITY_K[0], n - 1), { threads });
  for (const k of QUALITY_K) {
    const kept = Math.min(k, n - 1);
    const w = pruned!;
    const neighbors = new Int32Array(n * kept);
    const values = new Float32Array(n * kept);
    for (let i = 0; i < n; i++) {
      neighbors.set(w.neighbors.subarray(i * w.k, i * w.k + kept), i * kept);
      values.set(w.values.subarray(i * w.k, i * w.k + kept), i * kept);
    }
    quality.push(score(new EaseModel({ ...params, topK: k }, itemIds, null, { k: kept, neighbors, values }), k));
  }
  const { dense } = await easeWeights(ws, 0, { threads });
  await releaseWorkspace(ws, threads);
  quality.unshift(score(new EaseModel(params, itemIds, dense), 0));
  const result: MarqueeResult = {
    gramSeconds: (gramDone - t0) / 1000,
    inverseSeconds: (t1 - gramDone) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    idleRssMiB,
    peakRssMiB,
    quality,
    trainPairs: x.indptr[x.nRows],
  };
  process.send?.(result);
}

function runChild(file: string, lambda: number, threads: number, sampleFile: string): Promise<MarqueeResult> {
  const script = compiledScript(__filename);
  return new Promise((resolve, reject) => {
    const proc = fork(script, ["--child", file, String(lambda), String(threads), sampleFile], { execArgv: [], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    let result: MarqueeResult | undefined;
    proc.on("message", (m: MarqueeResult) => (result = m));
    proc.on("exit", (code) => (result ? resolve(result) : reject(new Error(`the Marquee EASE child exited with ${code}`))));
  });
}

/**
 * The pruning's cost on real data: on a shared split, lambda tuned on val/ with the dense model,
 * then k chosen on val/ at that lambda; test.csv scores dense and every k once (nothing is chosen
 * on test).
 */
async function splitQuality(dir: string, threads: number): Promise<string[][]> {
  const val = loadSplit(dir, "val");
  const test = loadSplit(dir, "test");
  const ndcg = (m: Awaited<ReturnType<typeof ease.fit>>, split: typeof val) => evaluate(m, split, { depth: 20 }).report.metrics;
  let best = { lambda: 0, ndcg10: -1 };
  for (const lambda of ease.grid.lambda!) {
    const v = ndcg(await ease.fit(val.train, ease.validate({ lambda, topK: 0 }), { threads }), val)["NDCG@10"];
    if (v > best.ndcg10) best = { lambda, ndcg10: v };
  }
  const ks = [0, 1000, 300, 100];
  const valNdcg = new Map<number, number>();
  for (const topK of ks) valNdcg.set(topK, ndcg(await ease.fit(val.train, ease.validate({ lambda: best.lambda, topK }), { threads }), val)["NDCG@10"]);
  const chosen = ks.slice(1).reduce((a, b) => (valNdcg.get(b)! > valNdcg.get(a)! ? b : a));
  const rows: string[][] = [];
  let dense = { ndcg10: 0, recall20: 0 };
  for (const topK of ks) {
    const m = ndcg(await ease.fit(test.train, ease.validate({ lambda: best.lambda, topK }), { threads }), test);
    const q = { ndcg10: m["NDCG@10"], recall20: m["Recall@20"] };
    if (topK === 0) dense = q;
    const lost = (a: number, b: number) => `${(100 * (a / b - 1)).toFixed(1)} %`;
    rows.push([
      topK === 0 ? "dense" : `${topK}${topK === chosen ? " (chosen on val)" : ""}`,
      valNdcg.get(topK)!.toFixed(4),
      q.ndcg10.toFixed(4),
      q.recall20.toFixed(4),
      topK === 0 ? "" : `${lost(q.ndcg10, dense.ndcg10)} / ${lost(q.recall20, dense.recall20)}`,
    ]);
  }
  console.log(`${path.basename(dir)}: lambda ${best.lambda} (val NDCG@10 ${best.ndcg10.toFixed(4)}), k ${chosen}`);
  return [[`lambda ${best.lambda}`], ...rows];
}

/** Why numpy cannot run here, or undefined when it can. */
function numpyUnavailable(): string | undefined {
  const probe = spawnSync("python3", ["-c", "import numpy, scipy.linalg.lapack; print(numpy.__version__)"], { encoding: "utf8" });
  if (probe.error) return `python3 not found (${probe.error.message})`;
  if (probe.status !== 0) return `python3 cannot import numpy and scipy: ${probe.stderr.trim().split("\n").pop()}`;
  return undefined;
}

/** One numpy run; undefined (with the reason printed) when it fails, so the other sizes still run. */
function runNumpy(file: string, lambda: number, dtype: "float64" | "float32", sampleFile?: string): NumpyResult | undefined {
  const run = spawnSync("python3", [PYTHON_SCRIPT, file, String(lambda), dtype, ...(sampleFile ? [sampleFile] : [])], { encoding: "utf8", maxBuffer: 1 << 20 });
  if (run.status !== 0) {
    console.log(`numpy ${dtype} failed (exit ${run.status ?? run.signal}): ${(run.stderr ?? "").trim().split("\n").slice(-3).join(" | ")}`);
    return undefined;
  }
  return JSON.parse(run.stdout.trim().split("\n").pop()!) as NumpyResult;
}

/** Best-of-5 single-thread rate of the f32x4 peak kernel (per CPU second), and both threads at once (wall). */
async function measurePeak(threads: number): Promise<{ oneThread: number; together: number }> {
  const ctx = { key: "peak", wasm: buildDenseWasm(128), memory: sharedMemory(1 << 20), scratch: 0, iterations: 1 << 25 };
  const flops = ctx.iterations * 48;
  // On this thread alone (the pool's workers idle), per CPU second: robust to a shared machine.
  let best = 0;
  for (let r = 0; r < 5; r++) best = Math.max(best, flops / densePeak({ ...ctx, cpu: true }) / 1e9);
  const pool = getSharedPool(threads);
  await pool.start();
  const run = await pool.run({ module: require.resolve("../src/engine/dense/dense-kernel"), kernel: "densePeak", context: ctx, items: threads, blockSize: 1 });
  let together = 0;
  for (const s of run.results) together += flops / s / 1e9;
  return { oneThread: best, together };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: "string", default: "5000,10000,20000" },
      pairs: { type: "string", default: "1000000" },
      viewers: { type: "string", default: "100000" },
      lambda: { type: "string", default: "200" },
      threads: { type: "string", default: String(Math.min(2, os.cpus().length)) },
      seed: { type: "string", default: "1" },
      quick: { type: "boolean", default: false },
      "no-numpy": { type: "boolean", default: false },
      "no-write": { type: "boolean", default: false },
    },
  });
  const sizes: Size[] = values.quick
    ? [{ titles: 1000, viewers: 5000, pairs: 100_000 }]
    : values.sizes.split(",").map((s) => ({ titles: Number(s), viewers: Number(values.viewers), pairs: Number(values.pairs) }));
  const threads = Number(values.threads);
  const lambda = Number(values.lambda);
  const seed = Number(values.seed);
  mkdirSync(DATA_DIR, { recursive: true });
  const numpyMissing = values["no-numpy"] ? "--no-numpy" : numpyUnavailable();
  if (numpyMissing) console.log(`numpy skipped: ${numpyMissing}. Marquee's figures only.`);

  const peak = await measurePeak(threads);
  const machinePeak = peak.oneThread * threads;
  console.log(`WebAssembly SIMD peak: ${peak.oneThread.toFixed(1)} GFLOP/s per thread (best of 5, per CPU second), ${peak.together.toFixed(1)} with ${threads} threads at once (wall)`);

  const rows: string[][] = [];
  const qualityRows: string[][] = [];
  for (const size of sizes) {
    const file = path.join(DATA_DIR, `pairs-${size.pairs}-${size.viewers}-${size.titles}-${seed}.bin`);
    if (!existsSync(file) || !existsSync(timesFile(file))) {
      const m = generatePairs({ viewers: size.viewers, titles: size.titles, pairs: size.pairs, seed });
      writeMatrix(file, m.scores);
      const times = m.lastEventAt as Float64Array;
      writeFileSync(timesFile(file), Buffer.from(times.buffer, times.byteOffset, times.byteLength));
    }
    // numpy gets the same binarised hold-out train matrix the child builds.
    const trainFile = file.replace(/\.bin$/, ".train.bin");
    writeMatrix(trainFile, binary(liveHoldout(readMatrix(file, true))!.train.scores));
    const sampleFile = file.replace(/\.bin$/, ".sample.bin");
    const n = size.titles;
    const load = os.loadavg()[0];
    console.log(`${n} titles: Marquee (load ${load.toFixed(1)})`);
    const ours = await runChild(file, lambda, threads, sampleFile);
    const gflops = n ** 3 / ours.inverseSeconds / 1e9;
    console.log(
      `${n} titles: Marquee gram ${ours.gramSeconds.toFixed(1)} s, inverse ${ours.inverseSeconds.toFixed(1)} s (${gflops.toFixed(1)} GFLOP/s), CPU ${ours.cpuSeconds.toFixed(1)} s, peak ${ours.peakRssMiB.toFixed(0)} MiB, idle ${ours.idleRssMiB.toFixed(0)} MiB`,
    );
    let f64: NumpyResult | undefined;
    let f32: NumpyResult | undefined;
    let loadNumpy = NaN;
    if (!numpyMissing) {
      loadNumpy = os.loadavg()[0];
      f64 = runNumpy(trainFile, lambda, "float64", sampleFile);
      if (f64) console.log(`${n} titles: numpy float64 gram ${f64.gramSeconds.toFixed(1)} s, inverse ${f64.inverseSeconds.toFixed(1)} s, peak ${f64.peakRssMiB.toFixed(0)} MiB`);
      f32 = runNumpy(trainFile, lambda, "float32");
      if (f32) console.log(`${n} titles: numpy float32 gram ${f32.gramSeconds.toFixed(1)} s, inverse ${f32.inverseSeconds.toFixed(1)} s, peak ${f32.peakRssMiB.toFixed(0)} MiB`);
    }
    const budget = mib(2 * n * n * 4);
    const beyond = ours.peakRssMiB - ours.idleRssMiB;
    const fmt = (v: number | undefined, d = 1) => (v === undefined || !Number.isFinite(v) ? "-" : v.toFixed(d));
    rows.push([
      n.toLocaleString("en-US"),
      ours.trainPairs.toLocaleString("en-US"),
      `${fmt(ours.gramSeconds)} + ${fmt(ours.inverseSeconds)}`,
      `${fmt(gflops)} (${((100 * gflops) / machinePeak).toFixed(0)} %)`,
      `${fmt(ours.cpuSeconds)} (${fmt(n ** 3 / 1e9 / ours.cpuSeconds)})`,
      `${fmt(beyond, 0)} (${((100 * (beyond - mib(4 * n * n))) / budget).toFixed(0)} %)`,
      f64 ? `${fmt(f64.gramSeconds)} + ${fmt(f64.inverseSeconds)}` : "-",
      f64 ? fmt(f64.peakRssMiB - f64.idleRssMiB, 0) : "-",
      f32 ? `${fmt(f32.gramSeconds)} + ${fmt(f32.inverseSeconds)}` : "-",
      f32 ? fmt(f32.peakRssMiB - f32.idleRssMiB, 0) : "-",
      f64 ? `${fmt(ours.inverseSeconds / f64.inverseSeconds, 2)}x / ${fmt((ours.gramSeconds + ours.inverseSeconds) / (f64.gramSeconds + f64.inverseSeconds), 2)}x` : "-",
      f32 ? `${fmt(ours.inverseSeconds / f32.inverseSeconds, 2)}x / ${fmt((ours.gramSeconds + ours.inverseSeconds) / (f32.gramSeconds + f32.inverseSeconds), 2)}x` : "-",
      f64?.maxRelativeError !== undefined ? f64.maxRelativeError.toExponential(1) : "-",
      `${load.toFixed(1)} / ${fmt(loadNumpy)}`,
    ]);
    const dense = ours.quality[0];
    for (const q of ours.quality) {
      const lost = (a: number, b: number) => `${(100 * (a / b - 1)).toFixed(1)} %`;
      qualityRows.push([
        n.toLocaleString("en-US"),
        q.k === 0 ? "dense" : String(q.k),
        q.ndcg10.toFixed(4),
        q.recall20.toFixed(4),
        q.k === 0 ? "" : `${lost(q.ndcg10, dense.ndcg10)} / ${lost(q.recall20, dense.recall20)}`,
        q.k === 0 ? mib(4 * n * n).toFixed(0) : mib(8 * n * Math.min(q.k, n - 1)).toFixed(0),
      ]);
    }
    if (f64?.blas) console.log(`numpy ${f64.numpy}, BLAS: ${f64.blas.join("; ")}`);
  }

  const splitDir = path.resolve(REPO_ROOT, "..", "shared", "splits", "ml-100k");
  const split = !values.quick && existsSync(splitDir) ? await splitQuality(splitDir, threads) : undefined;

  const body: string[] = [];
  body.push(
    `Synthetic data of REFERENCE.md's shape (\`generatePairs\`, ${sizes[0].viewers.toLocaleString("en-US")} viewers, ${sizes[0].pairs.toLocaleString("en-US")} pairs, seed ${seed}), the train part of its temporal hold-out (liveHoldout: each viewer's latest 20 % held out), binarised; lambda ${lambda}. ` +
      `The same matrix file goes to Marquee (one child process: Gram matrix and inverse as float32 WebAssembly SIMD on ${threads} worker threads) and to numpy ${numpyMissing ? "(skipped: " + numpyMissing + ")" : "+ scipy (`(XᵀX).todense()`, then LAPACK potrf + potri in place, OpenBLAS on " + threads + " threads), once in float64 and once in float32"}, one after the other.`,
  );
  body.push("");
  body.push(
    `- WebAssembly SIMD peak of this machine: **${peak.oneThread.toFixed(1)} GFLOP/s per thread** (best of 5 runs, flops per CPU second of the one busy thread, of a kernel of 12 independent f32x4 multiply and add chains in registers: V8 issues two 128-bit multiplies and two adds per cycle; ${peak.together.toFixed(1)} GFLOP/s with ${threads} threads at once), so **${machinePeak.toFixed(1)} GFLOP/s** on ${threads} threads. Inverse GFLOP/s count n³ flops (potrf n³/3 + potri 2n³/3).`,
  );
  body.push(
    "- **s** columns are gram + inverse wall seconds. **CPU s**: CPU seconds of Marquee's process over gram + inverse, all threads, and the inverse's n³ flops per CPU second (robust to a busy machine). **beyond idle**: peak RSS minus the RSS once the data is loaded (MiB); in brackets, Marquee's peak beyond the n x n float32 Gram matrix itself as a share of its budget, 2 n² x 4 bytes. **vs numpy**: Marquee / numpy for the inverse alone and for gram + inverse. **max rel error**: largest |P32 - P64| / max |P64| over 48 sampled rows of the inverse against numpy's float64. **load**: 1-minute load average before Marquee / before numpy.",
  );
  body.push("");
  body.push(
    table(
      ["titles", "train pairs", "Marquee s", "Marquee inverse GFLOP/s (of peak)", "Marquee CPU s (GFLOP per CPU s)", "Marquee beyond idle MiB (beyond the Gram matrix, of 2n²x4)", "numpy f64 s", "f64 beyond idle MiB", "numpy f32 s", "f32 beyond idle MiB", "vs numpy f64", "vs numpy f32", "max rel error", "load"],
      rows,
    ),
  );
  body.push("");
  body.push(
    "Quality of the served model on the same hold-out (its test part; 2,000 sampled viewers): dense B against B pruned to each title's k strongest weights (by |B_ij|), all read out of the one inverse above. **model MiB**: what the artifact holds (dense 4 n² bytes; pruned 8 n k).",
  );
  body.push("");
  body.push(table(["titles", "k", "NDCG@10", "Recall@20", "vs dense (NDCG@10 / Recall@20)", "model MiB"], qualityRows));
  if (split) {
    body.push("");
    body.push(
      `The same on MovieLens 100K (\`../shared/splits/ml-100k\`, ${split[0][0]} tuned on val/ with the dense model, k chosen on val/ at that lambda; test.csv scored once per row, all viewers):`,
    );
    body.push("");
    body.push(table(["k", "val NDCG@10", "test NDCG@10", "test Recall@20", "vs dense on test (NDCG@10 / Recall@20)"], split.slice(1)));
  }
  const text = body.join("\n");
  console.log(text);
  if (!values["no-write"]) {
    const argv = process.argv.slice(2).join(" ");
    writeSection("ease", "EASE at catalog scale: Gram matrix and inverse vs numpy", `npm run bench:ease -w api --${argv ? " " + argv : ""}`, describeMachine(), text);
    console.log("wrote the ease section of BENCHMARKS.md");
  }
}

if (process.argv[2] === "--child") {
  const [file, lambda, threads, sampleFile] = process.argv.slice(3);
  child(file, Number(lambda), Number(threads), sampleFile).catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else if (require.main === module) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
