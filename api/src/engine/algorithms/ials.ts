/**
 * iALS: weighted matrix factorisation for implicit feedback (Hu, Koren & Volinsky 2008), solved
 * by alternating conjugate-gradient updates (Takacs, Pilaszy & Tikk 2011) exactly as the C++
 * `implicit` library does: each half-iteration precomputes the Gram matrix G = YᵀY + λI once,
 * then updates every row with a few CG steps warm-started from its previous factors.
 *
 * Scores become confidences c = 1 + alpha·s (linear) or 1 + alpha·log(1 + s/eps) (log) with
 * preference p = 1; a dislike (negative score) is an observed p = 0 with confidence c(|s|), so it
 * pushes the title away and is never read as a positive.
 *
 * Training runs in worker threads over one shared WebAssembly memory (see ials-kernel.ts for the
 * SIMD kernels). It holds the data once, viewer-major: the viewer half solves row by row, the
 * title half runs the same CG for all titles at once, each pass one scatter over the viewer
 * rows (a title-major copy would cost another 8 bytes per event). The model keeps only the title factors and YᵀY: any viewer, trained or not, is
 * folded in from its history by an exact least-squares solve (Cholesky), so a new event changes
 * the next ranking without retraining.
 */
import type { CsrMatrix, SparseRow } from "../matrix/csr-matrix";
import type { InteractionMatrix } from "../matrix/interaction-matrix";
import { confidence, validateConfidence, type ConfidenceTransform } from "../matrix/transforms";
import { historyRecency, recencyWeights } from "../matrix/recency";
import { Random } from "../synthetic/random";
import { Arena, sharedMemory } from "../training/wasm-runtime";
import { getSharedPool, defaultThreads, AbortError, type WorkerPool } from "../training/worker-pool";
import {
  assertTrainable,
  checkHistory,
  checkItem,
  checkK,
  choiceParam,
  exclusionMask,
  intParam,
  numberParam,
  ParameterError,
  rejectUnknown,
  selectTopK,
  yieldToLoop,
} from "./common";
import { buildIalsWasm, releaseIalsInstance, type IalsKernelContext } from "./ials-kernel";
import { cholesky, choleskySolve, gramMatrix } from "./linalg";
import { CorruptModelError, decodeModel, encodeModel } from "./model-container";
import type { AlgorithmSpec, Contribution, FitOptions, RecommendOptions, Recommender, ScoredItems } from "./recommender";

export type IalsConfidence = "linear" | "log";

export interface IalsParams extends Record<string, unknown> {
  /** Latent factors per viewer and title. */
  readonly factors: number;
  /** λ: L2 penalty on every factor vector (not scaled by the row's count, as in `implicit`). */
  readonly regularization: number;
  /** Confidence scale: c = 1 + alpha·score (linear) or 1 + alpha·log(1 + score/eps) (log). */
  readonly alpha: number;
  readonly confidence: IalsConfidence;
  /** Where the log confidence bends (log only). */
  readonly eps: number;
  /** Alternating iterations (each updates all viewers, then all titles). */
  readonly iterations: number;
  /** Conjugate-gradient steps per row and half-iteration (implicit's default: 3). */
  readonly cgSteps: number;
  /**
   * Recency half-life in days (matrix/recency.ts): each pair's confidence is multiplied by
   * 2^(-age/halfLife), age counted back from the viewer's latest event; 0 = off.
   */
  readonly halfLifeDays: number;
  /**
   * constant: every row gets λ. frequency: row u gets λ·W_u / mean(W), W_u its total weight in
   * the objective (every unobserved pair 1 plus each observed pair's confidence above 1), as
   * Rendle et al. 2022 scale it (λ(|I_u| + α0|I|)), normalised so λ keeps its scale.
   */
  readonly regularizationScaling: "constant" | "frequency";
}

const NAME = "ials";
const KNOWN = ["factors", "regularization", "alpha", "confidence", "eps", "iterations", "cgSteps", "halfLifeDays", "regularizationScaling"] as const;
/** Above this the generated kernel (all vectors in registers/locals) gets unreasonably large. */
const MAX_FACTORS = 512;
/** Rows per Gram block: fixed, so partial sums (and so results) never depend on the thread count. */
const GRAM_BLOCK = 4096;
const KERNEL_MODULE = require.resolve("./ials-kernel");

export const IALS_DEFAULTS: IalsParams = {
  factors: 64,
  regularization: 10,
  alpha: 1,
  confidence: "linear",
  eps: 1,
  iterations: 15,
  cgSteps: 3,
  halfLifeDays: 0,
  regularizationScaling: "constant",
};

export function validateIalsParams(params: Partial<IalsParams>): IalsParams {
  rejectUnknown(NAME, params, KNOWN);
  const factors = intParam(NAME, "factors", params.factors, IALS_DEFAULTS.factors);
  if (factors > MAX_FACTORS) throw new ParameterError(`${NAME}: factors must be at most ${MAX_FACTORS}, got ${factors}`);
  return {
    factors,
    regularization: numberParam(NAME, "regularization", params.regularization, IALS_DEFAULTS.regularization, 0, true),
    alpha: numberParam(NAME, "alpha", params.alpha, IALS_DEFAULTS.alpha),
    confidence: choiceParam(NAME, "confidence", params.confidence, IALS_DEFAULTS.confidence, ["linear", "log"] as const),
    eps: numberParam(NAME, "eps", params.eps, IALS_DEFAULTS.eps, 0, true),
    iterations: intParam(NAME, "iterations", params.iterations, IALS_DEFAULTS.iterations),
    cgSteps: intParam(NAME, "cgSteps", params.cgSteps, IALS_DEFAULTS.cgSteps),
    halfLifeDays: numberParam(NAME, "halfLifeDays", params.halfLifeDays, IALS_DEFAULTS.halfLifeDays),
    regularizationScaling: choiceParam(NAME, "regularizationScaling", params.regularizationScaling, IALS_DEFAULTS.regularizationScaling, ["constant", "frequency"] as const),
  };
}

function transformOf(p: IalsParams): Required<ConfidenceTransform> {
  return validateConfidence({ kind: p.confidence, alpha: p.alpha, eps: p.eps });
}

/** Signed confidence of a score: c(s) for a positive, -c(|s|) for a dislike, 0 for nothing. */
export function signedConfidence(score: number, t: Required<ConfidenceTransform>): number {
  if (score > 0) return confidence(score, t);
  if (score < 0) return -confidence(-score, t);
  return 0;
}

/** Factors after training, row-major with stride `factors` (no padding). */
export interface IalsFactors {
  readonly factors: number;
  readonly userFactors: Float32Array;
  readonly itemFactors: Float32Array;
}

export interface IalsTrainOptions extends FitOptions {
  /** Return the viewer factors too (default true). Models fold viewers in: `fit` skips them. */
  readonly keepUserFactors?: boolean;
  /** Unix seconds of each entry of `scores` (InteractionMatrix.lastEventAt), for `halfLifeDays`. */
  readonly times?: Float64Array;
  /**
   * Called after each iteration with the current factors (padded stride `stride`); for tests
   * and diagnostics (e.g. the training loss). Views are only valid during the call.
   */
  readonly onIteration?: (iteration: number, state: { userFactors: Float32Array; itemFactors: Float32Array; stride: number }) => void;
}

let fitCounter = 0;

/**
 * Trains iALS factors on `scores` (viewers x titles). Exposed for benchmarks and tests; models
 * come from `ials.fit`.
 */
export async function trainIals(scores: CsrMatrix, params: IalsParams, options: IalsTrainOptions = {}): Promise<IalsFactors> {
  const { factors, regularization, iterations, cgSteps } = params;
  const t = transformOf(params);
  const F = Math.ceil(factors / 4) * 4;
  const nU = scores.nRows;
  const nI = scores.nCols;
  let nnz = 0;
  for (let p = 0; p < scores.data.length; p++) {
    const v = scores.data[p];
    if (!Number.isFinite(v)) throw new ParameterError(`${NAME}: score ${p} is ${v}; scores must be finite numbers`);
    if (v !== 0) nnz++;
  }
  const blocks = Math.ceil(Math.max(nU, nI) / GRAM_BLOCK);
  // Title indices fit 16 bits in any catalog below 65,536 titles: nnz x 2 bytes saved.
  const narrow = nI <= 65536;
  const arena = new Arena();
  const at = {
    uIndptr: arena.alloc((nU + 1) * 4),
    uIndices: arena.alloc(nnz * (narrow ? 2 : 4)),
    uConf: arena.alloc(nnz * 4),
    // The title half works from the viewer rows (ials-kernel.ts scatter): no title-major copy,
    // only the titles' CG state (residual, direction, accumulator) and their viewer counts.
    counts: arena.alloc(nI * 4),
    rs: arena.alloc(nI * 4),
    R: arena.alloc(nI * F * 4),
    P: arena.alloc(nI * F * 4),
    ACC: arena.alloc(nI * F * 4),
    X: arena.alloc(nU * F * 4),
    Y: arena.alloc(nI * F * 4),
    gram: arena.alloc(F * F * 4),
    partials: arena.alloc(blocks * F * F * 4),
    // Per-row regularization beyond λ: one shared 0 unless scaled by frequency.
    zero: arena.alloc(16),
    userExtra: params.regularizationScaling === "frequency" ? arena.alloc(nU * 4) : 0,
    itemExtra: params.regularizationScaling === "frequency" ? arena.alloc(nI * 4) : 0,
  };
  const memory = sharedMemory(arena.size);
  const buf = memory.buffer;
  const uIndptr = new Int32Array(buf, at.uIndptr, nU + 1);
  const uIndices = narrow ? new Uint16Array(buf, at.uIndices, nnz) : new Int32Array(buf, at.uIndices, nnz);
  const uConf = new Float32Array(buf, at.uConf, nnz);
  const counts = new Int32Array(buf, at.counts, nI);
  const X = new Float32Array(buf, at.X, nU * F);
  const Y = new Float32Array(buf, at.Y, nI * F);
  const gram = new Float32Array(buf, at.gram, F * F);
  const partials = new Float32Array(buf, at.partials, blocks * F * F);

  // Viewers are trained in order of decreasing activity: the title half gathers viewer rows, and
  // the most active viewers' rows, packed together, stay in cache; heavy rows first also balance
  // the threads. `order[row] = viewer`; results are put back in viewer order at the end.
  const order = activityOrder(scores);
  const recency = recencyWeights(scores.indptr, options.times, params.halfLifeDays);
  // Confidence CSR (viewers) and its transpose (titles), written straight into the shared memory.
  // Setup runs on the calling thread (the API's, when it trains): yield every few thousand rows.
  const YIELD_ROWS = 16384;
  let out = 0;
  for (let row = 0; row < nU; row++) {
    if (row % YIELD_ROWS === YIELD_ROWS - 1) await yieldToLoop();
    const u = order[row];
    for (let p = scores.indptr[u]; p < scores.indptr[u + 1]; p++) {
      const c = signedConfidence(scores.data[p], t) * (recency ? recency[p] : 1);
      if (c === 0) continue;
      uIndices[out] = scores.indices[p];
      uConf[out++] = c;
    }
    uIndptr[row + 1] = out;
  }
  for (let p = 0; p < nnz; p++) counts[uIndices[p]]++;
  const ranges = titleRanges(counts);
  if (params.regularizationScaling === "frequency") {
    const userExtra = new Float32Array(buf, at.userExtra, nU);
    const itemExtra = new Float32Array(buf, at.itemExtra, nI);
    const userWeight = new Float64Array(nU).fill(nI);
    const itemWeight = new Float64Array(nI).fill(nU);
    for (let row = 0; row < nU; row++) {
      for (let p = uIndptr[row]; p < uIndptr[row + 1]; p++) {
        const excess = Math.abs(uConf[p]) - 1;
        userWeight[row] += excess;
        itemWeight[uIndices[p]] += excess;
      }
    }
    scaledExtra(userWeight, uIndptr, regularization, userExtra);
    scaledExtra(itemWeight, counts, regularization, itemExtra);
  }

  // Small positive start, as `implicit` (uniform [0, 0.01)); padding columns stay 0 for good.
  const random = new Random(options.seed ?? 0, 1);
  // Drawn in viewer order (so a viewer's start does not depend on the training order).
  const rowOfViewer = new Int32Array(nU);
  for (let row = 0; row < nU; row++) rowOfViewer[order[row]] = row;
  for (let u = 0; u < nU; u++) for (let f = 0; f < factors; f++) X[rowOfViewer[u] * F + f] = random.float() * 0.01;
  for (let i = 0; i < nI; i++) for (let f = 0; f < factors; f++) Y[i * F + f] = random.float() * 0.01;

  const threads = options.threads ?? defaultThreads();
  const pool: WorkerPool = getSharedPool(threads);
  const key = `ials-${process.pid}-${++fitCounter}-${Date.now()}`;
  const base: IalsKernelContext = {
    key,
    wasm: buildIalsWasm(F, cgSteps),
    memory,
    F,
    indptr: 0,
    indices: 0,
    conf: 0,
    target: 0,
    other: 0,
    gram: at.gram,
    partials: at.partials,
    narrow: 0,
    extra: at.zero,
    extraStride: 0,
  };
  const signal = options.signal;
  const report = (iteration: number, half: number, done: number, total: number) =>
    options.onProgress?.({
      phase: `iALS iteration ${iteration + 1}/${iterations}: ${half === 0 ? "viewers" : "titles"}`,
      fraction: (iteration + (half + done / Math.max(1, total)) / 2) / iterations,
    });

  /** G = Σ rows rᵀr + λI over `rows` rows at `target`, into the shared gram. */
  const computeGram = async (target: number, rows: number) => {
    const run = await pool.run({ module: KERNEL_MODULE, kernel: "ialsGramRows", context: { ...base, target }, items: rows, blockSize: GRAM_BLOCK, signal });
    const sum = new Float64Array(F * F);
    const used = run.results.length;
    for (let b = 0; b < used; b++) {
      const o = b * F * F;
      for (let e = 0; e < F * F; e++) sum[e] += partials[o + e];
    }
    for (let f = 0; f < factors; f++) sum[f * F + f] += regularization;
    gram.set(sum);
  };

  /**
   * The title half: a residual pass, then per CG step a pass computing A p, each pass a scatter
   * over the viewer rows by title range followed by the titles' vector updates.
   */
  const solveTitles = async (it: number) => {
    const passes = 1 + cgSteps;
    const ctx = { ...base, indptr: at.uIndptr, indices: at.uIndices, conf: at.uConf, target: at.Y, other: at.X, narrow: narrow ? 1 : 0 };
    for (let pass = 0; pass < passes; pass++) {
      await pool.run({
        module: KERNEL_MODULE,
        kernel: "ialsScatterTitles",
        context: { ...ctx, ranges, nU, mode: pass === 0 ? 0 : 1, R: at.R, P: at.P, ACC: at.ACC, rs: at.rs, counts: at.counts },
        items: ranges.length - 1,
        blockSize: 1,
        signal,
        onProgress: (done, total) => report(it, 1, pass * total + done, passes * total),
      });
      await pool.run({
        module: KERNEL_MODULE,
        kernel: "ialsTitleCgStep",
        context: { ...ctx, mode: pass === 0 ? 0 : 1, R: at.R, P: at.P, ACC: at.ACC, rs: at.rs, counts: at.counts, ...(at.itemExtra ? { extra: at.itemExtra, extraStride: 4 } : {}) },
        items: nI,
        blockSize: 256,
        signal,
      });
    }
  };

  try {
    for (let it = 0; it < iterations; it++) {
      if (signal?.aborted) throw new AbortError();
      await computeGram(at.Y, nI);
      await pool.run({
        module: KERNEL_MODULE,
        kernel: "ialsSolveRows",
        context: { ...base, indptr: at.uIndptr, indices: at.uIndices, conf: at.uConf, target: at.X, other: at.Y, narrow: narrow ? 1 : 0, ...(at.userExtra ? { extra: at.userExtra, extraStride: 4 } : {}) },
        items: nU,
        blockSize: 256,
        signal,
        onProgress: (done, total) => report(it, 0, done, total),
      });
      await computeGram(at.X, nU);
      await solveTitles(it);
      assertFinite(Y, `title factors after iteration ${it + 1}`);
      assertFinite(X, `viewer factors after iteration ${it + 1}`);
      if (options.onIteration) options.onIteration(it, { userFactors: unpad(X, nU, F, F, order), itemFactors: Y, stride: F });
    }
  } finally {
    releaseIalsInstance(key);
    await pool.broadcast({ module: KERNEL_MODULE, kernel: "ialsRelease", context: { key } }).catch(() => undefined);
  }
  const userFactors = options.keepUserFactors === false ? new Float32Array(0) : unpad(X, nU, F, factors, order);
  return { factors, userFactors, itemFactors: unpad(Y, nI, F, factors) };
}

/**
 * λ·(W_r / mean W - 1) per row: the regularization beyond the λ already in G, for rows with data
 * (`present`: an indptr (length n + 1) or per-row counts (length n)); the mean is over those rows.
 */
function scaledExtra(weight: Float64Array, present: Int32Array, lambda: number, out: Float32Array): void {
  const has = (r: number) => (present.length === weight.length + 1 ? present[r + 1] > present[r] : present[r] > 0);
  let sum = 0;
  let n = 0;
  for (let r = 0; r < weight.length; r++) {
    if (!has(r)) continue;
    sum += weight[r];
    n++;
  }
  const mean = n > 0 ? sum / n : 1;
  for (let r = 0; r < weight.length; r++) out[r] = has(r) ? lambda * (weight[r] / mean - 1) : 0;
}

/** Mean total weight of the trained viewers (fold-in scales a new viewer's λ by it). */
function meanViewerWeight(scores: CsrMatrix, params: IalsParams, times?: Float64Array): number {
  const t = transformOf(params);
  const recency = recencyWeights(scores.indptr, times, params.halfLifeDays);
  let sum = 0;
  let n = 0;
  for (let u = 0; u < scores.nRows; u++) {
    if (scores.indptr[u + 1] === scores.indptr[u]) continue;
    let w = scores.nCols;
    for (let p = scores.indptr[u]; p < scores.indptr[u + 1]; p++) {
      const c = signedConfidence(scores.data[p], t) * (recency ? recency[p] : 1);
      if (c !== 0) w += Math.abs(c) - 1;
    }
    sum += w;
    n++;
  }
  return n > 0 ? sum / n : 1;
}

/** Title ranges of the scatter passes: fixed by the data (never by the thread count). */
const TITLE_RANGES = 8;

/** Boundaries of TITLE_RANGES contiguous title ranges holding about equal numbers of pairs. */
function titleRanges(counts: Int32Array): Int32Array {
  let total = 0;
  for (const c of counts) total += c;
  const bounds = [0];
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    seen += counts[i];
    if (bounds.length < TITLE_RANGES && seen >= (total * bounds.length) / TITLE_RANGES && i + 1 < counts.length) bounds.push(i + 1);
  }
  bounds.push(counts.length);
  return Int32Array.from(bounds);
}

/** Viewers by decreasing number of scored titles (ties by index): a deterministic permutation. */
function activityOrder(scores: CsrMatrix): Int32Array {
  const n = scores.nRows;
  const order = new Int32Array(n);
  for (let u = 0; u < n; u++) order[u] = u;
  const len = (u: number) => scores.indptr[u + 1] - scores.indptr[u];
  return order.sort((a, b) => len(b) - len(a) || a - b);
}


function assertFinite(a: Float32Array, what: string): void {
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (v - v !== 0) {
      throw new Error(`${NAME}: training diverged (${v} in ${what}); lower alpha or raise regularization`);
    }
  }
}

/** Rows of `a` without padding columns; with `order`, row r goes to position order[r]. */
function unpad(a: Float32Array, rows: number, stride: number, factors: number, order?: Int32Array): Float32Array {
  const out = new Float32Array(rows * factors);
  for (let r = 0; r < rows; r++) out.set(a.subarray(r * stride, r * stride + factors), (order ? order[r] : r) * factors);
  return out;
}

/**
 * The iALS objective: Σ_u Σ_i c_ui (p_ui - x_u·y_i)² + λ(Σ|x_u|² + Σ|y_i|²), unobserved pairs
 * with c = 1, p = 0. Computed as Σ_u x_uᵀ(YᵀY)x_u plus corrections on the observed pairs.
 */
export function ialsLoss(scores: CsrMatrix, params: IalsParams, userFactors: Float32Array, itemFactors: Float32Array, stride = params.factors): number {
  const t = transformOf(params);
  const f = params.factors;
  const nU = scores.nRows;
  const nI = scores.nCols;
  const compact = stride === f ? itemFactors : unpad(itemFactors, nI, stride, f);
  const G = gramMatrix(compact, nI, f);
  let loss = 0;
  let norms = 0;
  const x = new Float64Array(f);
  for (let u = 0; u < nU; u++) {
    for (let a = 0; a < f; a++) x[a] = userFactors[u * stride + a];
    for (let a = 0; a < f; a++) {
      let s = 0;
      for (let b = 0; b < f; b++) s += G[a * f + b] * x[b];
      loss += x[a] * s;
      norms += x[a] * x[a];
    }
    for (let p = scores.indptr[u]; p < scores.indptr[u + 1]; p++) {
      const c = signedConfidence(scores.data[p], t);
      if (c === 0) continue;
      const o = scores.indices[p] * stride;
      let s = 0;
      for (let a = 0; a < f; a++) s += x[a] * itemFactors[o + a];
      const pref = c > 0 ? 1 : 0;
      loss += Math.abs(c) * (pref - s) * (pref - s) - s * s;
    }
  }
  for (let i = 0; i < nI; i++) for (let a = 0; a < f; a++) norms += itemFactors[i * stride + a] ** 2;
  return loss + params.regularization * norms;
}

/** A fitted iALS model: title factors plus YᵀY for fold-in. Immutable. */
export class IalsModel implements Recommender {
  readonly algorithm = NAME;
  private norms?: Float64Array;
  private readonly transform: Required<ConfidenceTransform>;

  constructor(
    readonly params: IalsParams,
    readonly itemIds: readonly string[],
    /** nItems x factors, row-major. */
    readonly itemFactors: Float32Array,
    /** YᵀY (factors x factors), without the regularization. */
    readonly gram: Float64Array,
    /** With regularizationScaling "frequency": the trained viewers' mean total weight (a history's λ scales by its own over this). */
    readonly meanViewerWeight = 0,
  ) {
    this.transform = transformOf(params);
  }

  get factors(): number {
    return this.params.factors;
  }

  /**
   * The viewer's factors for `history` (its score row): the exact least-squares solution
   * (YᵀY + λI + Σ_i (c_i - 1) y_i y_iᵀ) x = Σ_{positive i} c_i y_i. Null when nothing in the
   * history is a positive (the solution is 0: no taste to go on).
   */
  foldIn(history: SparseRow): Float64Array | null {
    checkHistory(history, this.itemIds.length);
    const { A, b, positives } = this.system(history);
    if (positives === 0) return null;
    if (!cholesky(A, this.factors)) throw new Error(`${NAME}: fold-in system is not positive definite; the model is corrupt`);
    choleskySolve(A, this.factors, b);
    return b;
  }

  private system(history: SparseRow): { A: Float64Array; b: Float64Array; positives: number } {
    const f = this.factors;
    const A = Float64Array.from(this.gram);
    const b = new Float64Array(f);
    let weight = this.itemIds.length;
    const Y = this.itemFactors;
    let positives = 0;
    const recency = historyRecency(history, this.params.halfLifeDays);
    for (let n = 0; n < history.indices.length; n++) {
      const c = signedConfidence(history.data[n], this.transform) * (recency ? recency[n] : 1);
      if (c === 0) continue;
      const o = history.indices[n] * f;
      const w = Math.abs(c) - 1;
      weight += w;
      if (w !== 0) {
        for (let a = 0; a < f; a++) {
          const ya = w * Y[o + a];
          const row = a * f;
          for (let bb = 0; bb <= a; bb++) A[row + bb] += ya * Y[o + bb];
        }
      }
      if (c > 0) {
        positives++;
        for (let a = 0; a < f; a++) b[a] += c * Y[o + a];
      }
    }
    const scaled = this.params.regularizationScaling === "frequency" && this.meanViewerWeight > 0;
    const lambda = this.params.regularization * (scaled ? weight / this.meanViewerWeight : 1);
    for (let a = 0; a < f; a++) A[a * f + a] += lambda;
    for (let a = 0; a < f; a++) for (let bb = 0; bb < a; bb++) A[bb * f + a] = A[a * f + bb];
    return { A, b, positives };
  }

  /** Scores of every title for factors x. */
  private scoresFor(x: Float64Array): Float32Array {
    const f = this.factors;
    const n = this.itemIds.length;
    const Y = this.itemFactors;
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const o = i * f;
      // Four independent sums: one chain would wait on add latency at every step.
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let a = 0;
      for (; a + 3 < f; a += 4) {
        s0 += Y[o + a] * x[a];
        s1 += Y[o + a + 1] * x[a + 1];
        s2 += Y[o + a + 2] * x[a + 2];
        s3 += Y[o + a + 3] * x[a + 3];
      }
      for (; a < f; a++) s0 += Y[o + a] * x[a];
      out[i] = s0 + s1 + (s2 + s3);
    }
    return out;
  }

  recommend(history: SparseRow, k: number, options?: RecommendOptions): ScoredItems {
    checkK(k);
    const x = this.foldIn(history);
    if (!x) return { items: new Int32Array(0), scores: new Float32Array(0) };
    const mask = exclusionMask(this.itemIds.length, history, options);
    return selectTopK(this.scoresFor(x), k, mask, options?.filter);
  }

  similar(item: number, k: number, options?: RecommendOptions): ScoredItems {
    checkK(k);
    checkItem(item, this.itemIds.length);
    const f = this.factors;
    const n = this.itemIds.length;
    const Y = this.itemFactors;
    const norms = (this.norms ??= itemNorms(Y, n, f));
    const out = new Float32Array(n);
    if (norms[item] === 0) return { items: new Int32Array(0), scores: new Float32Array(0) };
    const o = item * f;
    for (let j = 0; j < n; j++) {
      if (norms[j] === 0) {
        out[j] = NaN; // a title without data has no direction: never "similar"
        continue;
      }
      let s = 0;
      const oj = j * f;
      for (let a = 0; a < f; a++) s += Y[o + a] * Y[oj + a];
      out[j] = s / (norms[item] * norms[j]);
    }
    return selectTopK(out, k, exclusionMask(n, undefined, options, item), options?.filter);
  }

  /**
   * Which history titles made `item` score as it does. The score is yᵀx with x = A⁻¹ Σ_j c_j y_j,
   * so it splits exactly into Σ_j c_j y_jᵀ(A⁻¹ y) (implicit's explain): one solve, one dot per
   * history title. Returns positive contributions, strongest first.
   */
  explain(history: SparseRow, item: number, k = 5): Contribution[] {
    checkK(k);
    checkItem(item, this.itemIds.length);
    checkHistory(history, this.itemIds.length);
    const f = this.factors;
    const { A } = this.system(history);
    if (!cholesky(A, f)) throw new Error(`${NAME}: explain system is not positive definite; the model is corrupt`);
    const z = new Float64Array(f);
    for (let a = 0; a < f; a++) z[a] = this.itemFactors[item * f + a];
    choleskySolve(A, f, z);
    const out: Contribution[] = [];
    const recency = historyRecency(history, this.params.halfLifeDays);
    for (let n = 0; n < history.indices.length; n++) {
      const c = signedConfidence(history.data[n], this.transform) * (recency ? recency[n] : 1);
      if (c <= 0) continue;
      const o = history.indices[n] * f;
      let s = 0;
      for (let a = 0; a < f; a++) s += this.itemFactors[o + a] * z[a];
      const weight = c * s;
      if (weight > 0) out.push({ kind: "item", index: history.indices[n], weight });
    }
    out.sort((a, b) => b.weight - a.weight || a.index - b.index);
    return out.slice(0, k);
  }

  serialize(): Uint8Array {
    return encodeModel(
      { algorithm: NAME, params: { ...this.params }, itemIds: this.itemIds, meta: { factors: this.factors, meanViewerWeight: this.meanViewerWeight } },
      { itemFactors: this.itemFactors, gram: this.gram },
    );
  }

  static deserialize(bytes: Uint8Array): IalsModel {
    const { header, sections } = decodeModel(bytes);
    if (header.algorithm !== NAME) throw new CorruptModelError(`expected an ${NAME} model, got ${header.algorithm}`);
    let params: IalsParams;
    try {
      params = validateIalsParams(header.params as Partial<IalsParams>);
    } catch (error) {
      throw new CorruptModelError(`bad ${NAME} parameters: ${(error as Error).message}`);
    }
    const { itemFactors, gram } = sections;
    const n = header.itemIds.length;
    const f = params.factors;
    if (!(itemFactors instanceof Float32Array) || itemFactors.length !== n * f) throw new CorruptModelError(`itemFactors must be ${n} x ${f} float32`);
    if (!(gram instanceof Float64Array) || gram.length !== f * f) throw new CorruptModelError(`gram must be ${f} x ${f} float64`);
    const meanWeight = Number(header.meta?.meanViewerWeight ?? 0);
    if (!(meanWeight >= 0)) throw new CorruptModelError(`meanViewerWeight must be a number >= 0, got ${String(header.meta?.meanViewerWeight)}`);
    return new IalsModel(params, header.itemIds, itemFactors, gram, meanWeight);
  }
}

function itemNorms(Y: Float32Array, n: number, f: number): Float64Array {
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let a = 0; a < f; a++) s += Y[i * f + a] * Y[i * f + a];
    norms[i] = Math.sqrt(s);
  }
  return norms;
}

export const ials: AlgorithmSpec<IalsParams> = {
  name: NAME,
  defaults: IALS_DEFAULTS,
  grid: {
    factors: [64, 128],
    regularization: [1, 10, 50],
    alpha: [0.5, 1, 3, 10],
  },
  refine: { halfLifeDays: [0.01, 0.1, 1, 10, 100], regularizationScaling: ["frequency"] },
  validate: validateIalsParams,
  async fit(data: InteractionMatrix, params: IalsParams, options?: FitOptions): Promise<Recommender> {
    const p = validateIalsParams(params);
    assertTrainable(NAME, data);
    const trained = await trainIals(data.scores, p, { ...options, keepUserFactors: false, times: data.lastEventAt });
    const gram = gramMatrix(trained.itemFactors, data.scores.nCols, p.factors);
    const meanWeight = p.regularizationScaling === "frequency" ? meanViewerWeight(data.scores, p, data.lastEventAt) : 0;
    return new IalsModel(p, [...data.items.toArray()], trained.itemFactors, gram, meanWeight);
  },
  deserialize: (bytes: Uint8Array) => IalsModel.deserialize(bytes),
};
