import { transpose, type CsrMatrix, type SparseRow } from "../matrix/csr-matrix";
import type { InteractionMatrix } from "../matrix/interaction-matrix";
import { applyConfidence, historyConfidences, validateConfidence, type ConfidenceKind } from "../matrix/transforms";
import { recencyWeights } from "../matrix/recency";
import { decodeModel, encodeModel } from "./model-container";
import type { AlgorithmSpec, Contribution, RecommendOptions, Recommender, ScoredItems } from "./recommender";
import {
  assertTrainable,
  checkHistory,
  checkItem,
  checkK,
  choiceParam,
  exclusionMask,
  intParam,
  numberParam,
  rejectUnknown,
  selectTopK,
  TopK,
  valueAt,
} from "./common";

/**
 * User-kNN ("viewers like you"): any history, including one of a viewer who did not exist at
 * training time, is compared with every training viewer through the title -> viewer transpose
 * (cost: the sum of the history's titles' audience sizes), cosine with shrinkage; the top-`k`
 * neighbours vote for their titles with their similarity.
 */
export interface UserKnnParams extends Record<string, unknown> {
  readonly k: number;
  readonly shrinkage: number;
  readonly confidence: ConfidenceKind;
  readonly alpha: number;
  /** Recency half-life in days on each viewer's confidences (matrix/recency.ts); 0 = off. */
  readonly halfLifeDays: number;
}

const KNOWN = ["k", "shrinkage", "confidence", "alpha", "halfLifeDays"];

function validate(params: Partial<UserKnnParams>): UserKnnParams {
  rejectUnknown("userknn", params, KNOWN);
  return {
    k: intParam("userknn", "k", params.k, 50),
    shrinkage: numberParam("userknn", "shrinkage", params.shrinkage, 10),
    confidence: choiceParam("userknn", "confidence", params.confidence, "binary", ["binary", "linear", "log"] as const),
    alpha: numberParam("userknn", "alpha", params.alpha, 1),
    halfLifeDays: numberParam("userknn", "halfLifeDays", params.halfLifeDays, 0),
  };
}

interface Neighbourhood {
  readonly users: Int32Array;
  readonly sims: Float32Array;
}

export class UserKnnModel implements Recommender {
  readonly algorithm = "userknn";
  private readonly xt: CsrMatrix;
  private readonly norms: Float64Array;
  private readonly conf: Required<{ kind: ConfidenceKind; alpha: number; eps: number }>;
  private dots?: Float64Array;
  private overlap?: Int32Array;
  private touched?: Int32Array;

  constructor(
    readonly params: UserKnnParams,
    readonly itemIds: readonly string[],
    /** Training viewers x titles, confidences (non-positive scores already dropped). */
    readonly x: CsrMatrix,
    /** External ids of the training viewers, by row: what a "user" contribution's index names. */
    readonly userIds: readonly string[],
  ) {
    this.xt = transpose(x);
    this.norms = new Float64Array(x.nRows);
    for (let u = 0; u < x.nRows; u++) {
      let s = 0;
      for (let p = x.indptr[u]; p < x.indptr[u + 1]; p++) s += x.data[p] * x.data[p];
      this.norms[u] = Math.sqrt(s);
    }
    this.conf = validateConfidence({ kind: params.confidence, alpha: params.alpha });
  }

  /** The history's top-k training viewers. A viewer with exactly the same titles is skipped: it is
   * the viewer itself (or a twin), whose titles are all excluded anyway, so it would waste a slot. */
  neighbours(history: SparseRow): Neighbourhood {
    const { x, xt, norms } = this;
    // Scratch over viewers, reused across calls (recommend is synchronous, so calls never
    // interleave) and reset through the touched list: the cost is the history's audiences, not
    // the number of viewers.
    const dots = (this.dots ??= new Float64Array(x.nRows));
    const overlap = (this.overlap ??= new Int32Array(x.nRows));
    const touched = (this.touched ??= new Int32Array(x.nRows));
    let nTouched = 0;
    let hNorm = 0;
    let hCount = 0;
    const conf = historyConfidences(history, this.conf, this.params.halfLifeDays);
    for (let h = 0; h < history.indices.length; h++) {
      const c = conf[h];
      if (c === 0) continue;
      hNorm += c * c;
      hCount++;
      const i = history.indices[h];
      for (let p = xt.indptr[i]; p < xt.indptr[i + 1]; p++) {
        const u = xt.indices[p];
        if (overlap[u] === 0) touched[nTouched++] = u;
        dots[u] += c * xt.data[p];
        overlap[u]++;
      }
    }
    hNorm = Math.sqrt(hNorm);
    // The k most similar, ties to the lower viewer index, by a bounded heap over the touched
    // viewers in the order they were met (popular titles reach a large share of all viewers:
    // sorting them per request would cost more than the scoring).
    const top = new TopK(this.params.k);
    for (let t = 0; t < nTouched; t++) {
      const u = touched[t];
      const nu = x.indptr[u + 1] - x.indptr[u];
      if (!(overlap[u] === hCount && nu === hCount)) {
        const sim = dots[u] / (hNorm * norms[u] + this.params.shrinkage);
        if (sim > 0 && top.admits(u, sim)) top.offer(u, sim);
      }
      dots[u] = 0;
      overlap[u] = 0;
    }
    const { items: users, scores: sims } = top.sorted();
    return { users, sims };
  }

  private scoreFrom(nb: Neighbourhood): Float64Array {
    const { x } = this;
    const scores = new Float64Array(this.itemIds.length);
    for (let t = 0; t < nb.users.length; t++) {
      const u = nb.users[t];
      const s = nb.sims[t];
      for (let p = x.indptr[u]; p < x.indptr[u + 1]; p++) scores[x.indices[p]] += s * x.data[p];
    }
    return scores;
  }

  recommend(history: SparseRow, k: number, options?: RecommendOptions): ScoredItems {
    checkK(k);
    checkHistory(history, this.itemIds.length);
    const scores = this.scoreFrom(this.neighbours(history));
    return selectTopK(scores, k, exclusionMask(this.itemIds.length, history, options), options?.filter);
  }

  /** "Viewers who watched this also watched": the neighbours of a one-title history. */
  similar(item: number, k: number, options?: RecommendOptions): ScoredItems {
    checkK(k);
    checkItem(item, this.itemIds.length);
    const single: SparseRow = { indices: Int32Array.of(item), data: Float32Array.of(1) };
    const scores = this.scoreFrom(this.neighbours(single));
    return selectTopK(scores, k, exclusionMask(this.itemIds.length, undefined, options, item), options?.filter, 0);
  }

  /**
   * The neighbouring viewers who vote for `item` (kind "user", weight sim * their confidence),
   * strongest first, then the viewer's own titles (kind "item") that made those neighbours
   * similar, weighted by their share of the votes. Up to `k` of each.
   */
  explain(history: SparseRow, item: number, k = 5): Contribution[] {
    checkItem(item, this.itemIds.length);
    checkHistory(history, this.itemIds.length);
    const { x } = this;
    const nb = this.neighbours(history);
    const users: Contribution[] = [];
    const titleWeights = new Float64Array(this.itemIds.length);
    const conf = historyConfidences(history, this.conf, this.params.halfLifeDays);
    for (let t = 0; t < nb.users.length; t++) {
      const u = nb.users[t];
      const vote = valueAt(x.indices, x.data, x.indptr[u], x.indptr[u + 1], item);
      if (vote <= 0) continue;
      users.push({ kind: "user", index: u, weight: nb.sims[t] * vote });
      // Split this neighbour's vote over the shared titles in proportion to their dot-product terms.
      let dot = 0;
      for (let h = 0; h < history.indices.length; h++) {
        dot += conf[h] * valueAt(x.indices, x.data, x.indptr[u], x.indptr[u + 1], history.indices[h]);
      }
      if (dot === 0) continue;
      for (let h = 0; h < history.indices.length; h++) {
        const i = history.indices[h];
        const term = conf[h] * valueAt(x.indices, x.data, x.indptr[u], x.indptr[u + 1], i);
        titleWeights[i] += (nb.sims[t] * vote * term) / dot;
      }
    }
    const titles: Contribution[] = [];
    for (let h = 0; h < history.indices.length; h++) {
      const i = history.indices[h];
      if (titleWeights[i] > 0) titles.push({ kind: "item", index: i, weight: titleWeights[i] });
    }
    const byWeight = (a: Contribution, b: Contribution) => b.weight - a.weight || a.index - b.index;
    return [...users.sort(byWeight).slice(0, k), ...titles.sort(byWeight).slice(0, k)];
  }

  serialize(): Uint8Array {
    const { x } = this;
    return encodeModel(
      { algorithm: this.algorithm, params: { ...this.params }, itemIds: this.itemIds, meta: { nUsers: x.nRows, userIds: this.userIds } },
      { indptr: x.indptr, indices: x.indices, data: x.data },
    );
  }
}

export const userKnn: AlgorithmSpec<UserKnnParams> = {
  name: "userknn",
  defaults: { k: 50, shrinkage: 10, confidence: "binary", alpha: 1, halfLifeDays: 0 },
  grid: { k: [10, 20, 50, 100, 200], shrinkage: [0, 10, 50] },
  refine: { halfLifeDays: [0.01, 0.1, 1, 10, 100] },
  validate,
  async fit(data: InteractionMatrix, params) {
    const p = validate(params);
    assertTrainable("userknn", data);
    const x = applyConfidence(data.scores, { kind: p.confidence, alpha: p.alpha }, recencyWeights(data.scores.indptr, data.lastEventAt, p.halfLifeDays));
    return new UserKnnModel(p, data.items.toArray().slice(), x, data.users.toArray().slice());
  },
  deserialize(bytes) {
    const { header, sections } = decodeModel(bytes);
    if (header.algorithm !== "userknn") throw new Error(`not a userknn model: the artifact holds "${header.algorithm}"`);
    const nUsers = Number(header.meta?.nUsers);
    const userIds = header.meta?.userIds;
    if (!Array.isArray(userIds) || userIds.length !== nUsers) throw new Error("corrupt userknn model: viewer ids missing");
    const { indptr, indices, data } = sections;
    if (!(indptr instanceof Int32Array) || !(indices instanceof Int32Array) || !(data instanceof Float32Array) || indptr.length !== nUsers + 1) {
      throw new Error("corrupt userknn model: matrix sections missing or of the wrong shape");
    }
    return new UserKnnModel(validate(header.params as Partial<UserKnnParams>), header.itemIds, {
      nRows: nUsers,
      nCols: header.itemIds.length,
      indptr,
      indices,
      data,
    }, userIds.map(String));
  },
};
