import type { ViewerContext } from "../viewer-context";

/**
 * Impression discounting: the titles a viewer was shown several times lately without acting on
 * them (ViewerContext.discounted, from impressions logged before this request, so never on the
 * page being read) sink below the others, which keep their order.
 */
export function sinkDiscounted<T extends { readonly movieId: number }>(candidates: T[], viewer: ViewerContext): T[] {
  const { discounted } = viewer;
  if (discounted.size === 0) return candidates;
  const fresh: T[] = [];
  const stale: T[] = [];
  for (const c of candidates) (discounted.has(c.movieId) ? stale : fresh).push(c);
  return stale.length === 0 ? candidates : fresh.concat(stale);
}

/** How many titles beyond a row's size to ask a source for, so that sinking can bring others up. */
export function discountReserve(viewer: ViewerContext, rowSize: number): number {
  return Math.min(viewer.discounted.size, rowSize);
}

/** A row from a source asked for `rowSize + discountReserve` titles: discounted ones sunk, cut to the row. */
export function sunkRow<T extends { readonly movieId: number }>(candidates: T[], viewer: ViewerContext, rowSize: number): T[] {
  const sunk = sinkDiscounted(candidates, viewer);
  return sunk.length > rowSize ? sunk.slice(0, rowSize) : sunk;
}
