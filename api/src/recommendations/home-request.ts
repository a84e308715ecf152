import type { Random } from "../engine/synthetic/random";
import type { TitleRates } from "../impressions/title-stats";
import type { ServingModel } from "../models/model-server";
import type { MovieFilter } from "../movies/movie-filter.input";
import type { CatalogCache } from "./catalog-cache";
import { eligibility, type Eligible, type Gate } from "./filters/eligibility";
import type { HomePage } from "./post-selection/home-page";
import type { ReasonBudget } from "./post-selection/reasons";
import type { RowSettings } from "./row-settings";
import type { ViewerContext } from "./viewer-context";

/** What every stage of one request may read: the viewer, the catalog, the settings. */
export interface ScoringContext {
  readonly settings: RowSettings;
  readonly catalog: CatalogCache;
  readonly viewer: ViewerContext;
  readonly model: ServingModel;
}

/** The page being composed, for rows that need no model (Continue watching, New). */
export interface PageContext {
  readonly settings: RowSettings;
  readonly catalog: CatalogCache;
  readonly viewer: ViewerContext;
  readonly filter: MovieFilter | null | undefined;
  readonly page: HomePage;
}

/** One request over the serving model: the stages' shared state. */
export interface HomeRequest extends PageContext, ScoringContext {
  /** The page's filters over model title indices (closed as rows take titles). */
  readonly gate: Gate;
  /** Caps the costly explain() calls of the request's reasons. */
  readonly reasons: ReasonBudget;
  /** Titles' recent impressions and clicks (exploration's posteriors). */
  readonly rates: TitleRates;
  /** This request's randomness (exploration). */
  readonly random: Random;
}

/** The page's filters as they stand now: not blocked, not shown in an earlier row, in the catalog and the filter. */
export function eligibleNow(ctx: PageContext): Eligible {
  return eligibility(ctx.catalog, ctx.viewer.blocked, ctx.filter, ctx.page.seen);
}
