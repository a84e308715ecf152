/**
 * Dense float32 matrix products as WebAssembly SIMD (f32x4), generated for one padded matrix
 * order N, over one shared memory that every worker thread maps (see spd-inverse.ts for the
 * factorisations built on them).
 *
 * Everything is one operation, an "NT" product over a k range:
 *     C[r][c] = beta C[r][c] + alpha Σ_k A[r][k] B[c][k]
 * A is row-major with k contiguous (row stride baked into the variant); B comes packed in strips
 * of NR = 8 columns, each strip k-major ([k][8] floats), so that the micro-kernel reads it with
 * contiguous vector loads. The micro-kernel keeps a 4 x 8 tile of C in eight v128 locals (which
 * V8 keeps in xmm registers), and per k broadcasts four A values from memory (v128.load32_splat,
 * vbroadcastss) against two B vectors: 16 multiply-adds per 6 loads. The block function walks k
 * in chunks of KC so that the A block it re-reads for every strip stays in L2.
 *
 * Variants (row strides of A and C, in floats):
 *   gemmNN: A and C inside the N x N matrix;   gemmPN: A a panel (stride NB), C in the matrix;
 *   gemmNP: A in the matrix, C written as packed strips (stride NR), ready to be a B operand.
 */
import type { KernelContext } from "../training/worker-pool";
import { buildModule, FunctionBuilder, ValType } from "../training/wasm-builder";
import { wasmApi, type WasmMemory } from "../training/wasm-runtime";

const { I32, F32, V128 } = ValType;

/** Rows of C per micro-kernel call. */
export const MR = 2;
/** Columns of C per micro-kernel call (and per packed strip): two f32x4. */
export const NR = 16;
/** Panel width of the blocked factorisations, and rows per task. */
export const NB = 128;
/** k chunk of the block function: an MR x KC slice of A is 4 KiB, an NB x KC block 128 KiB. */
const KC = 256;
/** k steps unrolled per micro-kernel loop iteration: every k range is a multiple of it. */
export const K_UNROLL = 4;
const VN = NR / 4;

/**
 * The micro-kernel: C (MR x NR at c, row stride cStride bytes) = beta C + alpha A B over kc steps
 * of k (a multiple of K_UNROLL); A at a (row stride aStride bytes), B a packed strip at b.
 */
function buildMicro(aStride: number, cStride: number): FunctionBuilder {
  const fn = new FunctionBuilder([I32, I32, I32, I32, F32, F32], []);
  const [c, a, b, kc, alpha, beta] = [0, 1, 2, 3, 4, 5];
  const k = fn.local(I32);
  const s = fn.local(V128);
  const acc = Array.from({ length: MR * VN }, () => fn.local(V128));
  const bv = Array.from({ length: VN }, () => fn.local(V128));
  for (const x of acc) fn.v128Zero().set(x);
  fn.i32(0).set(k);
  fn.loop();
  for (let u = 0; u < K_UNROLL; u++) {
    for (let v = 0; v < VN; v++) fn.get(b).v128Load(u * NR * 4 + 16 * v).set(bv[v]);
    for (let r = 0; r < MR; r++) {
      fn.get(a).v128Load32Splat(r * aStride + u * 4).set(s);
      for (let v = 0; v < VN; v++) {
        const x = acc[r * VN + v];
        fn.get(x).get(s).get(bv[v]).f32x4Mul().f32x4Add().set(x);
      }
    }
  }
  fn.get(a).i32(K_UNROLL * 4).i32Add().set(a);
  fn.get(b).i32(K_UNROLL * NR * 4).i32Add().set(b);
  fn.get(k).i32(K_UNROLL).i32Add().tee(k).get(kc).i32LtS().brIf(0);
  fn.end();
  // alpha (and beta) as vectors, in s and bv[0]
  fn.get(alpha).f32x4Splat().set(s);
  fn.get(beta).f32(0).f32Eq().if();
  for (let r = 0; r < MR; r++) {
    for (let v = 0; v < VN; v++) fn.get(c).get(acc[r * VN + v]).get(s).f32x4Mul().v128Store(r * cStride + 16 * v);
  }
  fn.else();
  fn.get(beta).f32x4Splat().set(bv[0]);
  for (let r = 0; r < MR; r++) {
    for (let v = 0; v < VN; v++) {
      const off = r * cStride + 16 * v;
      fn.get(c).get(c).v128Load(off).get(bv[0]).f32x4Mul().get(acc[r * VN + v]).get(s).f32x4Mul().f32x4Add().v128Store(off);
    }
  }
  fn.end();
  return fn;
}

/**
 * gemm(c, a, b, rows, cols, K, bStrip, cStrip, alpha, beta): C (rows x cols) = beta C + alpha
 * A B over k in [0, K). rows a multiple of MR, cols of NR, K of K_UNROLL; strip j of B starts at
 * b + j bStrip, column strip j of C at c + j cStrip (NR * 4 for a plain row-major C).
 */
function buildBlock(micro: number, aStride: number, cStride: number): FunctionBuilder {
  const fn = new FunctionBuilder([I32, I32, I32, I32, I32, I32, I32, I32, F32, F32], []);
  const [c, a, b, rows, cols, K, bStrip, cStrip, alpha, beta] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const k0 = fn.local(I32);
  const kc = fn.local(I32);
  const be = fn.local(F32);
  const j = fn.local(I32);
  const t = fn.local(I32);
  const cS = fn.local(I32);
  const bS = fn.local(I32);
  const cT = fn.local(I32);
  const aT = fn.local(I32);
  fn.i32(0).set(k0);
  fn.block();
  fn.loop(); // chunks of k
  fn.get(k0).get(K).i32GeS().brIf(1);
  fn.get(K).get(k0).i32Sub().set(kc);
  fn.get(kc).i32(KC).i32GtS().if().i32(KC).set(kc).end();
  fn.get(beta).f32(1).get(k0).i32Eqz().select().set(be);
  fn.i32(0).set(j);
  fn.get(c).set(cS);
  fn.get(b).get(k0).i32(NR * 4).i32Mul().i32Add().set(bS);
  fn.block();
  fn.loop(); // column strips
  fn.get(j).get(cols).i32GeS().brIf(1);
  fn.i32(0).set(t);
  fn.get(cS).set(cT);
  fn.get(a).get(k0).i32(4).i32Mul().i32Add().set(aT);
  fn.block();
  fn.loop(); // row tiles
  fn.get(t).get(rows).i32GeS().brIf(1);
  fn.get(cT).get(aT).get(bS).get(kc).get(alpha).get(be).call(micro);
  fn.get(cT).i32(MR * cStride).i32Add().set(cT);
  fn.get(aT).i32(MR * aStride).i32Add().set(aT);
  fn.get(t).i32(MR).i32Add().set(t);
  fn.br(0);
  fn.end();
  fn.end();
  fn.get(cS).get(cStrip).i32Add().set(cS);
  fn.get(bS).get(bStrip).i32Add().set(bS);
  fn.get(j).i32(NR).i32Add().set(j);
  fn.br(0);
  fn.end();
  fn.end();
  fn.get(k0).i32(KC).i32Add().set(k0);
  fn.br(0);
  fn.end();
  fn.end();
  return fn;
}

/**
 * peak(iterations): 12 independent f32x4 chains, six of multiplies and six of adds, nothing but
 * registers: the most f32x4 multiply + add work per cycle this engine can issue. Returns a lane
 * so that the work cannot be dropped. Flops = iterations * 12 * 4.
 */
function buildPeak(): FunctionBuilder {
  const fn = new FunctionBuilder([I32, F32, F32], [F32]);
  const [iterations, m, d] = [0, 1, 2];
  const i = fn.local(I32);
  const vm = fn.local(V128);
  const vd = fn.local(V128);
  const mul = Array.from({ length: 6 }, () => fn.local(V128));
  const add = Array.from({ length: 6 }, () => fn.local(V128));
  fn.get(m).f32x4Splat().set(vm);
  fn.get(d).f32x4Splat().set(vd);
  for (const x of [...mul, ...add]) fn.f32(1).f32x4Splat().set(x);
  fn.loop();
  for (let u = 0; u < 4; u++) {
    for (let x = 0; x < 6; x++) {
      fn.get(mul[x]).get(vm).f32x4Mul().set(mul[x]);
      fn.get(add[x]).get(vd).f32x4Add().set(add[x]);
    }
  }
  fn.get(i).i32(4).i32Add().tee(i).get(iterations).i32LtS().brIf(0);
  fn.end();
  let first = true;
  for (const x of [...mul, ...add]) {
    fn.get(x);
    if (!first) fn.f32x4Add();
    first = false;
  }
  fn.f32x4ExtractLane(0);
  return fn;
}

/** The dense module for padded order N (a multiple of NB). */
export function buildDenseWasm(N: number): Uint8Array {
  if (!Number.isInteger(N) || N <= 0 || N % NB !== 0) throw new RangeError(`padded order must be a positive multiple of ${NB}, got ${N}`);
  const row = N * 4;
  const panel = NB * 4;
  const packed = NR * 4;
  // Function indices: 0-2 micro-kernels, 3-5 their block functions, 6 peak.
  return buildModule(
    [
      { name: "microNN", fn: buildMicro(row, row) },
      { name: "microPN", fn: buildMicro(panel, row) },
      { name: "microNP", fn: buildMicro(row, packed) },
      { name: "gemmNN", fn: buildBlock(0, row, row) },
      { name: "gemmPN", fn: buildBlock(1, panel, row) },
      { name: "gemmNP", fn: buildBlock(2, row, packed) },
      { name: "peak", fn: buildPeak() },
    ],
    { min: 1, max: 65536 },
  );
}

export interface DenseExports {
  gemmNN(c: number, a: number, b: number, rows: number, cols: number, K: number, bStrip: number, cStrip: number, alpha: number, beta: number): void;
  gemmPN(c: number, a: number, b: number, rows: number, cols: number, K: number, bStrip: number, cStrip: number, alpha: number, beta: number): void;
  gemmNP(c: number, a: number, b: number, rows: number, cols: number, K: number, bStrip: number, cStrip: number, alpha: number, beta: number): void;
  peak(iterations: number, m: number, d: number): number;
}

/**
 * Where a workspace's buffers are in its shared memory (byte offsets): the N x N matrix, the
 * second N x N buffer, an N x NB panel, packed strips (N x NB), a packed NB x NB block, and MR
 * rows of the matrix's width for warm-up calls that nothing else reads.
 */
export interface DenseLayout {
  readonly A: number;
  readonly B: number;
  readonly panel: number;
  readonly packed: number;
  readonly small: number;
  readonly scratch: number;
}

/** What every dense worker kernel gets: the module, the memory, and where things are in it. */
export interface DenseKernelContext extends KernelContext, DenseLayout {
  /** Identifies one factorisation: each thread instantiates the module once per key. */
  readonly key: string;
  readonly wasm: Uint8Array;
  readonly memory: WasmMemory;
  /** Padded order. */
  readonly N: number;
}

let instance: { key: string; exports: DenseExports } | undefined;

export function denseExports(ctx: { readonly key: string; readonly wasm: Uint8Array; readonly memory: WasmMemory; readonly scratch: number }): DenseExports {
  if (instance?.key !== ctx.key) {
    const module = new wasmApi.Module(ctx.wasm);
    const inst = new wasmApi.Instance(module, { env: { memory: ctx.memory } });
    const exports = inst.exports as unknown as DenseExports;
    warmUp(exports, ctx.scratch);
    instance = { key: ctx.key, exports };
  }
  return instance.exports;
}

/**
 * V8 first runs a wasm function from its baseline compiler (locals in memory, several times
 * slower) and tiers it up after enough calls: a few thousand tiny calls on the scratch area
 * (C = 1·C + 0·AB leaves it as it is) get the optimised code in before real work starts.
 */
function warmUp(x: DenseExports, scratch: number): void {
  for (let i = 0; i < 3000; i++) {
    x.gemmNN(scratch, scratch, scratch, MR, NR, K_UNROLL, 0, NR * 4, 0, 1);
    x.gemmPN(scratch, scratch, scratch, MR, NR, K_UNROLL, 0, NR * 4, 0, 1);
    x.gemmNP(scratch, scratch, scratch, MR, NR, K_UNROLL, 0, NR * 4, 0, 1);
    x.peak(K_UNROLL, 1, 0);
  }
}

/** Worker kernel (broadcast once per thread after a factorisation): forget its instance. */
export function denseRelease(ctx: { readonly key: string }): void {
  if (instance?.key === ctx.key) instance = undefined;
}

/**
 * Packs rows [r0, r0 + rows) of a row-major matrix (at `src`, row stride `stride` floats),
 * columns [k0, k0 + K), as B operand strips: dst[s][k][c] = M[r0 + s NR + c][k0 + k].
 * Strip s starts at dst + s * K * NR floats. All positions in floats.
 */
export function packRows(f: Float32Array, dst: number, src: number, stride: number, r0: number, rows: number, k0: number, K: number): void {
  for (let s = 0; s < rows / NR; s++) {
    const base = dst + s * K * NR;
    for (let c = 0; c < NR; c++) {
      const from = src + (r0 + s * NR + c) * stride + k0;
      for (let k = 0; k < K; k++) f[base + k * NR + c] = f[from + k];
    }
  }
}

/** The role of each task in a run, for the kernel below. */
export const enum Step {
  /** Cholesky: copy the panel, L_ik = A_ik L_kk^-T, pack the new rows for the update. */
  CholeskyPanel = 0,
  /** Cholesky: A_ij -= L_ik L_jk^T for the block row (lower part). */
  CholeskyUpdate = 1,
  /** Triangular inverse: Z = L_(below, j) L_jj^-1, packed. */
  InversePanel = 2,
  /** Triangular inverse: W_(below, j) = -W_(below, below) Z. */
  InverseUpdate = 3,
  /** U = W^T into the second buffer (zeros below its diagonal). */
  Transpose = 4,
  /** Pack block column of U for P = U U^T. */
  ProductPack = 5,
  /** P block (R, C) = U_R U_C^T, and its mirror (C, R). */
  ProductBlock = 6,
}

export interface DenseStepContext extends DenseKernelContext {
  readonly step: number;
  /** The panel's first column (block index * NB). */
  readonly j0: number;
}

/** Worker kernel: one step of the factorisations over tasks [start, end) (one task = NB rows). */
export function denseStep(ctx: DenseStepContext, start: number, end: number): void {
  const x = denseExports(ctx);
  const f = new Float32Array(ctx.memory.buffer);
  const { N, j0 } = ctx;
  const A = ctx.A / 4;
  const r0 = j0 + NB; // first row below the panel
  for (let task = start; task < end; task++) {
    switch (ctx.step) {
      case Step.CholeskyPanel: {
        const i0 = r0 + task * NB;
        const p = ctx.panel / 4 + task * NB * NB;
        for (let r = 0; r < NB; r++) f.copyWithin(p + r * NB, A + (i0 + r) * N + j0, A + (i0 + r) * N + j0 + NB);
        x.gemmPN(ctx.A + (i0 * N + j0) * 4, p * 4, ctx.small, NB, NB, NB, NB * NR * 4, NR * 4, 1, 0);
        packRows(f, ctx.packed / 4 + task * NB * NB, A, N, i0, NB, j0, NB);
        break;
      }
      case Step.CholeskyUpdate: {
        // Heaviest (longest) block rows first.
        const blocks = (N - r0) / NB;
        const b = blocks - 1 - task;
        const i0 = r0 + b * NB;
        const cols = i0 + NB - r0;
        x.gemmNN(ctx.A + (i0 * N + r0) * 4, ctx.A + (i0 * N + j0) * 4, ctx.packed, NB, cols, NB, NB * NR * 4, NR * 4, -1, 1);
        break;
      }
      case Step.InversePanel: {
        const i0 = r0 + task * NB;
        const strip = (N - r0) * NR * 4;
        x.gemmNP(ctx.packed + (i0 - r0) * NR * 4, ctx.A + (i0 * N + j0) * 4, ctx.small, NB, NB, NB, NB * NR * 4, strip, 1, 0);
        break;
      }
      case Step.InverseUpdate: {
        const blocks = (N - r0) / NB;
        const b = blocks - 1 - task;
        const i0 = r0 + b * NB;
        const strip = (N - r0) * NR * 4;
        x.gemmNN(ctx.A + (i0 * N + j0) * 4, ctx.A + (i0 * N + r0) * 4, ctx.packed, NB, NB, i0 + NB - r0, strip, NR * 4, -1, 0);
        break;
      }
      case Step.Transpose: {
        // Block row `task` of U: U[r][k] = W[k][r] for k >= r, 0 below the diagonal.
        const B = ctx.B / 4;
        const i0 = task * NB;
        for (let r = i0; r < i0 + NB; r++) f.fill(0, B + r * N, B + r * N + r);
        for (let k0 = i0; k0 < N; k0 += NB) {
          for (let k = k0; k < k0 + NB; k++) {
            const w = A + k * N;
            const to = Math.min(i0 + NB, k + 1);
            for (let r = i0; r < to; r++) f[B + r * N + k] = f[w + r];
          }
        }
        break;
      }
      case Step.ProductPack: {
        // Rows [j0, j0 + NB) of U, columns [j0 + task NB, +NB): strips of length N - j0.
        const K = N - j0;
        const B = ctx.B / 4;
        const packed = ctx.packed / 4;
        const k0 = task * NB;
        for (let s = 0; s < NB / NR; s++) {
          const base = packed + s * K * NR;
          for (let c = 0; c < NR; c++) {
            const from = B + (j0 + s * NR + c) * N + j0;
            for (let k = k0; k < k0 + NB; k++) f[base + k * NR + c] = f[from + k];
          }
        }
        break;
      }
      case Step.ProductBlock: {
        // Block row R = j0 / NB + task, block column C = j0 / NB: P_RC = U_R[., r0:] U_C[., r0:]^T.
        const i0 = j0 + task * NB;
        const K = N - i0;
        const strip = (N - j0) * NR * 4;
        x.gemmNN(ctx.A + (i0 * N + j0) * 4, ctx.B + (i0 * N + i0) * 4, ctx.packed + (i0 - j0) * NR * 4, NB, NB, K, strip, NR * 4, 1, 0);
        if (task > 0) {
          for (let r = i0; r < i0 + NB; r++) for (let c = j0; c < j0 + NB; c++) f[A + c * N + r] = f[A + r * N + c];
        }
        break;
      }
      default:
        throw new Error(`unknown dense step ${ctx.step}`);
    }
  }
}

/**
 * Runs `peak` for ctx.iterations and returns the seconds it took: wall seconds, or with
 * `cpu` the process's CPU seconds (what a single busy thread got of a shared machine).
 */
export function densePeak(ctx: { readonly key: string; readonly wasm: Uint8Array; readonly memory: WasmMemory; readonly scratch: number; readonly iterations: number; readonly cpu?: boolean }): number {
  const x = denseExports(ctx);
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  x.peak(ctx.iterations, 1, 0);
  if (ctx.cpu) {
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1e6;
  }
  return Number(process.hrtime.bigint() - t0) / 1e9;
}
