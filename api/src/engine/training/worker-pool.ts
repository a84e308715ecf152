/**
 * A small worker-thread pool for "parallel over rows" kernels.
 *
 * A kernel is a plain exported function in some module of ours:
 *
 *     export function solveRows(ctx: MyContext, start: number, end: number, block: number): number | void
 *
 * `pool.run({ module: __filename, kernel: "solveRows", context, items })` cuts [0, items) into
 * fixed blocks of `blockSize` rows and lets every worker take the next free block (an atomic
 * counter in shared memory, so no message round trip per block) until none is left. The context
 * is sent once per run; typed arrays in it that live on a SharedArrayBuffer (see `shared*`) are
 * shared by all threads, never copied, so kernels write their output straight into them.
 *
 * Determinism: the blocks depend on `items` and `blockSize` only, never on the thread count, and a
 * kernel's return value lands in `results[block]`; sum those in block order (`sumResults`) and a
 * run gives identical bits on 1 or 8 threads, and inline (threads 0), as long as each block's
 * work does not read what other blocks of the same run write.
 *
 * Workers load under ts-node (source .ts, e.g. Jest) and from compiled .js alike: the entry point
 * registers ts-node (transpile-only) first when this file is TypeScript.
 */
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { WasmMemory } from "./wasm-runtime";

/**
 * Values a kernel context may hold: numbers, strings, booleans, typed arrays (shared ideally) and
 * shared WebAssembly memories (the same memory in every thread).
 */
export type ContextValue =
  | number
  | string
  | boolean
  | null
  | Float32Array
  | Float64Array
  | Int32Array
  | Uint32Array
  | Uint8Array
  | WasmMemory
  | readonly ContextValue[]
  | { readonly [key: string]: ContextValue };

export type KernelContext = { readonly [key: string]: ContextValue };

/** A kernel over rows [start, end) of block `block`; its number (if any) goes to results[block]. */
export type Kernel<C> = (context: C, start: number, end: number, block: number) => number | void;

export interface RunSpec<C extends KernelContext> {
  /** Absolute path of the module exporting the kernel: pass `__filename` from that module. */
  readonly module: string;
  /** Name of the exported kernel function. */
  readonly kernel: string;
  readonly context: C;
  /** Rows (or any units) to process: [0, items). */
  readonly items: number;
  /** Rows per block (default 256). Part of the result's identity: keep it fixed for determinism. */
  readonly blockSize?: number;
  readonly signal?: AbortSignal;
  /** Called as blocks complete, with rows done so far. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface RunResult {
  /** Kernel return value per block (NaN where it returned nothing). */
  readonly results: Float64Array;
}

/** Messages between the pool and its workers (see worker-entry.ts). */
export interface RunMessage {
  readonly type: "run";
  readonly id: number;
  readonly module: string;
  readonly kernel: string;
  readonly context: KernelContext;
  /** [0] next free block, [1] abort flag. */
  readonly control: Int32Array;
  readonly results: Float64Array;
  readonly items: number;
  readonly blockSize: number;
  /** Run the kernel once on this worker as kernel(context, 0, 0, -1) instead of taking blocks. */
  readonly once?: boolean;
}

export type WorkerReply =
  | { readonly type: "progress"; readonly id: number; readonly rows: number }
  | { readonly type: "done"; readonly id: number }
  | { readonly type: "error"; readonly id: number; readonly message: string; readonly stack?: string };

export class AbortError extends Error {
  constructor(message = "training was aborted") {
    super(message);
    this.name = "AbortError";
  }
}

export class KernelError extends Error {
  constructor(message: string, stack?: string) {
    super(message);
    this.name = "KernelError";
    if (stack) this.stack = `KernelError: ${message}\n(in worker) ${stack}`;
  }
}

/** Typed arrays on a SharedArrayBuffer: what kernels share without copying. */
export function sharedFloat32(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(length * 4));
}
export function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * 8));
}
export function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(length * 4));
}
/** A shared copy of `a` (or `a` itself when it already lives in shared memory). */
export function toShared<T extends Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const Ctor = a.constructor as { new (buffer: SharedArrayBuffer): T };
  const copy = new Ctor(new SharedArrayBuffer(a.byteLength));
  copy.set(a as never);
  return copy;
}

/** Sum of per-block results in block order: the same bits whatever the thread count. */
export function sumResults(r: RunResult): number {
  let s = 0;
  for (let b = 0; b < r.results.length; b++) if (r.results[b] === r.results[b]) s += r.results[b];
  return s;
}

const ENTRY_BASENAME = "worker-entry";

/** Worker bootstrap: plain require for .js; ts-node first for .ts (tests, ts-node CLIs). */
function workerSource(): { source: string; eval: boolean } {
  const ext = path.extname(__filename);
  const entry = path.join(__dirname, ENTRY_BASENAME + ext);
  if (ext !== ".ts") return { source: entry, eval: false };
  const tsNode = require.resolve("ts-node");
  const options = {
    transpileOnly: true,
    skipProject: true,
    compilerOptions: { module: "commonjs", moduleResolution: "node", target: "es2022", esModuleInterop: true },
  };
  return {
    source: `require(${JSON.stringify(tsNode)}).register(${JSON.stringify(options)});\nrequire(${JSON.stringify(entry)});`,
    eval: true,
  };
}

interface ActiveRun {
  readonly id: number;
  readonly total: number;
  /** Workers that have not yet sent their final message. */
  pending: number;
  done: number;
  error?: Error;
  readonly onProgress?: (done: number, total: number) => void;
  /** Stops every worker after its current block. */
  stop(): void;
  /** Called once, when the last worker has finished. */
  settle(): void;
}

export class WorkerPool {
  readonly size: number;
  private workers: Worker[] = [];
  private active?: ActiveRun;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private closed = false;

  /** `threads` workers (default: available cores); 0 runs every kernel inline on the calling thread. */
  constructor(threads = defaultThreads()) {
    if (!Number.isInteger(threads) || threads < 0) throw new RangeError(`threads must be an integer >= 0, got ${threads}`);
    this.size = threads;
  }

  /** Runs a kernel over [0, items). Runs on one pool are queued, one at a time. */
  run<C extends KernelContext>(spec: RunSpec<C>): Promise<RunResult> {
    const next = this.queue.then(
      () => this.runNow(spec),
      () => this.runNow(spec),
    );
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Calls kernel(context, 0, 0, -1) once on every live worker (and on the calling thread), e.g. to
   * drop per-thread caches that hold a finished fit's memory.
   */
  broadcast<C extends KernelContext>(spec: Pick<RunSpec<C>, "module" | "kernel" | "context">): Promise<void> {
    const next = this.queue.then(
      () => this.broadcastNow(spec),
      () => this.broadcastNow(spec),
    );
    this.queue = next.catch(() => undefined);
    return next;
  }

  private broadcastNow<C extends KernelContext>(spec: Pick<RunSpec<C>, "module" | "kernel" | "context">): Promise<void> {
    loadKernel<C>(spec.module, spec.kernel)(spec.context, 0, 0, -1);
    const workers = this.workers.slice();
    if (workers.length === 0) return Promise.resolve();
    const control = new Int32Array(new SharedArrayBuffer(8));
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      const run: ActiveRun = {
        id,
        total: 0,
        pending: workers.length,
        done: 0,
        stop: () => Atomics.store(control, 1, 1),
        settle: () => {
          this.active = undefined;
          for (const w of this.workers) w.unref();
          if (run.error) reject(run.error);
          else resolve();
        },
      };
      this.active = run;
      const message: RunMessage = { ...spec, type: "run", id, control, results: new Float64Array(0), items: 0, blockSize: 1, once: true };
      for (const w of workers) {
        w.ref();
        w.postMessage(message);
      }
    });
  }

  /**
   * Starts every worker and waits until each has loaded its entry point (under ts-node that takes
   * a while), so that the first run's timing is the kernel's own. Optional: runs start workers on
   * demand.
   */
  async start(): Promise<void> {
    if (this.size === 0) return;
    this.ensureWorkers(this.size);
    await this.broadcast({ module: __filename, kernel: "noopKernel", context: {} });
  }

  /** Terminates the workers. The pool cannot be used afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private async runNow<C extends KernelContext>(spec: RunSpec<C>): Promise<RunResult> {
    if (this.closed) throw new Error("this WorkerPool is closed; create a new one");
    const blockSize = spec.blockSize ?? 256;
    if (!Number.isInteger(spec.items) || spec.items < 0) throw new RangeError(`items must be an integer >= 0, got ${spec.items}`);
    if (!Number.isInteger(blockSize) || blockSize <= 0) throw new RangeError(`blockSize must be a positive integer, got ${blockSize}`);
    if (spec.signal?.aborted) throw new AbortError();
    const blocks = Math.ceil(spec.items / blockSize);
    const results = new Float64Array(new SharedArrayBuffer(Math.max(1, blocks) * 8)).subarray(0, blocks);
    results.fill(NaN);
    if (blocks === 0) return { results };
    if (this.size === 0) return this.runInline(spec, blockSize, results);
    const control = new Int32Array(new SharedArrayBuffer(8));
    const workers = this.ensureWorkers(Math.min(this.size, blocks));
    const id = this.nextId++;
    return new Promise<RunResult>((resolve, reject) => {
      const stop = () => Atomics.store(control, 1, 1);
      spec.signal?.addEventListener("abort", stop, { once: true });
      const run: ActiveRun = {
        id,
        total: spec.items,
        pending: workers.length,
        done: 0,
        onProgress: spec.onProgress,
        stop,
        settle: () => {
          spec.signal?.removeEventListener("abort", stop);
          this.active = undefined;
          for (const w of this.workers) w.unref();
          if (run.error) reject(run.error);
          else if (Atomics.load(control, 1) === 1) reject(new AbortError());
          else resolve({ results });
        },
      };
      this.active = run;
      const message: RunMessage = {
        type: "run",
        id,
        module: spec.module,
        kernel: spec.kernel,
        context: spec.context,
        control,
        results,
        items: spec.items,
        blockSize,
      };
      for (const w of workers) {
        w.ref();
        w.postMessage(message);
      }
    });
  }

  private runInline<C extends KernelContext>(spec: RunSpec<C>, blockSize: number, results: Float64Array): RunResult {
    const kernel = loadKernel<C>(spec.module, spec.kernel);
    for (let b = 0; b < results.length; b++) {
      if (spec.signal?.aborted) throw new AbortError();
      const start = b * blockSize;
      const end = Math.min(spec.items, start + blockSize);
      const value = kernel(spec.context, start, end, b);
      if (typeof value === "number") results[b] = value;
      spec.onProgress?.(end, spec.items);
    }
    return { results };
  }

  private ensureWorkers(count: number): Worker[] {
    while (this.workers.length < count) {
      const { source, eval: isEval } = workerSource();
      const worker = new Worker(source, { eval: isEval });
      worker.unref();
      worker.on("message", (reply: WorkerReply) => this.onReply(reply));
      worker.on("error", (error) => this.onWorkerDeath(worker, error));
      worker.on("exit", (code) => this.onWorkerDeath(worker, new Error(`training worker exited with code ${code}`)));
      this.workers.push(worker);
    }
    return this.workers.slice(0, count);
  }

  private onReply(reply: WorkerReply): void {
    const run = this.active;
    if (!run || run.id !== reply.id) return;
    if (reply.type === "progress") {
      run.done += reply.rows;
      run.onProgress?.(Math.min(run.done, run.total), run.total);
      return;
    }
    if (reply.type === "error") this.fail(run, new KernelError(reply.message, reply.stack));
    if (--run.pending === 0) run.settle();
  }

  private onWorkerDeath(worker: Worker, error: Error): void {
    const at = this.workers.indexOf(worker);
    if (at < 0) return;
    this.workers.splice(at, 1);
    const run = this.active;
    if (!run) return;
    // A dead worker never reports "done": count it out so the run settles with the error.
    this.fail(run, error);
    if (--run.pending === 0) run.settle();
  }

  private fail(run: ActiveRun, error: Error): void {
    run.error ??= error;
    run.stop();
  }
}

/** Does nothing: `start()` broadcasts it to wait until every worker is up. */
export function noopKernel(): void {}

export function defaultThreads(): number {
  return Math.max(1, typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length);
}

const kernelCache = new Map<string, Kernel<never>>();

/** Loads `module`'s exported function `name` (used by workers and by inline runs). */
export function loadKernel<C>(module: string, name: string): Kernel<C> {
  const key = `${module}#${name}`;
  let kernel = kernelCache.get(key);
  if (!kernel) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exports = require(module) as Record<string, unknown>;
    const candidate = exports[name];
    if (typeof candidate !== "function") throw new Error(`kernel ${name} is not a function exported by ${module}`);
    kernel = candidate as Kernel<never>;
    kernelCache.set(key, kernel);
  }
  return kernel as Kernel<C>;
}

const sharedPools = new Map<number, WorkerPool>();

/**
 * The process-wide pool (created on first use, default size = cores), so that repeated fits do
 * not pay worker start-up each time. Its workers are unref'd while idle: they never keep a
 * process alive. A fit asking for a specific thread count gets a pool of that size.
 */
export function getSharedPool(threads = defaultThreads()): WorkerPool {
  let pool = sharedPools.get(threads);
  if (!pool) sharedPools.set(threads, (pool = new WorkerPool(threads)));
  return pool;
}
