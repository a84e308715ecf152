import type { SparseRow } from "../matrix/csr-matrix";
import type { InteractionMatrix } from "../matrix/interaction-matrix";
import { decodeModel, encodeModel } from "./model-container";
import type { AlgorithmSpec, Contribution, RecommendOptions, Recommender, ScoredItems } from "./recommender";
import { assertTrainable, checkHistory, checkItem, checkK, exclusionMask, rejectUnknown, selectTopK } from "./common";

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

  recommend(history: SparseRow, k: number, options?: RecommendOptions): ScoredItems {
    checkK(k);
    checkHistory(history, this.itemIds.length);
    // A title nobody watched (or only disliked) is not popular or trending: minScore 0.
    return selectTopK(this.itemScores, k, exclusionMask(this.itemIds.length, history, options), options?.filter, 0);
  }

  similar(item: number, k: number, options?: RecommendOptions): ScoredItems {
    checkK(k);
    checkItem(item, this.itemIds.length);
    return selectTopK(this.itemScores, k, exclusionMask(this.itemIds.length, undefined, options, item), options?.filter, 0);
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
