import { randomInt } from "node:crypto";
import type { DataSource } from "typeorm";
import { Random } from "../engine/synthetic/random";
import type { TitleImpressionStats } from "../impressions/title-stats";
import { BadUserInputError, NotFoundError } from "../common/errors";
import { parseMovieId, parseProfileId } from "../common/ids";
import type { ModelServer, ServingModel } from "../models/model-server";
import { validateMovieFilter } from "../movies/movie-filter.sql";
import type { MovieFilter } from "../movies/movie-filter.input";
import { anchors, becauseYouWatchedRow } from "./candidates/because-you-watched.source";
import { staticCandidates, type Candidate } from "./candidates/candidate";
import { continueWatchingRow } from "./candidates/continue-watching.source";
import { favouriteGenres, genreRow } from "./candidates/genre.source";
import { addBecauseYouWatchedByContent, addGenreRowsByPopularity, popularNotOnPage } from "./candidates/history-content.source";
import { moreLikeThis } from "./candidates/more-like-this.source";
import { newTitlesRow } from "./candidates/new-titles.source";
import { POPULAR_TITLE, popularRow } from "./candidates/popular.source";
import { personalPool, POOL_DEPTH, scoredModelPool, topPicks, topPicksRow } from "./candidates/top-picks.source";
import { trendingRow } from "./candidates/trending.source";
import { viewersLikeYouRow } from "./candidates/viewers-like-you.source";
import type { ArmAssignment, ExperimentAssigner } from "./arm-assignment";
import type { CatalogCache } from "./catalog-cache";
import { GateFactory } from "./filters/eligibility";
import type { HomeRow } from "./home-row.type";
import { eligibleNow, type HomeRequest, type PageContext } from "./home-request";
import { HomePage, servedItem, servedList } from "./post-selection/home-page";
import { personalReason, ReasonBudget } from "./post-selection/reasons";
import type { PopularityRecommendationService, RecommendationProvider, RecommendOptions } from "./recommendation.service";
import type { RecommendedMovie } from "./recommended-movie.type";
import { RowKind } from "./row-kind";
import { DEFAULT_ROW_SETTINGS, type RowSettings } from "./row-settings";
import type { ServedResponse, ServingIdSigner } from "./serving-ids";
import { ScoredPoolCache } from "./scored-pool-cache";
import { Surface } from "./surface";
import { buildViewerContext, type ViewerContext } from "./viewer-context";
import { ViewerHistoryRepository } from "./viewer-history.repository";

/** Viewers whose scored pool HomeService keeps by default (about 5 kB each). */
export const DEFAULT_POOL_CACHE_SIZE = 10_000;

/**
 * Netflix-style rows from the engine, composed as a pipeline of small stages: the viewer's
 * context (one indexed read of interaction_scores, folded into the serving model, so an event
 * logged a moment ago already moves the next response), candidate sources (one module per row
 * kind under candidates/), filters (filters/), the scoring chain (scorers/), selection into rows
 * (selection/) and post-selection (post-selection/: no title twice, reasons). This class only
 * orders the stages.
 */
export class HomeService implements RecommendationProvider {
  private readonly settings: RowSettings;
  private readonly history: ViewerHistoryRepository;
  private readonly gates: GateFactory;
  /** Each recent viewer's scored pool (ScoredPoolCache), cleared when the serving model switches. */
  readonly pools: ScoredPoolCache;

  constructor(
    dataSource: DataSource,
    private readonly models: ModelServer,
    private readonly catalog: CatalogCache,
    /** Serves Top picks while no model has been trained yet. */
    private readonly fallback: Pick<PopularityRecommendationService, "recommend">,
    /** Stamps every served title with its recommendationId. */
    private readonly servingIds: ServingIdSigner,
    /** Titles' recent impressions and clicks, for exploration. */
    private readonly titleRates: TitleImpressionStats,
    settings: Partial<RowSettings> = {},
    /** Running experiments: which arm (model, settings) serves a viewer. None: the default for all. */
    private readonly experiments: ExperimentAssigner | null = null,
    /** Viewers whose scored pool is kept (0: none). */
    poolCacheSize = DEFAULT_POOL_CACHE_SIZE,
  ) {
    this.settings = { ...DEFAULT_ROW_SETTINGS, ...settings };
    this.pools = new ScoredPoolCache(poolCacheSize);
    models.on("switched", () => this.pools.clear());
    this.history = new ViewerHistoryRepository(dataSource);
    this.gates = new GateFactory(catalog);
  }

  /** Top picks: the `recommendations` field (surface TOP_PICKS), or the list onboarding leads to (ONBOARDING). */
  recommend(rawProfileId: string, options: RecommendOptions, surface = Surface.TOP_PICKS): Promise<RecommendedMovie[]> {
    checkFirst(options.first);
    validateMovieFilter(options.filter);
    const profileId = parseProfileId(rawProfileId);
    return this.withArm(surface, profileId, (arm) => this.recommendAs(profileId, options, surface, arm));
  }

  private async recommendAs(profileId: string, options: RecommendOptions, surface: Surface, arm: ArmAssignment | null): Promise<RecommendedMovie[]> {
    const settings = this.settingsOf(arm);
    const model = this.modelOf(arm);
    const catalog = await this.catalog.ready();
    const viewer = await this.viewer(profileId, model, settings);
    const response = this.served(surface, viewer.profileId, model, arm);
    if (!model) return (await this.fallback.recommend(viewer.profileId, options)).map((r, i) => servedItem(r, response, RowKind.TOP_PICKS, 0, i));
    const req = this.request(model, viewer, options.filter, response, settings);
    if (!viewer.personal) {
      return servedList(catalog, staticCandidates(model.bundle.popular, options.first, req.gate.filter(), model, catalog), () => POPULAR_TITLE, response, RowKind.TOP_PICKS);
    }
    // Outside a page, every title may spend on its reason (a short list, asked for on its own).
    const eligible = eligibleNow(req);
    const picks = topPicks(req, personalPool(req, req.gate.filter(eligible), eligible, options.first * 2 + 10, options.first), eligible, options.first);
    return servedList(catalog, picks, (c) => personalReason(req, c), response, RowKind.TOP_PICKS);
  }

  /**
   * "More like this": titles with similar audiences (or genres, for a title nobody watched yet).
   * `viewerProfileId` (the session's, if any) only goes into the serving ids.
   */
  similar(rawMovieId: string, first: number, filter?: MovieFilter | null, viewerProfileId: string | null = null): Promise<RecommendedMovie[]> {
    checkFirst(first);
    validateMovieFilter(filter);
    return this.withArm(Surface.MORE_LIKE_THIS, viewerProfileId, (arm) => this.similarAs(rawMovieId, first, filter, viewerProfileId, arm));
  }

  private async similarAs(rawMovieId: string, first: number, filter: MovieFilter | null | undefined, viewerProfileId: string | null, arm: ArmAssignment | null): Promise<RecommendedMovie[]> {
    const movieId = parseMovieId(rawMovieId, {});
    const catalog = await this.catalog.ready();
    if (!catalog.movie(movieId)) await catalog.reload();
    const anchor = catalog.movie(movieId);
    if (!anchor) throw new NotFoundError(`No movie has id ${movieId}: list them with the movies query`, { field: "movieId" });
    const model = this.modelOf(arm);
    const { candidates, reason } = moreLikeThis(model, catalog, this.gates, anchor, first, filter);
    return servedList(catalog, candidates, reason, this.served(Surface.MORE_LIKE_THIS, viewerProfileId, model, arm), RowKind.MORE_LIKE_THIS);
  }

  /** The home page: ordered rows; no title appears twice except in Continue watching. */
  home(rawProfileId: string, filter?: MovieFilter | null): Promise<HomeRow[]> {
    validateMovieFilter(filter);
    const profileId = parseProfileId(rawProfileId);
    return this.withArm(Surface.HOME, profileId, (arm) => this.homeAs(profileId, filter, arm));
  }

  private async homeAs(profileId: string, filter: MovieFilter | null | undefined, arm: ArmAssignment | null): Promise<HomeRow[]> {
    const settings = this.settingsOf(arm);
    const { rowSize } = settings;
    const model = this.modelOf(arm);
    const catalog = await this.catalog.ready();
    const viewer = await this.viewer(profileId, model, settings);
    const response = this.served(Surface.HOME, viewer.profileId, model, arm);

    if (!model) {
      // Nothing trained yet (first start): the viewer's own history by content (Because you
      // watched), popularity from SQL, the viewer's genres by popularity, the newest titles.
      const ctx: PageContext = { settings, catalog, viewer, filter, page: new HomePage(catalog, null, response) };
      const popularity = (profileId: string, options: RecommendOptions) => this.fallback.recommend(profileId, options);
      ctx.page.add(continueWatchingRow(ctx));
      addBecauseYouWatchedByContent(ctx);
      ctx.page.addRanked({ title: POPULAR_TITLE, kind: RowKind.POPULAR }, await popularNotOnPage(ctx, popularity));
      await addGenreRowsByPopularity(ctx, popularity);
      ctx.page.add(newTitlesRow(ctx, eligibleNow(ctx)));
      return ctx.page.rows;
    }

    const req = this.request(model, viewer, filter, response, settings);
    const { page } = req;
    page.add(continueWatchingRow(req));
    // One fold-in per request: Top picks and the genre rows all draw from this scored pool.
    const pool = viewer.personal ? personalPool(req, req.gate.filter(), eligibleNow(req), POOL_DEPTH, rowSize, this.scoredPool(req)) : [];
    if (viewer.personal) {
      page.add(topPicksRow(req, pool));
      for (const anchor of anchors(req).slice(0, settings.becauseYouWatchedRows)) page.add(becauseYouWatchedRow(req, anchor));
      page.add(viewersLikeYouRow(req));
    }
    page.add(trendingRow(req));
    if (viewer.personal) {
      for (const genre of favouriteGenres(viewer, catalog).slice(0, settings.genreRows)) page.add(genreRow(req, pool, genre));
    } else {
      page.add(popularRow(req));
    }
    page.add(newTitlesRow(req, eligibleNow(req)));
    return page.rows;
  }

  /**
   * The request's experiment arm (if its viewer is in a running experiment on the surface), and
   * the request timed and its failure counted for that arm's guardrails.
   */
  private async withArm<T>(surface: Surface, profileId: string | null, serve: (arm: ArmAssignment | null) => Promise<T>): Promise<T> {
    const arm = this.experiments?.assign(surface, profileId) ?? null;
    if (!arm) return serve(null);
    const started = performance.now();
    let failed = true;
    try {
      const result = await serve(arm);
      failed = false;
      return result;
    } catch (error) {
      // A viewer's bad input (an unknown title, a bad filter) is not the arm failing.
      if (isUserError(error)) failed = false;
      throw error;
    } finally {
      arm.done(performance.now() - started, failed);
    }
  }

  private settingsOf(arm: ArmAssignment | null): RowSettings {
    return arm && Object.keys(arm.settings).length > 0 ? { ...this.settings, ...arm.settings } : this.settings;
  }

  private modelOf(arm: ArmAssignment | null): ServingModel | null {
    return arm?.model ?? this.models.current;
  }

  /** The model's scored pool for home: from the cache while the viewer's history watermark (and the rest of the key) holds. */
  private scoredPool(req: HomeRequest): Candidate[] {
    const compute = () => scoredModelPool(req, req.gate.filter(), POOL_DEPTH, req.settings.rowSize);
    const { viewer } = req;
    if (viewer.watermark === undefined) return compute();
    const key = { profileId: viewer.profileId, watermark: viewer.watermark, model: req.model, catalogVersion: req.catalog.version, filter: req.filter, settings: req.settings, seen: req.page.seen };
    return this.pools.pool(key, compute);
  }

  /** Query hydration: the viewer's context from its one history read. */
  private async viewer(profileId: string, model: ServingModel | null, settings: RowSettings): Promise<ViewerContext> {
    const { discountShows, discountDays } = settings;
    const discount = discountShows > 0 && discountDays > 0 ? { since: new Date(Date.now() - discountDays * 86_400_000), shows: discountShows } : null;
    const history = await this.history.read(profileId, discount, model?.eventWeights ?? null);
    if (!history) throw new NotFoundError(`No profile has id ${profileId}: list them with the profiles query`, { field: "profileId" });
    return { ...buildViewerContext(profileId, history.entries, model, this.catalog, settings, history.discounted), watermark: history.watermark };
  }

  /** A request's shared state over the serving model: its Gate (filters as a mask), page and reason budget. */
  private request(model: ServingModel, viewer: ViewerContext, filter: MovieFilter | null | undefined, response: ServedResponse, settings: RowSettings): HomeRequest {
    const gate = this.gates.gate(model, viewer.blocked, filter);
    return {
      settings,
      catalog: this.catalog,
      viewer,
      model,
      filter,
      gate,
      page: new HomePage(this.catalog, gate, response),
      reasons: new ReasonBudget(),
      rates: this.titleRates.current(),
      random: new Random(randomInt(2 ** 31)),
    };
  }

  /** The serving ids of one response: who, where, by which model and experiment arm, now. */
  private served(surface: Surface, profileId: string | null, model: ServingModel | null, arm: ArmAssignment | null): ServedResponse {
    return this.servingIds.response({ servedAt: Date.now(), surface, profileId, modelId: model?.record.id ?? null, experimentId: arm?.experimentId ?? null, arm: arm?.arm ?? null });
  }
}

function isUserError(error: unknown): boolean {
  const code = (error as { extensions?: { code?: unknown } })?.extensions?.code;
  return code === "BAD_USER_INPUT" || code === "NOT_FOUND";
}

function checkFirst(first: number): void {
  if (!Number.isInteger(first) || first < 1 || first > 100) {
    throw new BadUserInputError(`first must be between 1 and 100, got ${first}`, { field: "first" });
  }
}
