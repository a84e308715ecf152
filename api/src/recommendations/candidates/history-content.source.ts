import type { Movie } from "../../movies/movie.entity";
import type { MovieFilter } from "../../movies/movie-filter.input";
import type { CatalogCache } from "../catalog-cache";
import { discountReserve, sunkRow } from "../filters/discount.filter";
import type { Eligible } from "../filters/eligibility";
import { eligibleNow, type PageContext } from "../home-request";
import type { RowDraft } from "../post-selection/home-page";
import type { RankedMovie, RecommendOptions } from "../recommendation.service";
import { RowKind } from "../row-kind";
import type { Candidate } from "./candidate";
import { popcount } from "./cold-titles.source";
import { favouriteGenres } from "./genre.source";

/**
 * Rows shaped by the viewer's own history while no model exists (the first start, before the
 * first training ends): "Because you watched X" by content (genres, then release year and
 * rating as tie-breakers) and "<Genre> picked for you" from the viewer's genres, ranked by
 * popularity within the genre. Once a model serves, the model's rows (item-kNN, fold-in) take
 * over and these are not used.
 */

/** Popularity within a genre: the SQL fallback ranking (PopularityRecommendationService). */
export type PopularityRanking = (profileId: string, options: RecommendOptions) => Promise<RankedMovie[]>;

/** Years apart beyond which release dates add nothing to the likeness of two titles. */
const YEAR_SPAN = 20;

/** The viewer's strongest recent titles still in the catalog, each a possible anchor: score decayed by age (as with a model). */
export function contentAnchors(ctx: PageContext): number[] {
  const { viewer, catalog, settings } = ctx;
  const now = Date.now();
  const halfLife = settings.anchorHalfLifeDays * 86_400_000;
  return viewer.entries
    .filter((e) => e.score > 0 && !e.disliked && catalog.movie(e.movieId))
    .map((e) => ({ id: e.movieId, pull: e.score * Math.pow(0.5, Math.max(0, now - e.lastEventAt) / halfLife) }))
    .sort((a, b) => b.pull - a.pull || a.id - b.id)
    .map((a) => a.id);
}

/**
 * Likeness of `other` to `anchor` by content: Jaccard of their genres (0..1), then up to 0.1
 * for a close release year and 0.05 for the same maturity rating, so that among the many
 * titles sharing a genre set the nearer ones come first. Zero when no genre is shared.
 */
export function contentSimilarity(anchor: Movie, anchorMask: number, other: Movie, otherMask: number): number {
  const shared = anchorMask & otherMask;
  if (!shared) return 0;
  let score = popcount(shared) / popcount(anchorMask | otherMask);
  if (anchor.year != null && other.year != null) score += 0.1 * Math.max(0, 1 - Math.abs(anchor.year - other.year) / YEAR_SPAN);
  if (anchor.maturityRating && anchor.maturityRating === other.maturityRating) score += 0.05;
  return score;
}

/** The `n` eligible titles most like `anchorId` by content, best first (ties: lower id). */
export function contentNeighbours(catalog: CatalogCache, anchorId: number, n: number, eligible: Eligible): Candidate[] {
  const anchor = catalog.movie(anchorId);
  const position = catalog.position(anchorId);
  if (!anchor || position < 0 || n <= 0) return [];
  const mask = catalog.genreMask(position);
  const out: Candidate[] = [];
  for (let p = 0; p < catalog.size; p++) {
    const other = catalog.movieAt(p);
    if (other.id === anchorId) continue;
    const score = contentSimilarity(anchor, mask, other, catalog.genreMask(p));
    if (score > 0 && eligible(other.id)) out.push({ movieId: other.id, score, index: -1 });
  }
  return out.sort((a, b) => b.score - a.score || a.movieId - b.movieId).slice(0, n);
}

/** "Because you watched X" without a model: the titles nearest X by content. */
export function becauseYouWatchedByContentRow(ctx: PageContext, anchorId: number): RowDraft {
  const { catalog, viewer, settings } = ctx;
  const anchor = catalog.movie(anchorId)!;
  const n = settings.rowSize + discountReserve(viewer, settings.rowSize);
  return {
    title: `Because you watched ${anchor.title}`,
    kind: RowKind.BECAUSE_YOU_WATCHED,
    anchor: anchorId,
    candidates: sunkRow(contentNeighbours(catalog, anchorId, n, eligibleNow(ctx)), viewer, settings.rowSize),
    reason: (c) => {
      const genres = catalog.movie(c.movieId)!.genres.filter((g) => anchor.genres.includes(g));
      return `${genres.join(", ")}, like ${anchor.title}`;
    },
  };
}

/** The request's filter narrowed to one genre; null when the filter's own genre excludes it. */
function withinGenre(filter: MovieFilter | null | undefined, genre: string): MovieFilter | null {
  if (filter?.genre && filter.genre !== genre) return null;
  if (filter?.genres?.length && !filter.genres.includes(genre)) return null;
  return { ...filter, genre };
}

/** "<Genre> picked for you" without a model: the genre's most watched titles the viewer has not finished or seen on this page. */
export async function genreByPopularityRow(ctx: PageContext, popularity: PopularityRanking, genre: string): Promise<RowDraft | null> {
  const { viewer, settings, page } = ctx;
  const filter = withinGenre(ctx.filter, genre);
  if (!filter) return null;
  // Enough to fill the row after the titles earlier rows took and the discounted ones sink.
  const first = Math.min(100, settings.rowSize + page.seen.size + discountReserve(viewer, settings.rowSize));
  const ranked = await popularity(viewer.profileId, { first, filter });
  const open = eligibleNow(ctx);
  const candidates = ranked.filter((r) => open(r.movie.id)).map((r) => ({ movieId: r.movie.id, score: r.score, index: -1 }));
  return {
    title: `${genre} picked for you`,
    kind: RowKind.GENRE,
    anchor: genre,
    candidates: sunkRow(candidates, viewer, settings.rowSize),
    reason: (c) => (c.score > 0 ? `Popular in ${genre}, a genre you watch` : `New in ${genre}, a genre you watch`),
  };
}

/** Because you watched, by content, for up to `becauseYouWatchedRows` of the viewer's anchors. */
export function addBecauseYouWatchedByContent(ctx: PageContext): void {
  for (const anchor of contentAnchors(ctx).slice(0, ctx.settings.becauseYouWatchedRows)) ctx.page.add(becauseYouWatchedByContentRow(ctx, anchor));
}

/** A row for each of the viewer's favourite genres (up to `genreRows`), by popularity within it. */
export async function addGenreRowsByPopularity(ctx: PageContext, popularity: PopularityRanking): Promise<void> {
  for (const genre of favouriteGenres(ctx.viewer, ctx.catalog).slice(0, ctx.settings.genreRows)) {
    const row = await genreByPopularityRow(ctx, popularity, genre);
    if (row) ctx.page.add(row);
  }
}

/** The fallback's Popular row without the titles that rows above it took (none for a viewer without history). */
export async function popularNotOnPage(ctx: PageContext, popularity: PopularityRanking): Promise<RankedMovie[]> {
  const { rowSize } = ctx.settings;
  const { seen } = ctx.page;
  const ranked = await popularity(ctx.viewer.profileId, { first: rowSize + seen.size, filter: ctx.filter });
  return seen.size === 0 ? ranked : ranked.filter((r) => !seen.has(r.movie.id)).slice(0, rowSize);
}
