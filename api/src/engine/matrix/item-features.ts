import type { CsrMatrix } from "./csr-matrix";

/**
 * Per-title content features (genres, tags, cast...), the extra input of the content model.
 * Row r of `features` describes title `itemIds[r]`; the ids may include titles nobody has watched
 * yet (that is the point: they still get "more like this" neighbours). Values are weights (1 for a
 * genre the title has); `featureNames` is for explanations and reports only.
 */
export interface ItemFeatures {
  readonly itemIds: readonly string[];
  readonly features: CsrMatrix;
  readonly featureNames?: readonly string[];
}

/**
 * Features from one genre bitmask per title (bit g set = the title has genre g), as stored for
 * the catalog. At most 32 genres.
 */
export function fromGenreBitmasks(itemIds: readonly string[], masks: Uint32Array, genreNames?: readonly string[]): ItemFeatures {
  if (masks.length !== itemIds.length) throw new RangeError(`one genre mask per title: ${itemIds.length} titles, ${masks.length} masks`);
  const nGenres = genreNames?.length ?? 32;
  if (nGenres > 32) throw new RangeError(`genre bitmasks hold at most 32 genres, got ${nGenres}`);
  let nnz = 0;
  for (let i = 0; i < masks.length; i++) for (let m = masks[i]; m !== 0; m &= m - 1) nnz++;
  const indptr = new Int32Array(masks.length + 1);
  const indices = new Int32Array(nnz);
  let out = 0;
  for (let i = 0; i < masks.length; i++) {
    for (let g = 0; g < 32; g++) {
      if ((masks[i] >>> g) & 1) {
        if (g >= nGenres) throw new RangeError(`title ${itemIds[i]} has genre bit ${g} but only ${nGenres} genres are named`);
        indices[out++] = g;
      }
    }
    indptr[i + 1] = out;
  }
  return {
    itemIds,
    features: { nRows: masks.length, nCols: nGenres, indptr, indices, data: new Float32Array(nnz).fill(1) },
    featureNames: genreNames,
  };
}
