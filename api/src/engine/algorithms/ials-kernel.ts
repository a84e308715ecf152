/**
 * The iALS inner loops as WebAssembly SIMD (f32x4), generated for one padded factor count F (a
 * multiple of 4) and CG step count, over one shared memory that every training thread maps.
 *
 * solve(indptr, indices, conf, target, other, gram, start, end), for each row u in [start, end)
 * (solveNarrow: the same with uint16 column indices, which halve the viewer rows' index memory):
 * the conjugate-gradient update of Takacs, Pilaszy & Tikk (2011) as the `implicit` library does
 * it: warm-started from the row's current factors x, `cgSteps` steps on
 *     (G + Σ_i (c_i - 1) y_i y_iᵀ) x = Σ_{i: p_i = 1} c_i y_i,     G = YᵀY + λI,
 * where `conf` holds c_i for a positive (p = 1) and -c_i for a dislike (observed, p = 0).
 * x, r, p and Ap live in v128 locals, so every vector operation is unrolled with constant offsets.
 *
 * gram(rows, start, end, out): out (F x F) = Σ_{u in [start, end)} x_u x_uᵀ, a per-block partial
 * Gram matrix; blocks are summed in block order on the calling thread (deterministic).
 */
import type { KernelContext } from "../training/worker-pool";
import { buildModule, FunctionBuilder, ValType } from "../training/wasm-builder";
import { wasmApi, type WasmMemory } from "../training/wasm-runtime";

const { I32, F32, V128 } = ValType;

/** Residual norm² below which a row counts as solved (as `implicit`). */
const CG_TOLERANCE = 1e-20;

/** Pushes the horizontal sum of the f32x4 in local `v`. */
function hsum(fn: FunctionBuilder, v: number): void {
  fn.get(v).f32x4ExtractLane(0).get(v).f32x4ExtractLane(1).f32Add().get(v).f32x4ExtractLane(2).f32Add().get(v).f32x4ExtractLane(3).f32Add();
}

/**
 * Pushes Σ a_j·b_j over vector locals. Four accumulators: a single chain of dependent f32x4 adds
 * would make every dot product wait on add latency.
 */
function dot(fn: FunctionBuilder, a: number[], b: number[], acc: readonly number[]): void {
  const chains = Math.min(acc.length, a.length);
  for (let j = 0; j < chains; j++) fn.get(a[j]).get(b[j]).f32x4Mul().set(acc[j]);
  for (let j = chains; j < a.length; j++) {
    const c = acc[j % chains];
    fn.get(c).get(a[j]).get(b[j]).f32x4Mul().f32x4Add().set(c);
  }
  if (chains >= 4) fn.get(acc[0]).get(acc[1]).f32x4Add().get(acc[2]).get(acc[3]).f32x4Add().f32x4Add().set(acc[0]);
  else for (let j = 1; j < chains; j++) fn.get(acc[0]).get(acc[j]).f32x4Add().set(acc[0]);
  hsum(fn, acc[0]);
}

function vectorLocals(fn: FunctionBuilder, count: number): number[] {
  return Array.from({ length: count }, () => fn.local(V128));
}

/** `narrow`: the row's column indices are uint16 (titles of a catalog below 65,536), else int32. */
function buildSolve(F: number, cgSteps: number, narrow: boolean): FunctionBuilder {
  const V = F / 4;
  const rowBytes = F * 4;
  const fn = new FunctionBuilder([I32, I32, I32, I32, I32, I32, I32, I32, I32, I32], []);
  // extra + u * extraStride: the row's regularization beyond the λ in G (stride 0: one shared 0).
  const [indptr, indices, conf, target, other, gram, start, end, extra, extraStride] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const u = fn.local(I32);
  const nz = fn.local(I32);
  const nzBeg = fn.local(I32);
  const nzEnd = fn.local(I32);
  const xPtr = fn.local(I32);
  const yPtr = fn.local(I32);
  const k = fn.local(I32);
  const gk = fn.local(I32);
  const step = fn.local(I32);
  const tmp = fn.local(I32);
  const c = fn.local(F32);
  const d = fn.local(F32);
  const rsold = fn.local(F32);
  const rsnew = fn.local(F32);
  const s = fn.local(V128);
  const e = fn.local(V128);
  const acc = [fn.local(V128), fn.local(V128), fn.local(V128), fn.local(V128)];
  const X = vectorLocals(fn, V);
  const R = vectorLocals(fn, V);
  const P = vectorLocals(fn, V);
  const AP = vectorLocals(fn, V);
  const Y = vectorLocals(fn, V);

  /** yPtr = other + indices[nz] * rowBytes; Y = that row; c = conf[nz]. */
  const loadNonzero = () => {
    fn.get(other).get(indices).get(nz).i32(narrow ? 1 : 2).i32Shl().i32Add();
    if (narrow) fn.i32Load16U();
    else fn.i32Load();
    fn.i32(rowBytes).i32Mul().i32Add().set(yPtr);
    fn.get(conf).get(nz).i32(2).i32Shl().i32Add().f32Load().set(c);
    for (let j = 0; j < V; j++) fn.get(yPtr).v128Load(16 * j).set(Y[j]);
  };
  /** out = ±G·(vector stored at xPtr); `subtract` gives -G·v. */
  const gramTimes = (out: number[], subtract: boolean) => {
    for (let j = 0; j < V; j++) fn.v128Zero().set(out[j]);
    fn.i32(0).set(k).get(gram).set(gk);
    fn.loop();
    fn.get(xPtr).get(k).i32(2).i32Shl().i32Add().f32Load().f32x4Splat().set(s);
    for (let j = 0; j < V; j++) {
      fn.get(out[j]).get(s).get(gk).v128Load(16 * j).f32x4Mul();
      if (subtract) fn.f32x4Sub();
      else fn.f32x4Add();
      fn.set(out[j]);
    }
    fn.get(gk).i32(rowBytes).i32Add().set(gk);
    fn.get(k).i32(1).i32Add().tee(k).i32(F).i32LtS().brIf(0);
    fn.end();
  };

  fn.get(start).set(u);
  fn.block(); // $exit
  fn.loop(); // $rows
  fn.get(u).get(end).i32GeS().brIf(1);
  fn.get(indptr).get(u).i32(2).i32Shl().i32Add().tee(tmp).i32Load(0).set(nzBeg);
  fn.get(tmp).i32Load(4).set(nzEnd);
  fn.get(target).get(u).i32(rowBytes).i32Mul().i32Add().set(xPtr);
  fn.block(); // $rowDone
  // A row without entries has the exact solution x = 0.
  fn.get(nzBeg).get(nzEnd).i32Eq().if();
  for (let j = 0; j < V; j++) fn.get(xPtr).v128Zero().v128Store(16 * j);
  fn.br(1);
  fn.end();
  for (let j = 0; j < V; j++) fn.get(xPtr).v128Load(16 * j).set(X[j]);
  fn.get(extra).get(u).get(extraStride).i32Mul().i32Add().f32Load().f32x4Splat().set(e);
  // r = b - A x = -G x - e x + Σ_i (c_i p_i - (c_i - 1) y_i·x) y_i
  gramTimes(R, true);
  for (let j = 0; j < V; j++) fn.get(R[j]).get(e).get(X[j]).f32x4Mul().f32x4Sub().set(R[j]);
  fn.get(nzBeg).set(nz);
  fn.loop();
  loadNonzero();
  dot(fn, Y, X, acc);
  fn.set(d);
  // coef = (c > 0 ? c : 0) - (|c| - 1) d
  fn.get(c).f32(0).get(c).f32(0).f32Gt().select();
  fn.get(c).f32Abs().f32(1).f32Sub().get(d).f32Mul().f32Sub().f32x4Splat().set(s);
  for (let j = 0; j < V; j++) fn.get(R[j]).get(s).get(Y[j]).f32x4Mul().f32x4Add().set(R[j]);
  fn.get(nz).i32(1).i32Add().tee(nz).get(nzEnd).i32LtS().brIf(0);
  fn.end();
  for (let j = 0; j < V; j++) fn.get(R[j]).set(P[j]);
  dot(fn, R, R, acc);
  fn.set(rsold);
  fn.block(); // $cgDone
  fn.get(rsold).f32(CG_TOLERANCE).f32Lt().brIf(0);
  fn.i32(0).set(step);
  fn.loop(); // $cg
  // Ap = G p + e p + Σ_i (|c_i| - 1)(y_i·p) y_i; p goes through the row's memory (free: x is in locals).
  for (let j = 0; j < V; j++) fn.get(xPtr).get(P[j]).v128Store(16 * j);
  gramTimes(AP, false);
  for (let j = 0; j < V; j++) fn.get(AP[j]).get(e).get(P[j]).f32x4Mul().f32x4Add().set(AP[j]);
  fn.get(nzBeg).set(nz);
  fn.loop();
  loadNonzero();
  dot(fn, Y, P, acc);
  fn.get(c).f32Abs().f32(1).f32Sub().f32Mul().f32x4Splat().set(s);
  for (let j = 0; j < V; j++) fn.get(AP[j]).get(s).get(Y[j]).f32x4Mul().f32x4Add().set(AP[j]);
  fn.get(nz).i32(1).i32Add().tee(nz).get(nzEnd).i32LtS().brIf(0);
  fn.end();
  // alpha = rsold / p·Ap; x += alpha p; r -= alpha Ap
  fn.get(rsold);
  dot(fn, P, AP, acc);
  fn.f32Div().f32x4Splat().set(s);
  for (let j = 0; j < V; j++) {
    fn.get(X[j]).get(s).get(P[j]).f32x4Mul().f32x4Add().set(X[j]);
    fn.get(R[j]).get(s).get(AP[j]).f32x4Mul().f32x4Sub().set(R[j]);
  }
  dot(fn, R, R, acc);
  fn.set(rsnew);
  fn.get(rsnew).f32(CG_TOLERANCE).f32Lt().brIf(1);
  // p = r + (rsnew / rsold) p
  fn.get(rsnew).get(rsold).f32Div().f32x4Splat().set(s);
  for (let j = 0; j < V; j++) fn.get(R[j]).get(s).get(P[j]).f32x4Mul().f32x4Add().set(P[j]);
  fn.get(rsnew).set(rsold);
  fn.get(step).i32(1).i32Add().tee(step).i32(cgSteps).i32LtS().brIf(0);
  fn.end(); // $cg
  fn.end(); // $cgDone
  for (let j = 0; j < V; j++) fn.get(xPtr).get(X[j]).v128Store(16 * j);
  fn.end(); // $rowDone
  fn.get(u).i32(1).i32Add().set(u);
  fn.br(0);
  fn.end(); // $rows
  fn.end(); // $exit
  return fn;
}

function buildGram(F: number): FunctionBuilder {
  const V = F / 4;
  const rowBytes = F * 4;
  const fn = new FunctionBuilder([I32, I32, I32, I32], []);
  const [rows, start, end, out] = [0, 1, 2, 3];
  const u = fn.local(I32);
  const k = fn.local(I32);
  const gk = fn.local(I32);
  const rowPtr = fn.local(I32);
  const s = fn.local(V128);
  const R = vectorLocals(fn, V);
  // out = 0
  fn.i32(0).set(k).get(out).set(gk);
  fn.loop();
  for (let j = 0; j < V; j++) fn.get(gk).v128Zero().v128Store(16 * j);
  fn.get(gk).i32(rowBytes).i32Add().set(gk);
  fn.get(k).i32(1).i32Add().tee(k).i32(F).i32LtS().brIf(0);
  fn.end();
  fn.get(start).set(u);
  fn.block();
  fn.loop();
  fn.get(u).get(end).i32GeS().brIf(1);
  fn.get(rows).get(u).i32(rowBytes).i32Mul().i32Add().set(rowPtr);
  for (let j = 0; j < V; j++) fn.get(rowPtr).v128Load(16 * j).set(R[j]);
  fn.i32(0).set(k).get(out).set(gk);
  fn.loop();
  fn.get(rowPtr).get(k).i32(2).i32Shl().i32Add().f32Load().f32x4Splat().set(s);
  for (let j = 0; j < V; j++) fn.get(gk).get(gk).v128Load(16 * j).get(s).get(R[j]).f32x4Mul().f32x4Add().v128Store(16 * j);
  fn.get(gk).i32(rowBytes).i32Add().set(gk);
  fn.get(k).i32(1).i32Add().tee(k).i32(F).i32LtS().brIf(0);
  fn.end();
  fn.get(u).i32(1).i32Add().set(u);
  fn.br(0);
  fn.end();
  fn.end();
  return fn;
}

/**
 * The title half without a title-major copy of the data: for the titles in [lo, hi), one pass
 * over the viewer rows adds each pair's term into the titles' accumulators,
 *     mode 0 (residual):  acc_i += (c⁺ - (|c| - 1) x_u·v_i) x_u      (v = the title factors)
 *     mode 1 (A p):       acc_i += (|c| - 1)(x_u·v_i) x_u            (v = the CG directions)
 * scatter(indptr, indices, conf, X, V, ACC, nU, lo, hi). Each viewer row's titles are sorted,
 * so a binary search finds its entries in [lo, hi); a task owns its title range, and every
 * title sums its viewers in row order: the same bits on any thread count.
 */
function buildScatter(F: number, narrow: boolean, mode: 0 | 1): FunctionBuilder {
  const V = F / 4;
  const rowBytes = F * 4;
  const fn = new FunctionBuilder([I32, I32, I32, I32, I32, I32, I32, I32, I32], []);
  const [indptr, indices, conf, X, Vp, ACC, nU, lo, hi] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const u = fn.local(I32);
  const q = fn.local(I32);
  const end = fn.local(I32);
  const l = fn.local(I32);
  const h = fn.local(I32);
  const mid = fn.local(I32);
  const i = fn.local(I32);
  const ptr = fn.local(I32);
  const c = fn.local(F32);
  const s = fn.local(V128);
  const acc = [fn.local(V128), fn.local(V128), fn.local(V128), fn.local(V128)];
  const XV = vectorLocals(fn, V);
  /** Pushes the title index at entry `at` (a local). */
  const index = (at: number) => {
    fn.get(indices).get(at).i32(narrow ? 1 : 2).i32Shl().i32Add();
    if (narrow) fn.i32Load16U();
    else fn.i32Load();
  };
  fn.i32(0).set(u);
  fn.block(); // $exit
  fn.loop(); // $viewers
  fn.get(u).get(nU).i32GeS().brIf(1);
  fn.get(indptr).get(u).i32(2).i32Shl().i32Add().tee(ptr).i32Load(0).set(l);
  fn.get(ptr).i32Load(4).tee(end).set(h);
  // first entry with index >= lo
  fn.block();
  fn.loop();
  fn.get(l).get(h).i32GeS().brIf(1);
  fn.get(l).get(h).i32Add().i32(1).i32ShrU().set(mid);
  index(mid);
  fn.get(lo).i32LtS().if();
  fn.get(mid).i32(1).i32Add().set(l);
  fn.else();
  fn.get(mid).set(h);
  fn.end();
  fn.br(0);
  fn.end();
  fn.end();
  fn.get(l).set(q);
  fn.block(); // $rowDone
  fn.get(q).get(end).i32GeS().brIf(0);
  index(q);
  fn.get(hi).i32GeS().brIf(0);
  fn.get(X).get(u).i32(rowBytes).i32Mul().i32Add().set(ptr);
  for (let j = 0; j < V; j++) fn.get(ptr).v128Load(16 * j).set(XV[j]);
  fn.loop(); // $entries
  index(q);
  fn.set(i);
  fn.get(conf).get(q).i32(2).i32Shl().i32Add().f32Load().set(c);
  // d = x_u · v_i, four chains
  fn.get(Vp).get(i).i32(rowBytes).i32Mul().i32Add().set(ptr);
  for (let j = 0; j < V; j++) {
    const a = acc[j % 4];
    if (j < 4) fn.get(XV[j]).get(ptr).v128Load(16 * j).f32x4Mul().set(a);
    else fn.get(a).get(XV[j]).get(ptr).v128Load(16 * j).f32x4Mul().f32x4Add().set(a);
  }
  for (let j = 1; j < Math.min(4, V); j++) fn.get(acc[0]).get(acc[j]).f32x4Add().set(acc[0]);
  hsum(fn, acc[0]);
  // coefficient
  fn.get(c).f32Abs().f32(1).f32Sub().f32Mul();
  if (mode === 0) {
    fn.f32Neg();
    fn.get(c).f32(0).get(c).f32(0).f32Gt().select().f32Add();
  }
  fn.f32x4Splat().set(s);
  fn.get(ACC).get(i).i32(rowBytes).i32Mul().i32Add().set(ptr);
  for (let j = 0; j < V; j++) fn.get(ptr).get(ptr).v128Load(16 * j).get(s).get(XV[j]).f32x4Mul().f32x4Add().v128Store(16 * j);
  fn.get(q).i32(1).i32Add().tee(q).get(end).i32GeS().brIf(1);
  index(q);
  fn.get(hi).i32LtS().brIf(0);
  fn.end(); // $entries
  fn.end(); // $rowDone
  fn.get(u).i32(1).i32Add().set(u);
  fn.br(0);
  fn.end();
  fn.end();
  return fn;
}

/**
 * One CG step for the titles in [lo, hi), after a scatter pass filled their accumulators
 * (which it reads and zeroes): kind 0 starts (r = acc - G y, p = r, rs = r·r; a title without
 * viewers gets y = 0), kind 1 steps (Ap = G p + acc; y += α p; r -= α Ap; p = r + β p), the
 * same update and stopping rule as `solve`'s, per title.
 * step(Y, R, P, ACC, RS, counts, G, lo, hi)
 */
function buildCgStep(F: number, kind: 0 | 1): FunctionBuilder {
  const V = F / 4;
  const rowBytes = F * 4;
  const fn = new FunctionBuilder([I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32], []);
  const [Y, Rp, Pp, ACC, RS, counts, G, lo, hi, extra, extraStride] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const i = fn.local(I32);
  const off = fn.local(I32);
  const k = fn.local(I32);
  const gk = fn.local(I32);
  const rs = fn.local(F32);
  const rsnew = fn.local(F32);
  const s = fn.local(V128);
  const e = fn.local(V128);
  const acc = [fn.local(V128), fn.local(V128), fn.local(V128), fn.local(V128)];
  const X = vectorLocals(fn, V);
  const R = vectorLocals(fn, V);
  const P = vectorLocals(fn, V);
  const AP = vectorLocals(fn, V);
  /** out = ±G·(vector at base + off) + acc_i; zeroes acc_i. */
  const gramTimesPlusAcc = (out: number[], base: number, subtract: boolean) => {
    for (let j = 0; j < V; j++) fn.get(ACC).get(off).i32Add().v128Load(16 * j).set(out[j]);
    for (let j = 0; j < V; j++) fn.get(ACC).get(off).i32Add().v128Zero().v128Store(16 * j);
    fn.i32(0).set(k).get(G).set(gk);
    fn.loop();
    fn.get(base).get(off).i32Add().get(k).i32(2).i32Shl().i32Add().f32Load().f32x4Splat().set(s);
    for (let j = 0; j < V; j++) {
      fn.get(out[j]).get(s).get(gk).v128Load(16 * j).f32x4Mul();
      if (subtract) fn.f32x4Sub();
      else fn.f32x4Add();
      fn.set(out[j]);
    }
    fn.get(gk).i32(rowBytes).i32Add().set(gk);
    fn.get(k).i32(1).i32Add().tee(k).i32(F).i32LtS().brIf(0);
    fn.end();
  };
  const store = (base: number, v: number[]) => {
    for (let j = 0; j < V; j++) fn.get(base).get(off).i32Add().get(v[j]).v128Store(16 * j);
  };
  const load = (base: number, v: number[]) => {
    for (let j = 0; j < V; j++) fn.get(base).get(off).i32Add().v128Load(16 * j).set(v[j]);
  };
  const rsAt = () => fn.get(RS).get(i).i32(2).i32Shl().i32Add();
  fn.get(lo).set(i);
  fn.block(); // $exit
  fn.loop(); // $titles
  fn.get(i).get(hi).i32GeS().brIf(1);
  fn.get(i).i32(rowBytes).i32Mul().set(off);
  fn.get(extra).get(i).get(extraStride).i32Mul().i32Add().f32Load().f32x4Splat().set(e);
  fn.block(); // $titleDone
  if (kind === 0) {
    fn.get(counts).get(i).i32(2).i32Shl().i32Add().i32Load().i32Eqz().if();
    for (let j = 0; j < V; j++) fn.get(Y).get(off).i32Add().v128Zero().v128Store(16 * j);
    rsAt();
    fn.f32(0).f32Store();
    fn.br(1);
    fn.end();
    gramTimesPlusAcc(R, Y, true);
    // The title's own regularization beyond G's λ: r -= e y.
    load(Y, X);
    for (let j = 0; j < V; j++) fn.get(R[j]).get(e).get(X[j]).f32x4Mul().f32x4Sub().set(R[j]);
    store(Rp, R);
    store(Pp, R);
    rsAt();
    dot(fn, R, R, acc);
    fn.f32Store();
  } else {
    rsAt();
    fn.f32Load().set(rs);
    fn.get(rs).f32(CG_TOLERANCE).f32Lt().if();
    for (let j = 0; j < V; j++) fn.get(ACC).get(off).i32Add().v128Zero().v128Store(16 * j);
    fn.br(1);
    fn.end();
    gramTimesPlusAcc(AP, Pp, false);
    load(Pp, P);
    for (let j = 0; j < V; j++) fn.get(AP[j]).get(e).get(P[j]).f32x4Mul().f32x4Add().set(AP[j]);
    load(Y, X);
    load(Rp, R);
    fn.get(rs);
    dot(fn, P, AP, acc);
    fn.f32Div().f32x4Splat().set(s);
    for (let j = 0; j < V; j++) {
      fn.get(X[j]).get(s).get(P[j]).f32x4Mul().f32x4Add().set(X[j]);
      fn.get(R[j]).get(s).get(AP[j]).f32x4Mul().f32x4Sub().set(R[j]);
    }
    store(Y, X);
    store(Rp, R);
    dot(fn, R, R, acc);
    fn.set(rsnew);
    rsAt();
    fn.get(rsnew).f32Store();
    fn.get(rsnew).f32(CG_TOLERANCE).f32Lt().brIf(0);
    fn.get(rsnew).get(rs).f32Div().f32x4Splat().set(s);
    for (let j = 0; j < V; j++) fn.get(R[j]).get(s).get(P[j]).f32x4Mul().f32x4Add().set(P[j]);
    store(Pp, P);
  }
  fn.end(); // $titleDone
  fn.get(i).i32(1).i32Add().set(i);
  fn.br(0);
  fn.end();
  fn.end();
  return fn;
}

/** The kernel module for padded factor count F (multiple of 4) and `cgSteps` CG steps per row. */
export function buildIalsWasm(F: number, cgSteps: number): Uint8Array {
  if (!Number.isInteger(F) || F <= 0 || F % 4 !== 0) throw new RangeError(`padded factor count must be a positive multiple of 4, got ${F}`);
  if (!Number.isInteger(cgSteps) || cgSteps <= 0) throw new RangeError(`cgSteps must be a positive integer, got ${cgSteps}`);
  return buildModule(
    [
      { name: "solve", fn: buildSolve(F, cgSteps, false) },
      { name: "solveNarrow", fn: buildSolve(F, cgSteps, true) },
      { name: "gram", fn: buildGram(F) },
      { name: "scatterResidual", fn: buildScatter(F, false, 0) },
      { name: "scatterResidualNarrow", fn: buildScatter(F, true, 0) },
      { name: "scatterAp", fn: buildScatter(F, false, 1) },
      { name: "scatterApNarrow", fn: buildScatter(F, true, 1) },
      { name: "cgStart", fn: buildCgStep(F, 0) },
      { name: "cgStep", fn: buildCgStep(F, 1) },
    ],
    { min: 1, max: 65536 },
  );
}

/** Context of the worker kernels below: the module bytes, the shared memory and byte offsets. */
export interface IalsKernelContext extends KernelContext {
  /** Identifies one fit: each thread instantiates the module once per key. */
  readonly key: string;
  readonly wasm: Uint8Array;
  readonly memory: WasmMemory;
  readonly F: number;
  readonly indptr: number;
  readonly indices: number;
  readonly conf: number;
  readonly target: number;
  readonly other: number;
  readonly gram: number;
  /** Per-row regularization beyond G's λ (float32 per row), and its stride in bytes (0: one shared value). */
  readonly extra: number;
  readonly extraStride: number;
  /** Gram partials: block b writes F*F floats at partials + b * F * F * 4. */
  readonly partials: number;
  /** 1 when `indices` holds uint16 (the viewer rows of a catalog below 65,536 titles). */
  readonly narrow: number;
}

interface IalsExports {
  solve(indptr: number, indices: number, conf: number, target: number, other: number, gram: number, start: number, end: number, extra: number, extraStride: number): void;
  solveNarrow(indptr: number, indices: number, conf: number, target: number, other: number, gram: number, start: number, end: number, extra: number, extraStride: number): void;
  gram(rows: number, start: number, end: number, out: number): void;
  scatterResidual(indptr: number, indices: number, conf: number, X: number, V: number, ACC: number, nU: number, lo: number, hi: number): void;
  scatterResidualNarrow(indptr: number, indices: number, conf: number, X: number, V: number, ACC: number, nU: number, lo: number, hi: number): void;
  scatterAp(indptr: number, indices: number, conf: number, X: number, V: number, ACC: number, nU: number, lo: number, hi: number): void;
  scatterApNarrow(indptr: number, indices: number, conf: number, X: number, V: number, ACC: number, nU: number, lo: number, hi: number): void;
  cgStart(Y: number, R: number, P: number, ACC: number, RS: number, counts: number, G: number, lo: number, hi: number, extra: number, extraStride: number): void;
  cgStep(Y: number, R: number, P: number, ACC: number, RS: number, counts: number, G: number, lo: number, hi: number, extra: number, extraStride: number): void;
}

let instance: { key: string; exports: IalsExports } | undefined;

function exportsFor(ctx: IalsKernelContext): IalsExports {
  if (instance?.key !== ctx.key) {
    const module = new wasmApi.Module(ctx.wasm);
    const inst = new wasmApi.Instance(module, { env: { memory: ctx.memory } });
    instance = { key: ctx.key, exports: inst.exports as unknown as IalsExports };
  }
  return instance.exports;
}

/** Worker kernel: CG-updates the target factor rows [start, end). */
export function ialsSolveRows(ctx: IalsKernelContext, start: number, end: number): void {
  const x = exportsFor(ctx);
  (ctx.narrow ? x.solveNarrow : x.solve)(ctx.indptr, ctx.indices, ctx.conf, ctx.target, ctx.other, ctx.gram, start, end, ctx.extra, ctx.extraStride);
}

/** Worker kernel: the partial Gram matrix of target rows [start, end) into block `block`'s slot. */
export function ialsGramRows(ctx: IalsKernelContext, start: number, end: number, block: number): void {
  exportsFor(ctx).gram(ctx.target, start, end, ctx.partials + block * ctx.F * ctx.F * 4);
}

/** What the title half's kernels add to the context: its CG state and the pass. */
export interface IalsTitleContext extends IalsKernelContext {
  /** 0: residual pass / CG start; 1: A p pass / CG step. */
  readonly mode: number;
  readonly R: number;
  readonly P: number;
  readonly ACC: number;
  readonly rs: number;
  readonly counts: number;
}

/** Worker kernel: scatter pass over all viewer rows for title ranges [start, end) of ctx.ranges. */
export function ialsScatterTitles(ctx: IalsTitleContext & { readonly ranges: Int32Array; readonly nU: number }, start: number, end: number): void {
  const x = exportsFor(ctx);
  const f = ctx.mode === 0 ? (ctx.narrow ? x.scatterResidualNarrow : x.scatterResidual) : ctx.narrow ? x.scatterApNarrow : x.scatterAp;
  // The residual pass dots with the title factors, the A p passes with the CG directions.
  const v = ctx.mode === 0 ? ctx.target : ctx.P;
  for (let r = start; r < end; r++) f(ctx.indptr, ctx.indices, ctx.conf, ctx.other, v, ctx.ACC, ctx.nU, ctx.ranges[r], ctx.ranges[r + 1]);
}

/** Worker kernel: the titles' CG start (mode 0) or step (mode 1) for titles [start, end). */
export function ialsTitleCgStep(ctx: IalsTitleContext, start: number, end: number): void {
  const x = exportsFor(ctx);
  (ctx.mode === 0 ? x.cgStart : x.cgStep)(ctx.target, ctx.R, ctx.P, ctx.ACC, ctx.rs, ctx.counts, ctx.gram, start, end, ctx.extra, ctx.extraStride);
}

/** Drops the cached instance (after a fit, so its memory can be collected). */
export function releaseIalsInstance(key: string): void {
  if (instance?.key === key) instance = undefined;
}

/** Worker kernel (broadcast once per thread after a fit): forget fit `key`'s instance and memory. */
export function ialsRelease(ctx: { readonly key: string }): void {
  releaseIalsInstance(ctx.key);
}
