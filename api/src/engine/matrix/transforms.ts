import type { CsrMatrix, SparseRow } from "./csr-matrix";
import { historyRecency } from "./recency";

/**
 * Confidence transforms applied to aggregated scores (Postgres already sums event weights per
 * viewer and title). A non-positive score is a dislike or nothing at all: every transform maps
 * it to 0 and `applyConfidence` drops it, so a DISLIKE can never become a positive signal.
 *
 * - binary: 1 for every positive score
 * - linear: 1 + alpha * s              (Hu, Koren & Volinsky 2008, eq. 6)
 * - log:    1 + alpha * log(1 + s/eps) (Hu, Koren & Volinsky 2008, eq. 7)
 */
export type ConfidenceKind = "binary" | "linear" | "log";

export interface ConfidenceTransform {
  readonly kind: ConfidenceKind;
  /** Scale of the signal above the base confidence 1 (linear, log). Default 1. */
  readonly alpha?: number;
  /** Score at which the log curve bends (log only). Default 1. */
  readonly eps?: number;
}

export const CONFIDENCE_KINDS: readonly ConfidenceKind[] = ["binary", "linear", "log"];

export function validateConfidence(t: ConfidenceTransform): Required<ConfidenceTransform> {
  if (!CONFIDENCE_KINDS.includes(t.kind)) {
    throw new RangeError(`unknown confidence transform "${String(t.kind)}": use one of ${CONFIDENCE_KINDS.join(", ")}`);
  }
  const alpha = t.alpha ?? 1;
  const eps = t.eps ?? 1;
  if (!(alpha >= 0) || !Number.isFinite(alpha)) throw new RangeError(`confidence alpha must be a finite number >= 0, got ${alpha}`);
  if (!(eps > 0) || !Number.isFinite(eps)) throw new RangeError(`confidence eps must be a finite number > 0, got ${eps}`);
  return { kind: t.kind, alpha, eps };
}

/** The confidence of one aggregated score; 0 for a non-positive (disliked or absent) score. */
export function confidence(score: number, t: Required<ConfidenceTransform>): number {
  if (!(score > 0)) return 0;
  switch (t.kind) {
    case "binary":
      return 1;
    case "linear":
      return 1 + t.alpha * score;
    case "log":
      return 1 + t.alpha * Math.log(1 + score / t.eps);
  }
}

/**
 * A new matrix with the transform applied; entries with non-positive scores are dropped.
 * `recency` (parallel to m's entries, matrix/recency.ts) multiplies each confidence.
 */
export function applyConfidence(m: CsrMatrix, transform: ConfidenceTransform, recency?: Float32Array): CsrMatrix {
  const t = validateConfidence(transform);
  return filterEntries(m, recency ? (v, p) => confidence(v, t) * recency[p] : (v) => confidence(v, t));
}

/** A history's confidences (0 for a non-positive score), each times its recency weight. */
export function historyConfidences(history: SparseRow, t: Required<ConfidenceTransform>, halfLifeDays: number): Float64Array {
  const out = new Float64Array(history.indices.length);
  const recency = historyRecency(history, halfLifeDays);
  for (let h = 0; h < out.length; h++) out[h] = confidence(history.data[h], t) * (recency ? recency[h] : 1);
  return out;
}

/** Keeps only positive entries (dislikes and zeros removed), values unchanged. */
export function positivePart(m: CsrMatrix): CsrMatrix {
  return filterEntries(m, (v) => (v > 0 ? v : 0));
}

function filterEntries(m: CsrMatrix, map: (v: number, p: number) => number): CsrMatrix {
  const indptr = new Int32Array(m.nRows + 1);
  const indices = new Int32Array(m.indices.length);
  const data = new Float32Array(m.indices.length);
  let out = 0;
  for (let r = 0; r < m.nRows; r++) {
    for (let p = m.indptr[r]; p < m.indptr[r + 1]; p++) {
      const v = map(m.data[p], p);
      if (v > 0) {
        indices[out] = m.indices[p];
        data[out++] = v;
      }
    }
    indptr[r + 1] = out;
  }
  return { nRows: m.nRows, nCols: m.nCols, indptr, indices: indices.slice(0, out), data: data.slice(0, out) };
}
