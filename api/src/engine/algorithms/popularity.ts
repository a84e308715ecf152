import type { SparseRow } from "../matrix/csr-matrix";
import type { InteractionMatrix } from "../matrix/interaction-matrix";
import { decodeModel, encodeModel } from "./model-container";
import type { AlgorithmSpec, Contribution, RecommendOptions, Recommender, ScoredItems } from "./recommender";
import { assertTrainable, checkHistory, checkItem, checkK, exclusionMask, rejectUnknown } from "./common";

/** Most popular titles: how many viewers have a positive score on each (dislikes never count). */
export type PopularityParams = Record<string, never>;

/**
 * A ranking that is the same for every viewer (Popularity, Trending): one score per title.
 * `similar` returns the best-ranked other titles, and `explain` has nothing personal to say.
 */
export class StaticRanking implements Recommender {
  constructor(
    readonly algorithm: string,
    readonly params: Readonly<Record<string, unknown>>,
    readonly itemIds: readonly string[],
    /** Per title. */
    readonly itemScores: Float32Array,
  ) {}

  /** Titles with a positive score, best first (ties: lower index), sorted once on first use. */
  private ranked?: Int32Array;

  recommend(history: SparseRow, k: number, options?: RecommendOptions): ScoredItems {
    checkK(k);
    checkHistory(history, this.itemIds.length);
    return this.firstEligible(k, exclusionMask(this.itemIds.length, history, options), options?.filter);
  }

  similar(item: number, k: number, options?: RecommendOptions): ScoredItems {
    checkK(k);
    checkItem(item, this.itemIds.length);
    return this.firstEligible(k, exclusionMask(this.itemIds.length, undefined, options, item), options?.filter);
  }

  /**
   * The same answer as selectTopK over the scores with minScore 0 (a title nobody watched, or only
   * disliked, is not popular or trending), but a walk down the presorted ranking that stops after
   * k eligible titles instead of a pass over the whole catalog per request.
   */
  private firstEligible(k: number, mask: Uint8Array, filter: ((item: number) => boolean) | undefined): ScoredItems {
    const ranked = (this.ranked ??= rank(this.itemScores));
    const items = new Int32Array(Math.min(k, ranked.length));
    let n = 0;
    for (let r = 0; r < ranked.length && n < items.length; r++) {
      const item = ranked[r];
      if (mask[item] || (filter && !filter(item))) continue;
      items[n++] = item;
    }
    const out = items.slice(0, n);
    return { items: out, scores: Float32Array.from(out, (i) => this.itemScores[i]) };
  }

  explain(history: SparseRow, item: number): Contribution[] {
    checkHistory(history, this.itemIds.length);
    checkItem(item, this.itemIds.length);
    return [];
  }

  serialize(): Uint8Array {
    return encodeModel({ algorithm: this.algorithm, params: { ...this.params }, itemIds: this.itemIds }, { itemScores: this.itemScores });
  }

  static deserialize(expected: string, bytes: Uint8Array): StaticRanking {
    const { header, sections } = decodeModel(bytes);
    if (header.algorithm !== expected) throw new Error(`not a ${expected} model: the artifact holds "${header.algorithm}"`);
    const scores = sections.itemScores;
    if (!(scores instanceof Float32Array) || scores.length !== header.itemIds.length) {
      throw new Error(`corrupt ${expected} model: itemScores missing or of the wrong length`);
    }
    return new StaticRanking(header.algorithm, header.params, header.itemIds, scores);
  }
}

/** Indices of the positive scores, best first, ties by lower index (selectTopK's order). */
function rank(scores: Float32Array): Int32Array {
  const positive: number[] = [];
  for (let i = 0; i < scores.length; i++) if (scores[i] > 0) positive.push(i);
  return Int32Array.from(positive).sort((a, b) => scores[b] - scores[a] || a - b);
}

export const popularity: AlgorithmSpec<PopularityParams> = {
  name: "popular",
  defaults: {},
  grid: {},
  validate(params) {
    rejectUnknown("popular", params, []);
    return {};
  },
  async fit(data: InteractionMatrix, params) {
    const p = popularity.validate(params);
    assertTrainable("popular", data);
    const { scores } = data;
    const counts = new Float32Array(scores.nCols);
    for (let i = 0; i < scores.indices.length; i++) if (scores.data[i] > 0) counts[scores.indices[i]]++;
    return new StaticRanking("popular", p, data.items.toArray().slice(), counts);
  },
  deserialize(bytes) {
    return StaticRanking.deserialize("popular", bytes);
  },
};
