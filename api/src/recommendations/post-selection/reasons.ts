import type { Contribution, Recommender } from "../../engine/algorithms/recommender";
import type { CatalogCache } from "../catalog-cache";
import type { Candidate } from "../candidates/candidate";
import type { ScoringContext } from "../home-request";
import type { ViewerContext } from "../viewer-context";

/** Caps the expensive explain() calls of one request. */
export class ReasonBudget {
  private left = 5;
  spend(): boolean {
    return this.left-- > 0;
  }
}

/**
 * "Because you watched X": X is the viewer's title with the largest item-kNN contribution
 * (a lookup per history title). Only when item-kNN has no link does the Top picks model's
 * own explain() run (for iALS a solve per call), a few times per request at most.
 */
export function personalReason(ctx: ScoringContext, c: Candidate, budget = new ReasonBudget()): string {
  const { model, viewer, catalog } = ctx;
  if (c.index < 0) {
    const genre = topSharedGenre(viewer, catalog, c.movieId);
    return genre ? `New to Marquee, for fans of ${genre}` : "New to Marquee";
  }
  const own =
    strongestOwnTitle(model.bundle.itemKnn, viewer, catalog, c.index) ??
    (model.bundle.topPicks !== model.bundle.itemKnn && budget.spend() ? strongestOwnTitle(model.bundle.topPicks, viewer, catalog, c.index) : null);
  return own ? `Because you watched ${own}` : "Picked for your taste";
}

/**
 * "Popular with viewers who liked X": X is the viewer's title most co-watched with the
 * candidate (item-kNN similarity is co-viewing), which is what the neighbours share. Asking
 * user-kNN per item would recompute the neighbourhood for every item of the row.
 */
export function friendsReason(ctx: ScoringContext, c: Candidate): string {
  const own = strongestOwnTitle(ctx.model.bundle.itemKnn, ctx.viewer, ctx.catalog, c.index);
  return own ? `Popular with viewers who liked ${own}` : "Popular with viewers like you";
}

/** The title of the viewer's own history that contributed most, per the model's explain(). */
function strongestOwnTitle(model: Recommender, viewer: ViewerContext, catalog: CatalogCache, index: number): string | null {
  let contributions: Contribution[];
  try {
    contributions = model.explain(viewer.history, index, 3);
  } catch {
    return null;
  }
  for (const c of contributions) {
    if (c.kind !== "item" || c.weight <= 0) continue;
    const movie = catalog.movie(Number(model.itemIds[c.index]));
    if (movie) return movie.title;
  }
  return null;
}

/** The viewer's strongest genre among the title's genres. */
function topSharedGenre(viewer: ViewerContext, catalog: CatalogCache, movieId: number): string | undefined {
  const movie = catalog.movie(movieId);
  if (!movie) return undefined;
  let best: string | undefined;
  let weight = 0;
  for (const g of movie.genres) {
    const bit = catalog.genreBit(g);
    if (bit >= 0 && viewer.genreProfile[bit] > weight) {
      weight = viewer.genreProfile[bit];
      best = g;
    }
  }
  return best;
}
