/**
 * A frozen copy of api/src/recommendations/home.service.ts as it stood at 9836812, before the home
 * path was split into stages (issue 10): the oracle of home-characterisation.test.ts. Only the
 * import paths, the class name and the types of what it returns (plain objects, as then: the
 * served types now carry serving ids) differ from the original. Do not "improve" this file:
 * its worth is that it does exactly what the single-class service did.
 */
import type { DataSource } from "typeorm";
import { BadUserInputError, NotFoundError } from "../../src/common/errors";
import { parseMovieId, parseProfileId } from "../../src/common/ids";
import type { Contribution, Recommender, ScoredItems } from "../../src/engine/algorithms/recommender";
import type { SparseRow } from "../../src/engine/matrix/csr-matrix";
import type { ModelServer, ServingModel } from "../../src/models/model-server";
import { validateMovieFilter } from "../../src/movies/movie-filter.sql";
import type { MovieFilter } from "../../src/movies/movie-filter.input";
import type { CatalogCache } from "../../src/recommendations/catalog-cache";
import type { RankedMovie, RecommendOptions } from "../../src/recommendations/recommendation.service";
import { RowKind } from "../../src/recommendations/row-kind";

type RecommendedMovie = RankedMovie & { progress?: number | null };
interface HomeRow {
  title: string;
  kind: RowKind;
  items: RecommendedMovie[];
}
interface RecommendationProvider {
  recommend(profileId: string, options: RecommendOptions): Promise<RecommendedMovie[]>;
}

/** How rows are composed; every knob has a sensible default (see DEFAULT_ROW_SETTINGS). */
export interface RowSettings {
  /** Titles per row. */
  readonly rowSize: number;
  /** Leave titles the viewer watched to the end out of recommendations. */
  readonly excludeWatched: boolean;
  /** "Because you watched X" rows, one per anchor title. */
  readonly becauseYouWatchedRows: number;
  /** Favourite-genre rows. */
  readonly genreRows: number;
  /** A title closed before this fraction counts as closed early, and is pushed down. */
  readonly closedEarlyBelow: number;
  /** Score factor for a title closed early (0..1). */
  readonly closedEarlyFactor: number;
  /** How strongly a disliked title pushes its neighbours down (0..1 of the normalised score). */
  readonly dislikePenalty: number;
  /** Score given to a never-watched title per unit of genre similarity (0..1), for cold-start placement. */
  readonly coldTitleWeight: number;
  /** Half-life, in days, of a title's pull as a "Because you watched" anchor. */
  readonly anchorHalfLifeDays: number;
}

export const DEFAULT_ROW_SETTINGS: RowSettings = {
  rowSize: 20,
  excludeWatched: true,
  becauseYouWatchedRows: 2,
  genreRows: 2,
  closedEarlyBelow: 0.5,
  closedEarlyFactor: 0.5,
  dislikePenalty: 0.6,
  coldTitleWeight: 0.6,
  anchorHalfLifeDays: 14,
};

/** One (profile, movie) row of interaction_scores, as the viewer's history. */
interface HistoryEntry {
  readonly movieId: number;
  readonly score: number;
  readonly watchedFull: boolean;
  readonly disliked: boolean;
  readonly closes: number;
  readonly plays: number;
  readonly maxProgress: number | null;
  readonly lastEventAt: number;
}

/** What one request knows about its viewer, built from one indexed read. */
interface Viewer {
  readonly profileId: string;
  readonly entries: readonly HistoryEntry[];
  /** The viewer's scores over the serving model's title indices (fold-in input). */
  readonly history: SparseRow;
  /** Positive history present: the engine can personalise. */
  readonly personal: boolean;
  /** Movie ids never to recommend (finished, disliked). */
  readonly blocked: ReadonlySet<number>;
  readonly closedEarly: ReadonlySet<number>;
  /** Disliked titles, most recent first. */
  readonly disliked: readonly number[];
  /** Summed positive score per genre bit. */
  readonly genreProfile: Float64Array;
}

interface Candidate {
  movieId: number;
  score: number;
  /** Model title index, or -1 for a title placed by genre (cold start). */
  index: number;
}

type Eligible = (movieId: number) => boolean;
type ModelFilter = (item: number) => boolean;

/**
 * Eligibility over the serving model's title indices as a byte mask, built once per request from
 * a per-model copy of "in the catalog" (the models call their filter for every title they score,
 * and a mask read is all it costs). Rows close the titles they show for the rows after them.
 */
class Gate {
  private constructor(
    private readonly model: ServingModel,
    private readonly open: Uint8Array,
  ) {}

  /** Titles of `model` in the catalog, less `blocked` movie ids, narrowed by `predicate`. */
  static of(model: ServingModel, inCatalog: Uint8Array, blocked: Iterable<number>, predicate?: Eligible): Gate {
    const open = inCatalog.slice();
    for (const movieId of blocked) {
      const index = model.indexOf(movieId);
      if (index >= 0) open[index] = 0;
    }
    if (predicate) {
      const ids = model.movieIds;
      for (let i = 0; i < ids.length; i++) if (open[i] === 1 && !predicate(ids[i])) open[i] = 0;
    }
    return new Gate(model, open);
  }

  /** A title shown in a row is closed for the rows after it. */
  use(movieId: number): void {
    const index = this.model.indexOf(movieId);
    if (index >= 0) this.open[index] = 0;
  }

  /** The models' filter; `extra` narrows further (a genre row) on the titles still open. */
  filter(extra?: Eligible): ModelFilter {
    const { open } = this;
    const ids = this.model.movieIds;
    return extra ? (i) => open[i] === 1 && extra(ids[i]) : (i) => open[i] === 1;
  }
}

/**
 * Netflix-style rows from the engine. Each request reads the viewer's current scores (one
 * indexed read of interaction_scores) and folds them into the serving model, so an event
 * logged a moment ago already moves the next response; no retraining is involved.
 */
export class LegacyHomeService implements RecommendationProvider {
  private readonly settings: RowSettings;
  private inCatalogCache: { model: ServingModel; catalog: number; mask: Uint8Array } | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly models: ModelServer,
    private readonly catalog: CatalogCache,
    /** Serves Top picks while no model has been trained yet. */
    private readonly fallback: RecommendationProvider,
    settings: Partial<RowSettings> = {},
  ) {
    this.settings = { ...DEFAULT_ROW_SETTINGS, ...settings };
  }

  /** Top picks: the `recommendations` field. */
  async recommend(rawProfileId: string, options: RecommendOptions): Promise<RecommendedMovie[]> {
    checkFirst(options.first);
    validateMovieFilter(options.filter);
    const model = this.models.current;
    const catalog = await this.catalog.ready();
    const viewer = await this.viewer(rawProfileId, model);
    if (!model) return this.fallback.recommend(viewer.profileId, options);
    const eligible = this.eligibility(viewer, options.filter, new Set());
    const gate = this.gate(model, viewer.blocked, options.filter);
    const picks = viewer.personal
      ? this.personalCandidates(model, viewer, options.first, gate, eligible)
      : this.staticCandidates(model.bundle.popular, options.first, gate.filter(), model);
    return picks.map((c) => this.item(c, viewer.personal ? this.reasonFor(model, viewer, c) : "Popular on Marquee", catalog));
  }

  /** "More like this": titles with similar audiences (or genres, for a title nobody watched yet). */
  async similar(rawMovieId: string, first: number, filter?: MovieFilter | null): Promise<RecommendedMovie[]> {
    checkFirst(first);
    validateMovieFilter(filter);
    const movieId = parseMovieId(rawMovieId, {});
    const catalog = await this.catalog.ready();
    if (!catalog.movie(movieId)) await catalog.reload();
    const anchor = catalog.movie(movieId);
    if (!anchor) throw new NotFoundError(`No movie has id ${movieId}: list them with the movies query`, { field: "movieId" });
    const model = this.models.current;
    const predicate = catalog.predicate(filter);
    const eligible: Eligible = (id) => id !== movieId && catalog.movie(id) !== undefined && (!predicate || predicate(id));
    const index = model ? model.indexOf(movieId) : -1;
    let found: Candidate[] = [];
    if (model && index >= 0) {
      const gate = this.gate(model, [movieId], filter);
      found = this.fromScored(model, model.bundle.itemKnn.similar(index, first, { filter: gate.filter() }));
    }
    if (found.length < first) {
      const taken = new Set(found.map((c) => c.movieId));
      found.push(...this.genreNeighbours(catalog.genreMask(catalog.position(movieId)), first - found.length, (id) => eligible(id) && !taken.has(id)));
    }
    return found.slice(0, first).map((c) =>
      this.item(c, c.index >= 0 ? `Viewers who watched ${anchor.title} also watched this` : `Also ${this.sharedGenre(anchor.genres, c.movieId) ?? "like " + anchor.title}`, catalog),
    );
  }

  /** The home page: ordered rows; no title appears twice except in Continue watching. */
  async home(rawProfileId: string, filter?: MovieFilter | null): Promise<HomeRow[]> {
    validateMovieFilter(filter);
    const { rowSize } = this.settings;
    const model = this.models.current;
    const catalog = await this.catalog.ready();
    const viewer = await this.viewer(rawProfileId, model);
    const used = new Set<number>();
    const rows: HomeRow[] = [];
    // Which model titles this viewer may be shown, as a byte mask built once per request (the
    // models test it for every title); rows already shown are added to it as they are built.
    const gate = model ? this.gate(model, viewer.blocked, filter) : null;
    const add = (title: string, kind: RowKind, items: RecommendedMovie[], dedupe = true) => {
      if (items.length === 0) return;
      if (dedupe) {
        for (const item of items) {
          used.add(item.movie.id);
          gate?.use(item.movie.id);
        }
      }
      rows.push({ title, kind, items });
    };
    const eligible = () => this.eligibility(viewer, filter, used);

    add("Continue watching", RowKind.CONTINUE_WATCHING, this.continueWatching(viewer, filter), false);

    if (!model) {
      // Nothing trained yet (first start): popularity from SQL, then the newest titles.
      const popular = await this.fallback.recommend(viewer.profileId, { first: rowSize, filter });
      add("Popular on Marquee", RowKind.POPULAR, popular);
      add("New on Marquee", RowKind.NEW, this.newTitles(null, viewer, eligible()));
      return rows;
    }

    const { bundle } = model;
    const reasons = new ReasonBudget();
    // One fold-in per request: Top picks and the genre rows all draw from this scored pool.
    const pool = viewer.personal ? this.scoredPool(model, viewer, gate!.filter(), eligible(), POOL_DEPTH, rowSize) : [];
    if (viewer.personal) {
      const picks = take(pool, rowSize, eligible());
      add("Top picks for you", RowKind.TOP_PICKS, picks.map((c) => this.item(c, this.reasonFor(model, viewer, c, reasons), catalog)));

      for (const anchor of this.anchors(viewer, model).slice(0, this.settings.becauseYouWatchedRows)) {
        const title = catalog.movie(anchor)!.title;
        const items = this.fromScored(model, bundle.itemKnn.similar(model.indexOf(anchor), rowSize, { filter: gate!.filter() }));
        add(`Because you watched ${title}`, RowKind.BECAUSE_YOU_WATCHED, items.map((c) => this.item(c, `Because you watched ${title}`, catalog)));
      }

      const friends = this.fromScored(model, bundle.userKnn.recommend(viewer.history, rowSize, { filter: gate!.filter() }));
      add("Viewers like you also watched", RowKind.VIEWERS_LIKE_YOU, friends.map((c) => this.item(c, this.friendsReason(model, viewer, c), catalog)));
    }

    const trending = this.staticCandidates(bundle.trending, rowSize, gate!.filter(), model);
    add("Trending now", RowKind.TRENDING, trending.map((c, i) => this.item(c, `#${i + 1} on Marquee this week`, catalog)));

    if (viewer.personal) {
      for (const genre of this.favouriteGenres(viewer).slice(0, this.settings.genreRows)) {
        const open = eligible();
        const inGenre: Eligible = (id) => open(id) && catalog.movie(id)!.genres.includes(genre);
        let picks = take(pool, rowSize, inGenre);
        // A genre the pool barely reaches gets its own fold-in, restricted to the genre.
        if (picks.length < rowSize / 2) picks = this.personalCandidates(model, viewer, rowSize, gate!, inGenre);
        add(`${genre} picked for you`, RowKind.GENRE, picks.map((c) => this.item(c, this.reasonFor(model, viewer, c, reasons), catalog)));
      }
    } else {
      const popular = this.staticCandidates(bundle.popular, rowSize, gate!.filter(), model);
      add("Popular on Marquee", RowKind.POPULAR, popular.map((c) => this.item(c, "Popular on Marquee", catalog)));
    }

    add("New on Marquee", RowKind.NEW, this.newTitles(model, viewer, eligible()));
    return rows;
  }

  // ---------------------------------------------------------------- the viewer

  private async viewer(rawProfileId: string, model: ServingModel | null): Promise<Viewer> {
    const profileId = parseProfileId(rawProfileId);
    const rows: {
      movie_id: number | null;
      score: number;
      watched_full: boolean;
      disliked: boolean;
      closes: number;
      plays: number;
      max_progress: number | null;
      last_event_at: Date;
    }[] = await this.dataSource.query(
      `SELECT s.movie_id, s.score, s.watched_full, s.disliked, s.closes, s.plays, s.max_progress, s.last_event_at
         FROM profiles p LEFT JOIN interaction_scores s ON s.profile_id = p.id
        WHERE p.id = $1`,
      [profileId],
    );
    if (rows.length === 0) throw new NotFoundError(`No profile has id ${profileId}: list them with the profiles query`, { field: "profileId" });
    const entries: HistoryEntry[] = rows
      .filter((r) => r.movie_id !== null)
      .map((r) => ({
        movieId: Number(r.movie_id),
        score: Number(r.score),
        watchedFull: r.watched_full,
        disliked: r.disliked,
        closes: r.closes,
        plays: r.plays,
        maxProgress: r.max_progress,
        lastEventAt: r.last_event_at.getTime(),
      }));

    const blocked = new Set<number>();
    const closedEarly = new Set<number>();
    const genreProfile = new Float64Array(32);
    for (const e of entries) {
      if (e.disliked || (this.settings.excludeWatched && e.watchedFull)) blocked.add(e.movieId);
      if (e.closes > 0 && !e.watchedFull && (e.maxProgress ?? 0) < this.settings.closedEarlyBelow) closedEarly.add(e.movieId);
      const position = this.catalog.position(e.movieId);
      if (e.score > 0 && !e.disliked && position >= 0) {
        const mask = this.catalog.genreMask(position);
        for (let bit = 0; bit < 32; bit++) if ((mask >>> bit) & 1) genreProfile[bit] += e.score;
      }
    }
    const disliked = entries.filter((e) => e.disliked).sort((a, b) => b.lastEventAt - a.lastEventAt).map((e) => e.movieId);

    const pairs: [number, number][] = [];
    if (model) {
      for (const e of entries) {
        const index = model.indexOf(e.movieId);
        // A disliked title is a negative score, never a positive one.
        if (index >= 0 && e.score !== 0) pairs.push([index, e.disliked ? -Math.abs(e.score) : e.score]);
      }
      pairs.sort((a, b) => a[0] - b[0]);
    }
    const history: SparseRow = { indices: Int32Array.from(pairs, (p) => p[0]), data: Float32Array.from(pairs, (p) => p[1]) };
    const personal = pairs.some((p) => p[1] > 0);
    return { profileId, entries, history, personal, blocked, closedEarly, disliked, genreProfile };
  }

  private eligibility(viewer: Viewer, filter: MovieFilter | null | undefined, used: ReadonlySet<number>): Eligible {
    const predicate = this.catalog.predicate(filter);
    return (id) => !viewer.blocked.has(id) && !used.has(id) && this.catalog.movie(id) !== undefined && (!predicate || predicate(id));
  }

  /** The request's Gate: the model's titles in the catalog, less `blocked`, within `filter`. */
  private gate(model: ServingModel, blocked: Iterable<number>, filter: MovieFilter | null | undefined): Gate {
    return Gate.of(model, this.inCatalog(model), blocked, this.catalog.predicate(filter));
  }

  /** Which of the model's titles are in the catalog, cached per model and catalog load. */
  private inCatalog(model: ServingModel): Uint8Array {
    const cached = this.inCatalogCache;
    if (cached && cached.model === model && cached.catalog === this.catalog.version) return cached.mask;
    const mask = new Uint8Array(model.movieIds.length);
    for (let i = 0; i < mask.length; i++) mask[i] = this.catalog.movie(model.movieIds[i]) ? 1 : 0;
    this.inCatalogCache = { model, catalog: this.catalog.version, mask };
    return mask;
  }


  // ---------------------------------------------------------------- candidates

  /**
   * Top picks over the model (folded-in history), adjusted as a streaming service expects:
   * titles closed early drop, neighbours of disliked titles drop, and titles nobody has watched
   * yet enter by genre similarity to the viewer's taste.
   */
  private personalCandidates(model: ServingModel, viewer: Viewer, n: number, gate: Gate, eligible: Eligible): Candidate[] {
    return take(this.scoredPool(model, viewer, gate.filter(eligible), eligible, n * 2 + 10, n), n, eligible);
  }

  /**
   * The scored, adjusted candidate list behind Top picks: `depth` titles from the model plus
   * the best never-watched titles by genre. Scores are normalised over the first rows'
   * worth of candidates (2 x rowSize + 10), so penalties and the cold-title weight mean the
   * same however deep the pool is.
   */
  private scoredPool(model: ServingModel, viewer: Viewer, filter: ModelFilter, eligible: Eligible, depth: number, rowSize: number): Candidate[] {
    const { bundle } = model;
    const pool = this.fromScored(model, bundle.topPicks.recommend(viewer.history, depth, { filter }));
    normalise(pool, rowSize * 2 + 10);
    for (const c of pool) if (viewer.closedEarly.has(c.movieId)) c.score *= this.settings.closedEarlyFactor;

    if (viewer.disliked.length > 0) {
      const penalty = new Map<number, number>();
      for (const movieId of viewer.disliked.slice(0, 5)) {
        const index = model.indexOf(movieId);
        if (index < 0) continue;
        const near = bundle.itemKnn.similar(index, 100);
        const top = near.scores[0] || 1;
        for (let i = 0; i < near.items.length; i++) {
          const id = Number(bundle.itemKnn.itemIds[near.items[i]]);
          penalty.set(id, Math.max(penalty.get(id) ?? 0, near.scores[i] / top));
        }
      }
      for (const c of pool) c.score -= this.settings.dislikePenalty * (penalty.get(c.movieId) ?? 0);
    }

    const taken = new Set(pool.map((c) => c.movieId));
    const cold = this.coldCandidates(viewer, Math.max(2, Math.floor(rowSize / 5)), (id) => eligible(id) && !taken.has(id));
    for (const c of cold) c.score *= this.settings.coldTitleWeight;
    return [...pool, ...cold].sort((a, b) => b.score - a.score);
  }

  /** A non-personal ranking (trending, popular), in the model's order. */
  private staticCandidates(ranking: Recommender, n: number, filter: ModelFilter, model: ServingModel): Candidate[] {
    const empty: SparseRow = { indices: new Int32Array(0), data: new Float32Array(0) };
    return this.fromScored(model, ranking.recommend(empty, n, { filter }));
  }

  /**
   * Titles nobody has watched yet, by cosine between their genres and the viewer's genre profile.
   * Only a title that would enter the best `n` is tested for eligibility (there may be thousands).
   */
  private coldCandidates(viewer: Viewer, n: number, eligible: Eligible): Candidate[] {
    const profile = viewer.genreProfile;
    let norm = 0;
    for (const w of profile) norm += w * w;
    if (norm === 0 || n <= 0) return [];
    const catalog = this.catalog;
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

  /** Titles sharing the most genres with `mask` (Jaccard), for "More like this" on a cold title. */
  private genreNeighbours(mask: number, n: number, eligible: Eligible): Candidate[] {
    if (!mask) return [];
    const out: Candidate[] = [];
    for (let p = 0; p < this.catalog.size; p++) {
      const other = this.catalog.genreMask(p);
      const movieId = this.catalog.movieAt(p).id;
      if (!(other & mask) || !eligible(movieId)) continue;
      out.push({ movieId, score: popcount(other & mask) / popcount(other | mask), index: -1 });
    }
    return out.sort((a, b) => b.score - a.score || a.movieId - b.movieId).slice(0, n);
  }

  private continueWatching(viewer: Viewer, filter: MovieFilter | null | undefined): RecommendedMovie[] {
    const predicate = this.catalog.predicate(filter);
    return viewer.entries
      .filter((e) => !e.watchedFull && !e.disliked && (e.plays > 0 || (e.maxProgress ?? 0) > 0) && (e.maxProgress ?? 0) < 0.9)
      .filter((e) => this.catalog.movie(e.movieId) && (!predicate || predicate(e.movieId)))
      .sort((a, b) => b.lastEventAt - a.lastEventAt)
      .slice(0, this.settings.rowSize)
      .map((e) => ({
        movie: this.catalog.movie(e.movieId)!,
        score: e.maxProgress ?? 0,
        progress: e.maxProgress ?? 0,
        reason: e.maxProgress ? `Resume at ${Math.round(e.maxProgress * 100)}%` : "You started this",
      }));
  }

  /** Newest titles, ordered for the viewer when it has a taste (genre similarity), else by date. */
  private newTitles(model: ServingModel | null, viewer: Viewer, eligible: Eligible): RecommendedMovie[] {
    const fresh = this.catalog.newest(this.settings.rowSize * 3).filter((p) => eligible(this.catalog.movieAt(p).id));
    let norm = 0;
    for (const w of viewer.genreProfile) norm += w * w;
    const scored = fresh.map((p, rank) => {
      let dot = 0;
      const mask = this.catalog.genreMask(p);
      for (let bit = 0; bit < 32; bit++) if ((mask >>> bit) & 1) dot += viewer.genreProfile[bit];
      const taste = norm > 0 ? dot / Math.sqrt(norm * Math.max(1, popcount(mask))) : 0;
      return { p, score: taste + (1 - rank / fresh.length) * 0.25 };
    });
    void model;
    return scored
      .sort((a, b) => b.score - a.score)
      .slice(0, this.settings.rowSize)
      .map(({ p, score }) => {
        const movie = this.catalog.movieAt(p);
        return { movie, score, reason: `New on Marquee${movie.year ? ` (${movie.year})` : ""}` };
      });
  }

  /** The viewer's strongest recent titles: score decayed by age. */
  private anchors(viewer: Viewer, model: ServingModel): number[] {
    const now = Date.now();
    const halfLife = this.settings.anchorHalfLifeDays * 86_400_000;
    return viewer.entries
      .filter((e) => e.score > 0 && !e.disliked && model.indexOf(e.movieId) >= 0 && this.catalog.movie(e.movieId))
      .map((e) => ({ id: e.movieId, pull: e.score * Math.pow(0.5, Math.max(0, now - e.lastEventAt) / halfLife) }))
      .sort((a, b) => b.pull - a.pull || a.id - b.id)
      .map((a) => a.id);
  }

  private favouriteGenres(viewer: Viewer): string[] {
    const bits = [...viewer.genreProfile.keys()].filter((b) => viewer.genreProfile[b] > 0);
    bits.sort((a, b) => viewer.genreProfile[b] - viewer.genreProfile[a]);
    return bits.map((b) => this.catalog.genreName(b)).filter((g): g is string => g !== undefined);
  }

  // ---------------------------------------------------------------- reasons

  /**
   * "Because you watched X": X is the viewer's title with the largest item-kNN contribution
   * (a lookup per history title). Only when item-kNN has no link does the Top picks model's
   * own explain() run (for iALS a solve per call), a few times per request at most.
   */
  private reasonFor(model: ServingModel, viewer: Viewer, c: Candidate, budget = new ReasonBudget()): string {
    if (c.index < 0) {
      const genre = this.topSharedGenre(viewer, c.movieId);
      return genre ? `New to Marquee, for fans of ${genre}` : "New to Marquee";
    }
    const own =
      this.strongestOwnTitle(model.bundle.itemKnn, viewer, c.index) ??
      (model.bundle.topPicks !== model.bundle.itemKnn && budget.spend() ? this.strongestOwnTitle(model.bundle.topPicks, viewer, c.index) : null);
    return own ? `Because you watched ${own}` : "Picked for your taste";
  }

  /**
   * "Popular with viewers who liked X": X is the viewer's title most co-watched with the
   * candidate (item-kNN similarity is co-viewing), which is what the neighbours share. Asking
   * user-kNN per item would recompute the neighbourhood for every item of the row.
   */
  private friendsReason(model: ServingModel, viewer: Viewer, c: Candidate): string {
    const own = this.strongestOwnTitle(model.bundle.itemKnn, viewer, c.index);
    return own ? `Popular with viewers who liked ${own}` : "Popular with viewers like you";
  }

  /** The title of the viewer's own history that contributed most, per the model's explain(). */
  private strongestOwnTitle(model: Recommender, viewer: Viewer, index: number): string | null {
    let contributions: Contribution[];
    try {
      contributions = model.explain(viewer.history, index, 3);
    } catch {
      return null;
    }
    for (const c of contributions) {
      if (c.kind !== "item" || c.weight <= 0) continue;
      const movie = this.catalog.movie(Number(model.itemIds[c.index]));
      if (movie) return movie.title;
    }
    return null;
  }

  private topSharedGenre(viewer: Viewer, movieId: number): string | undefined {
    const movie = this.catalog.movie(movieId);
    if (!movie) return undefined;
    let best: string | undefined;
    let weight = 0;
    for (const g of movie.genres) {
      const bit = this.catalog.genreBit(g);
      if (bit >= 0 && viewer.genreProfile[bit] > weight) {
        weight = viewer.genreProfile[bit];
        best = g;
      }
    }
    return best;
  }

  private sharedGenre(anchorGenres: readonly string[], movieId: number): string | undefined {
    return this.catalog.movie(movieId)?.genres.find((g) => anchorGenres.includes(g));
  }

  // ---------------------------------------------------------------- helpers

  private fromScored(model: ServingModel, scored: ScoredItems): Candidate[] {
    const out: Candidate[] = [];
    for (let i = 0; i < scored.items.length; i++) {
      const movieId = model.movieIds[scored.items[i]];
      if (this.catalog.movie(movieId)) out.push({ movieId, score: scored.scores[i], index: scored.items[i] });
    }
    return out;
  }

  private item(c: Candidate, reason: string, catalog: CatalogCache): RecommendedMovie {
    return { movie: catalog.movie(c.movieId)!, score: Number.isFinite(c.score) ? c.score : 0, reason };
  }
}

/** How deep the per-request candidate pool goes (Top picks and genre rows draw from it). */
const POOL_DEPTH = 300;

/** Caps the expensive explain() calls of one request. */
class ReasonBudget {
  private left = 5;
  spend(): boolean {
    return this.left-- > 0;
  }
}

/** The first `n` candidates that are still eligible (not used by an earlier row, in the filter). */
function take(pool: readonly Candidate[], n: number, eligible: Eligible): Candidate[] {
  const out: Candidate[] = [];
  for (const c of pool) {
    if (out.length === n) break;
    if (eligible(c.movieId)) out.push(c);
  }
  return out;
}

function checkFirst(first: number): void {
  if (!Number.isInteger(first) || first < 1 || first > 100) {
    throw new BadUserInputError(`first must be between 1 and 100, got ${first}`, { field: "first" });
  }
}

/**
 * Rescales scores so the best is 1 and the `window`-th is 0.05, whatever the model's scale, so
 * that penalties mean the same for every model. Deeper candidates fall below 0.05, in order.
 */
function normalise(pool: Candidate[], window: number): void {
  if (pool.length === 0) return;
  let max = -Infinity;
  let min = Infinity;
  for (let i = 0; i < Math.min(window, pool.length); i++) {
    max = Math.max(max, pool[i].score);
    min = Math.min(min, pool[i].score);
  }
  const span = max - min || 1;
  for (const c of pool) c.score = 0.05 + 0.95 * ((c.score - min) / span);
}

function popcount(x: number): number {
  let n = 0;
  for (let v = x >>> 0; v !== 0; v &= v - 1) n++;
  return n;
}
