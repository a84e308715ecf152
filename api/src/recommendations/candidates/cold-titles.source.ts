import type { CatalogCache } from "../catalog-cache";
import type { Eligible } from "../filters/eligibility";
import type { ViewerContext } from "../viewer-context";
import type { Candidate } from "./candidate";

/**
 * Titles nobody has watched yet, by cosine between their genres and the viewer's genre profile.
 * Only a title that would enter the best `n` is tested for eligibility (there may be thousands).
 */
export function coldCandidates(viewer: ViewerContext, catalog: CatalogCache, n: number, eligible: Eligible): Candidate[] {
  const profile = viewer.genreProfile;
  let norm = 0;
  for (const w of profile) norm += w * w;
  if (norm === 0 || n <= 0) return [];
  const added = (id: number) => catalog.movie(id)!.addedAt.getTime();
  // Equal genre fit: the newest title first (it is the one most in need of an audience).
  const ahead = (score: number, movieId: number, than: Candidate) =>
    score !== than.score ? score > than.score : added(movieId) !== added(than.movieId) ? added(movieId) > added(than.movieId) : movieId > than.movieId;
  const best: Candidate[] = [];
  for (const p of catalog.coldPositions()) {
    const mask = catalog.genreMask(p);
    let dot = 0;
    let bits = 0;
    for (let m = mask; m !== 0; m &= m - 1) {
      dot += profile[31 - Math.clz32(m & -m)];
      bits++;
    }
    if (!(dot > 0)) continue;
    const score = dot / Math.sqrt(norm * bits);
    if (best.length === n && !(score >= best[n - 1].score)) continue;
    const movieId = catalog.movieAt(p).id;
    if (best.length === n && !ahead(score, movieId, best[n - 1])) continue;
    if (!eligible(movieId)) continue;
    let at = best.length;
    while (at > 0 && ahead(score, movieId, best[at - 1])) at--;
    best.splice(at, 0, { movieId, score, index: -1 });
    if (best.length > n) best.pop();
  }
  return best;
}

/** Titles sharing the most genres with `mask` (Jaccard), for "More like this" on a title nobody watched. */
export function genreNeighbours(catalog: CatalogCache, mask: number, n: number, eligible: Eligible): Candidate[] {
  if (!mask) return [];
  const out: Candidate[] = [];
  for (let p = 0; p < catalog.size; p++) {
    const other = catalog.genreMask(p);
    const movieId = catalog.movieAt(p).id;
    if (!(other & mask) || !eligible(movieId)) continue;
    out.push({ movieId, score: popcount(other & mask) / popcount(other | mask), index: -1 });
  }
  return out.sort((a, b) => b.score - a.score || a.movieId - b.movieId).slice(0, n);
}

export function popcount(x: number): number {
  let n = 0;
  for (let v = x >>> 0; v !== 0; v &= v - 1) n++;
  return n;
}
