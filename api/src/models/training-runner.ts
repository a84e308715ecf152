import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";

export interface TrainingRun {
  /** The `models` row, when the trainer got as far as recording one. */
  readonly modelId: number | null;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The last lines the trainer wrote to stderr (for the FAILED reason). */
  readonly stderrTail: string;
  /** The trainer said it ran out of memory (V8's heap limit, or an allocation the memory limit refused). */
  readonly outOfMemory: boolean;
  /** The last phase it reported ("loading score matrix", "validating", "fitting ease", ...), or null. */
  readonly lastPhase: string | null;
}

export interface TrainingRunOptions {
  readonly databaseUrl: string;
  readonly algorithm: string;
  readonly params: Record<string, unknown>;
  /** false: store the model without activating it (`--no-activate`, for an experiment arm). */
  readonly activate?: boolean;
  /** Also learn the event weights (a scheduled retrain). */
  readonly learnWeights?: boolean;
  /** Pass --tune (scheduled retrains). */
  readonly tune?: boolean;
  /** Heap limit of the trainer process, MiB: running out kills the trainer, never the API. */
  readonly maxHeapMb?: number;
  /** Memory limit of the trainer process (RLIMIT_DATA), MiB; 0 or absent: none. Linux, through util-linux prlimit. */
  readonly maxMemoryMb?: number;
  readonly onProgress?: (phase: string, fraction: number) => void;
}

/** What V8 and the C++ runtime print when an allocation fails (heap limit, RLIMIT_DATA). */
const OUT_OF_MEMORY = /heap out of memory|Fatal (javascript|process) OOM|std::bad_alloc|Array buffer allocation failed|out of memory/i;

/**
 * libstdc++'s last words when an exception escapes a native thread, possibly on several at once
 * ("terminate called recursively"): under a memory limit, a failed allocation (std::bad_alloc)
 * whose own message may not be flushed before the abort.
 */
const TERMINATED = /terminate called/;

/** Exit code of a trainer that found another training running. */
export const EXIT_BUSY = 75;

/**
 * Runs one training in a separate Node process (`api/src/cli/train`): the API's event loop
 * never runs a fit, and a trainer that throws, runs out of memory or is killed leaves the
 * serving model untouched. Works from sources (ts-node, as in tests) and from dist.
 */
export interface TrainingProcess {
  readonly done: Promise<TrainingRun>;
  readonly pid: number | undefined;
  /** The phase and fraction it reported last. */
  progress(): { phase: string; fraction: number } | null;
  /** Stops the trainer (SIGTERM); `done` then resolves with the signal. */
  stop(): void;
}

export function runTrainingProcess(options: TrainingRunOptions): TrainingProcess {
  const fromSource = __filename.endsWith(".ts");
  const entry = path.join(__dirname, "..", "cli", fromSource ? "train.ts" : "train.js");
  const nodeArgs = [`--max-old-space-size=${options.maxHeapMb ?? 4096}`];
  if (fromSource) nodeArgs.push("-r", "ts-node/register/transpile-only");
  const argv = [...nodeArgs, entry, "--json", "--algorithm", options.algorithm, "--params", JSON.stringify(options.params), ...(options.activate === false ? ["--no-activate"] : []), ...(options.learnWeights ? ["--learn-weights"] : []), ...(options.tune ? ["--tune"] : [])];
  const [command, args] = options.maxMemoryMb ? ["prlimit", [`--data=${options.maxMemoryMb * 1024 * 1024}`, "--", process.execPath, ...argv]] : [process.execPath, argv];
  const child = spawn(command, args, {
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      TS_NODE_PROJECT: path.resolve(__dirname, "../../tsconfig.json"),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let modelId: number | null = null;
  let last: { phase: string; fraction: number } | null = null;
  let outOfMemory = false;
  let terminated = false;
  const tail: string[] = [];
  createInterface({ input: child.stdout }).on("line", (line) => {
    try {
      const message = JSON.parse(line) as { event?: string; id?: number; phase?: string; fraction?: number };
      if (message.event === "started" && typeof message.id === "number") modelId = message.id;
      if (message.event === "progress") {
        last = { phase: message.phase ?? "", fraction: message.fraction ?? 0 };
        options.onProgress?.(last.phase, last.fraction);
      }
    } catch {
      // Not a protocol line (a library's log): ignore.
    }
  });
  createInterface({ input: child.stderr }).on("line", (line) => {
    // V8 prints its verdict first, then a native stack trace that would push it out of the tail.
    if (OUT_OF_MEMORY.test(line)) outOfMemory = true;
    if (TERMINATED.test(line)) terminated = true;
    tail.push(line);
    if (tail.length > 20) tail.shift();
  });
  const done = new Promise<TrainingRun>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (exitCode, signal) => {
      const aborted = Boolean(options.maxMemoryMb) && signal === "SIGABRT" && terminated;
      resolve({ modelId, exitCode, signal, stderrTail: tail.join("\n"), outOfMemory: outOfMemory || aborted, lastPhase: last?.phase ?? null });
    });
  });
  return { done, pid: child.pid, progress: () => last, stop: () => void child.kill("SIGTERM") };
}
