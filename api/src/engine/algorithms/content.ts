import { transpose, type CsrMatrix, type SparseRow } from "../matrix/csr-matrix";
import type { InteractionMatrix } from "../matrix/interaction-matrix";
import { decodeModel, encodeModel } from "./model-container";
import type { AlgorithmSpec, Contribution, RecommendOptions, Recommender, ScoredItems } from "./recommender";
import { checkHistory, checkItem, checkK, choiceParam, exclusionMask, ParameterError, rejectUnknown, selectTopK } from "./common";

/**
 * Content similarity from per-title features (`InteractionMatrix.itemFeatures`, e.g. genres):
 * cosine between (optionally IDF-weighted) feature vectors. It is the model that can place a
 * title nobody has watched yet. Its catalog is the matrix's titles followed by the titles only
 * the features know, so histories over the matrix's title indices stay valid.
 * Genre vectors tie a lot; ties are broken by popularity (a 1e-6 nudge, never more than a tie).
 */
export interface ContentParams extends Record<string, unknown> {
  /** "idf" down-weights features most titles share (e.g. Drama); "none" uses them as given. */
  readonly weighting: "idf" | "none";
}

const KNOWN = ["weighting"];
const TIEBREAK = 1e-6;

function validate(params: Partial<ContentParams>): ContentParams {
  rejectUnknown("content", params, KNOWN);
  return { weighting: choiceParam("content", "weighting", params.weighting, "idf", ["idf", "none"] as const) };
}

export class ContentModel implements Recommender {
  readonly algorithm = "content";
  private readonly byFeature: CsrMatrix;

  constructor(
    readonly params: ContentParams,
    readonly itemIds: readonly string[],
    /** Titles x features, rows L2-normalised (a title without features has an empty row). */
    readonly features: CsrMatrix,
    /** Per title, popularity scaled to [0, 1]: the tie-break. */
    readonly popularity: Float32Array,
  ) {
    this.byFeature = transpose(features);
  }

  private scoreProfile(profile: Float64Array): Float64Array {
    const n = this.itemIds.length;
    const scores = new Float64Array(n);
    const ft = this.byFeature;
    for (let f = 0; f < profile.length; f++) {
      const w = profile[f];
      if (w === 0) continue;
      for (let p = ft.indptr[f]; p < ft.indptr[f + 1]; p++) scores[ft.indices[p]] += w * ft.data[p];
    }
    for (let j = 0; j < n; j++) scores[j] += TIEBREAK * this.popularity[j];
    return scores;
  }

  private addRow(profile: Float64Array, item: number, weight: number): void {
    const f = this.features;
    for (let p = f.indptr[item]; p < f.indptr[item + 1]; p++) profile[f.indices[p]] += weight * f.data[p];
  }

  recommend(history: SparseRow, k: number, options?: RecommendOptions): ScoredItems {
    checkK(k);
    checkHistory(history, this.itemIds.length);
    const profile = new Float64Array(this.features.nCols);
    for (let h = 0; h < history.indices.length; h++) {
      if (history.data[h] > 0) this.addRow(profile, history.indices[h], 1);
    }
    return selectTopK(this.scoreProfile(profile), k, exclusionMask(this.itemIds.length, history, options), options?.filter);
  }

  similar(item: number, k: number, options?: RecommendOptions): ScoredItems {
    checkK(k);
    checkItem(item, this.itemIds.length);
    const profile = new Float64Array(this.features.nCols);
    this.addRow(profile, item, 1);
    // Only titles sharing a feature are "like" this one: the tie-break alone is no evidence.
    return selectTopK(this.scoreProfile(profile), k, exclusionMask(this.itemIds.length, undefined, options, item), options?.filter, TIEBREAK);
  }

  explain(history: SparseRow, item: number, k = 5): Contribution[] {
    checkItem(item, this.itemIds.length);
    checkHistory(history, this.itemIds.length);
    const target = new Float64Array(this.features.nCols);
    this.addRow(target, item, 1);
    const f = this.features;
    const found: Contribution[] = [];
    for (let h = 0; h < history.indices.length; h++) {
      if (!(history.data[h] > 0)) continue;
      const i = history.indices[h];
      let cos = 0;
      for (let p = f.indptr[i]; p < f.indptr[i + 1]; p++) cos += f.data[p] * target[f.indices[p]];
      if (cos > 0) found.push({ kind: "item", index: i, weight: cos });
    }
    return found.sort((a, b) => b.weight - a.weight || a.index - b.index).slice(0, k);
  }

  serialize(): Uint8Array {
    const f = this.features;
    return encodeModel(
      { algorithm: this.algorithm, params: { ...this.params }, itemIds: this.itemIds, meta: { nFeatures: f.nCols } },
      { indptr: f.indptr, indices: f.indices, data: f.data, popularity: this.popularity },
    );
  }
}

export const content: AlgorithmSpec<ContentParams> = {
  name: "content",
  defaults: { weighting: "idf" },
  grid: { weighting: ["idf", "none"] },
  validate,
  async fit(data: InteractionMatrix, params) {
    const p = validate(params);
    const given = data.itemFeatures;
    if (!given || given.itemIds.length === 0) {
      throw new ParameterError("content: needs itemFeatures (per-title genres or tags) on the interaction matrix; none were given");
    }
    if (given.features.nRows !== given.itemIds.length) {
      throw new ParameterError(`content: itemFeatures has ${given.itemIds.length} ids but ${given.features.nRows} feature rows`);
    }
    // Catalog: the matrix's titles, then titles only the features know.
    const ids = data.items.toArray().slice();
    const position = new Map<string, number>();
    ids.forEach((id, i) => position.set(id, i));
    const rowOf = new Int32Array(given.itemIds.length);
    given.itemIds.forEach((id, r) => {
      let at = position.get(id);
      if (at === undefined) {
        at = ids.length;
        ids.push(id);
        position.set(id, at);
      }
      rowOf[r] = at;
    });
    const n = ids.length;
    const nF = given.features.nCols;
    const src = given.features;

    const df = new Float64Array(nF);
    for (let q = 0; q < src.indices.length; q++) if (src.data[q] > 0) df[src.indices[q]]++;
    const idf = new Float64Array(nF);
    for (let f = 0; f < nF; f++) idf[f] = p.weighting === "idf" && df[f] > 0 ? Math.log(1 + given.itemIds.length / df[f]) : 1;

    const rowStart = new Int32Array(n + 1);
    for (let r = 0; r < src.nRows; r++) rowStart[rowOf[r] + 1] = src.indptr[r + 1] - src.indptr[r];
    for (let i = 0; i < n; i++) rowStart[i + 1] += rowStart[i];
    const indices = new Int32Array(rowStart[n]);
    const values = new Float32Array(rowStart[n]);
    for (let r = 0; r < src.nRows; r++) {
      let at = rowStart[rowOf[r]];
      let norm = 0;
      for (let q = src.indptr[r]; q < src.indptr[r + 1]; q++) {
        const v = Math.max(0, src.data[q]) * idf[src.indices[q]];
        norm += v * v;
      }
      norm = Math.sqrt(norm) || 1;
      for (let q = src.indptr[r]; q < src.indptr[r + 1]; q++) {
        indices[at] = src.indices[q];
        values[at++] = (Math.max(0, src.data[q]) * idf[src.indices[q]]) / norm;
      }
    }
    const popularity = new Float32Array(n);
    const s = data.scores;
    for (let q = 0; q < s.indices.length; q++) if (s.data[q] > 0) popularity[s.indices[q]]++;
    let max = 0;
    for (let i = 0; i < n; i++) max = Math.max(max, popularity[i]);
    if (max > 0) for (let i = 0; i < n; i++) popularity[i] /= max;
    return new ContentModel(p, ids, { nRows: n, nCols: nF, indptr: rowStart, indices, data: values }, popularity);
  },
  deserialize(bytes) {
    const { header, sections } = decodeModel(bytes);
    if (header.algorithm !== "content") throw new Error(`not a content model: the artifact holds "${header.algorithm}"`);
    const n = header.itemIds.length;
    const { indptr, indices, data, popularity } = sections;
    if (
      !(indptr instanceof Int32Array) || !(indices instanceof Int32Array) || !(data instanceof Float32Array) ||
      !(popularity instanceof Float32Array) || indptr.length !== n + 1 || popularity.length !== n
    ) {
      throw new Error("corrupt content model: feature sections missing or of the wrong shape");
    }
    const nF = Number(header.meta?.nFeatures);
    return new ContentModel(validate(header.params as Partial<ContentParams>), header.itemIds, { nRows: n, nCols: nF, indptr, indices, data }, popularity);
  },
};
