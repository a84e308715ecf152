/**
 * The inverse of a symmetric positive definite matrix in float32 WebAssembly SIMD on the worker
 * pool: blocked right-looking Cholesky (A = L Lᵀ), blocked triangular inverse (W = L⁻¹, in
 * place) and the product P = Wᵀ W = A⁻¹ (LAPACK's potrf + potri), n³ flops in all, almost all
 * of them in the NT product of dense-kernel.ts. Panels are NB = 128 wide; the NB x NB diagonal
 * blocks are factored and inverted on the calling thread in float64 (NB³ work each), every
 * product with them and every trailing update runs on the pool, one task per NB rows.
 *
 * Memory: a workspace of two N x N float32 buffers (N = n rounded up to NB; the padding is an
 * identity block, whose inverse is itself) plus two N x NB panels. The matrix is factored in the
 * first buffer; the second holds Wᵀ while P is formed back in the first, so the peak beyond the
 * matrix is one more N² x 4 bytes. A caller may use the second buffer for its input until the
 * inverse starts (EASE keeps its sparse interactions there while it forms the Gram matrix).
 */
import { ParameterError, throwIfAborted, yieldToLoop } from "../algorithms/common";
import { choleskyPivot } from "../algorithms/linalg";
import { Arena, sharedMemory, WASM_MAX_PAGES, WASM_PAGE_BYTES, type WasmMemory } from "../training/wasm-runtime";
import { defaultThreads, getSharedPool, type WorkerPool } from "../training/worker-pool";
import { buildDenseWasm, K_UNROLL, MR, NB, NR, Step, type DenseLayout, type DenseStepContext } from "./dense-kernel";

const KERNEL_MODULE = require.resolve("./dense-kernel");

export interface DenseWorkspace {
  /** Matrix order. */
  readonly n: number;
  /** Padded order: a multiple of NB. */
  readonly N: number;
  readonly memory: WasmMemory;
  readonly at: DenseLayout;
  /** The whole memory as floats. */
  readonly f: Float32Array;
  /** Bytes available in buffer B for a caller's input. */
  readonly bBytes: number;
  readonly key: string;
  readonly wasm: Uint8Array;
}

export interface DenseOptions {
  /** Worker threads (default: cores; 0 runs inline on the calling thread). */
  readonly threads?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (phase: string, fraction: number) => void;
}

let workspaceCounter = 0;

/** Bytes a workspace for order n takes (before the memory is touched, none of it is resident). */
export function workspaceBytes(n: number, extraB = 0): number {
  const N = paddedOrder(n);
  return 2 * N * N * 4 + Math.max(0, extraB - N * N * 4) + 2 * N * NB * 4 + NB * NB * 4 + (MR + 1) * N * 4 + NR * K_UNROLL * 4 + 128;
}

export function paddedOrder(n: number): number {
  return Math.ceil(n / NB) * NB;
}

/** The largest order whose workspace fits in a wasm32 memory (4 GiB): about 22,000. */
export function maxDenseOrder(): number {
  let n = NB;
  while (workspaceBytes(n + NB) <= WASM_MAX_PAGES * WASM_PAGE_BYTES) n += NB;
  return n;
}

/**
 * A zeroed workspace for an n x n matrix: fill the lower triangle of buffer A (row stride N)
 * through `f`; `bBytes` at least `inputBytes` in buffer B are free for the caller until the
 * inverse starts.
 */
export function denseWorkspace(n: number, inputBytes = 0): DenseWorkspace {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`matrix order must be a positive integer, got ${n}`);
  const N = paddedOrder(n);
  const bytes = workspaceBytes(n, inputBytes);
  if (bytes > WASM_MAX_PAGES * WASM_PAGE_BYTES) {
    throw new ParameterError(
      `a dense ${n} x ${n} inverse needs ${(bytes / 2 ** 30).toFixed(1)} GiB of WebAssembly memory (two float32 copies); ` +
        `the limit is 4 GiB, about ${maxDenseOrder().toLocaleString("en-US")} titles`,
    );
  }
  const arena = new Arena();
  const at = {
    A: arena.alloc(N * N * 4),
    B: arena.alloc(Math.max(N * N * 4, inputBytes)),
    panel: arena.alloc(N * NB * 4),
    packed: arena.alloc(N * NB * 4),
    small: arena.alloc(NB * NB * 4),
    scratch: arena.alloc((MR + 1) * N * 4 + NR * K_UNROLL * 4),
  };
  const memory = sharedMemory(arena.size);
  return {
    n,
    N,
    memory,
    at,
    f: new Float32Array(memory.buffer),
    bBytes: Math.max(N * N * 4, inputBytes),
    key: `dense-${process.pid}-${++workspaceCounter}-${Date.now()}`,
    wasm: buildDenseWasm(N),
  };
}

/** Kernel context for a workspace (plus step-specific fields). */
export function kernelContext(ws: DenseWorkspace): Omit<DenseStepContext, "step" | "j0"> {
  return { key: ws.key, wasm: ws.wasm, memory: ws.memory, N: ws.N, A: ws.at.A, B: ws.at.B, panel: ws.at.panel, packed: ws.at.packed, small: ws.at.small, scratch: ws.at.scratch };
}

/** Frees every thread's instance of the workspace's module (call when done with it). */
export async function releaseWorkspace(ws: DenseWorkspace, threads?: number): Promise<void> {
  const pool = getSharedPool(threads ?? defaultThreads());
  await pool.broadcast({ module: KERNEL_MODULE, kernel: "denseRelease", context: { key: ws.key } }).catch(() => undefined);
}

/** Reads the NB x NB block at (j0, j0) of buffer A, lower triangle, as float64. */
function readDiagonal(ws: DenseWorkspace, j0: number): Float64Array {
  const { f, N } = ws;
  const A = ws.at.A / 4;
  const d = new Float64Array(NB * NB);
  for (let r = 0; r < NB; r++) for (let c = 0; c <= r; c++) d[r * NB + c] = f[A + (j0 + r) * N + j0 + c];
  return d;
}

/** Writes a lower-triangular NB x NB block to (j0, j0) of buffer A, zeros above its diagonal. */
function writeDiagonal(ws: DenseWorkspace, j0: number, d: Float64Array): void {
  const { f, N } = ws;
  const A = ws.at.A / 4;
  for (let r = 0; r < NB; r++) for (let c = 0; c < NB; c++) f[A + (j0 + r) * N + j0 + c] = c <= r ? d[r * NB + c] : 0;
}

/** The inverse of a lower-triangular NB x NB matrix (new array, lower). */
function invertLowerBlock(l: Float64Array): Float64Array {
  const m = new Float64Array(NB * NB);
  for (let j = 0; j < NB; j++) {
    m[j * NB + j] = 1 / l[j * NB + j];
    for (let i = j + 1; i < NB; i++) {
      let s = 0;
      for (let k = j; k < i; k++) s += l[i * NB + k] * m[k * NB + j];
      m[i * NB + j] = -s / l[i * NB + i];
    }
  }
  return m;
}

/** Packs an NB x NB float64 block as B operand strips of its rows (transpose = false: B(c,k) = m[c][k]) or columns (B(c,k) = m[k][c]). */
function packSmall(ws: DenseWorkspace, m: Float64Array, transpose: boolean): void {
  const { f } = ws;
  const base = ws.at.small / 4;
  for (let s = 0; s < NB / NR; s++) {
    for (let k = 0; k < NB; k++) {
      for (let c = 0; c < NR; c++) f[base + s * NB * NR + k * NR + c] = transpose ? m[k * NB + s * NR + c] : m[(s * NR + c) * NB + k];
    }
  }
}

/**
 * Replaces the SPD matrix in buffer A (lower triangle, row stride N; padding rows and columns
 * untouched, i.e. zero) by its full symmetric inverse. Throws ParameterError when it is not
 * positive definite (in float32).
 */
export async function invertSpd(ws: DenseWorkspace, options: DenseOptions = {}): Promise<void> {
  const { n, N, f } = ws;
  const A = ws.at.A / 4;
  for (let i = n; i < N; i++) f[A + i * N + i] = 1;
  const pool: WorkerPool = getSharedPool(options.threads ?? defaultThreads());
  const base = kernelContext(ws);
  const blocks = N / NB;
  let lastYield = Date.now();
  const tick = async (phase: string, fraction: number) => {
    options.onProgress?.(phase, fraction);
    throwIfAborted(options.signal, "dense inverse");
    if (Date.now() - lastYield > 50) {
      await yieldToLoop();
      lastYield = Date.now();
    }
  };
  const run = (step: Step, j0: number, items: number) =>
    items > 0 ? pool.run({ module: KERNEL_MODULE, kernel: "denseStep", context: { ...base, step, j0 }, items, blockSize: 1, signal: options.signal }) : undefined;

  // 1. Cholesky, right-looking: factor the diagonal block, solve the panel below it, update the rest.
  for (let b = 0; b < blocks; b++) {
    const j0 = b * NB;
    const d = readDiagonal(ws, j0);
    const bad = choleskyPivot(d, NB);
    if (bad >= 0) {
      throw new ParameterError(`the matrix is not positive definite (in float32) at row ${j0 + bad}; add to its diagonal (e.g. a larger lambda)`);
    }
    writeDiagonal(ws, j0, d);
    const below = blocks - b - 1;
    if (below > 0) {
      packSmall(ws, invertLowerBlock(d), false);
      await run(Step.CholeskyPanel, j0, below);
      await run(Step.CholeskyUpdate, j0, below);
    }
    // The update's work shrinks as (n - j)²: report by work done.
    await tick("cholesky", 1 - ((blocks - b - 1) / blocks) ** 3);
  }
  // 2. W = L⁻¹ in place, from the last block column to the first.
  for (let b = blocks - 1; b >= 0; b--) {
    const j0 = b * NB;
    const m = invertLowerBlock(readDiagonal(ws, j0));
    const below = blocks - b - 1;
    if (below > 0) {
      packSmall(ws, m, true);
      await run(Step.InversePanel, j0, below);
      await run(Step.InverseUpdate, j0, below);
    }
    writeDiagonal(ws, j0, m);
    await tick("triangular inverse", 1 - (b / blocks) ** 3);
  }
  // 3. P = Wᵀ W: U = Wᵀ into buffer B, then each block column of P (and its mirror).
  await run(Step.Transpose, 0, blocks);
  for (let b = 0; b < blocks; b++) {
    const j0 = b * NB;
    await run(Step.ProductPack, j0, blocks - b);
    await run(Step.ProductBlock, j0, blocks - b);
    await tick("inverse", 1 - ((blocks - b - 1) / blocks) ** 3);
  }
}

