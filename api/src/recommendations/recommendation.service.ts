import type { DataSource } from "typeorm";
import { NotFoundError } from "../common/errors";
import { parseProfileId } from "../common/ids";
import { movieFilterConditions, validateMovieFilter } from "../movies/movie-filter.sql";
import type { MovieFilter } from "../movies/movie-filter.input";
import { MOVIE_COLUMNS, movieFromRow, type MovieRow } from "../movies/movie-row";
import type { Movie } from "../movies/movie.entity";
import type { RecommendedMovie } from "../recommendations/recommended-movie.type";

export interface RecommendOptions {
  /** 1..100 */
  readonly first: number;
  readonly filter?: MovieFilter | null;
}

/** What the `recommendations` field asks of a ranker (the engine's HomeService). */
export interface RecommendationProvider {
  recommend(profileId: string, options: RecommendOptions): Promise<RecommendedMovie[]>;
}

/** A title with its score and reason, before it is served (stamped with a serving id). */
export interface RankedMovie {
  readonly movie: Movie;
  readonly score: number;
  readonly reason: string;
}

/**
 * The foundation's ranking: the titles most viewers have played or finished, leaving out what
 * this viewer finished or disliked. Ties go to the higher summed score, then to newer titles,
 * so a catalog nobody has watched yet still yields a list (its newest titles). HomeService serves
 * it (Top picks, the Popular row) until the first model is trained.
 */
export class PopularityRecommendationService {
  constructor(private readonly dataSource: DataSource) {}

  async recommend(rawProfileId: string, options: RecommendOptions): Promise<RankedMovie[]> {
    const profileId = parseProfileId(rawProfileId);
    validateMovieFilter(options.filter);
    const exists: unknown[] = await this.dataSource.query(`SELECT 1 FROM profiles WHERE id = $1`, [profileId]);
    if (exists.length === 0) {
      throw new NotFoundError(`No profile has id ${profileId}: list them with the profiles query`, { field: "profileId" });
    }
    const params: unknown[] = [profileId];
    const conditions = movieFilterConditions(options.filter, params);
    params.push(options.first);
    const rows: (MovieRow & { viewers: number; total: number | null })[] = await this.dataSource.query(
      `WITH popularity AS (
         SELECT movie_id, count(*) FILTER (WHERE plays > 0 OR watched_full)::int AS viewers, sum(score) AS total
         FROM interaction_scores GROUP BY movie_id)
       SELECT ${MOVIE_COLUMNS}, coalesce(p.viewers, 0) AS viewers, p.total
       FROM movies m LEFT JOIN popularity p ON p.movie_id = m.id
       WHERE NOT EXISTS (SELECT 1 FROM interaction_scores s
                         WHERE s.profile_id = $1 AND s.movie_id = m.id AND (s.watched_full OR s.disliked))
         ${conditions.map((c) => `AND ${c}`).join(" ")}
       ORDER BY coalesce(p.viewers, 0) DESC, p.total DESC NULLS LAST, m.added_at DESC, m.id
       LIMIT $${params.length}`,
      params,
    );
    return rows.map((row) => ({
      movie: movieFromRow(row),
      score: row.viewers,
      reason: row.viewers > 0 ? `Popular on Marquee: ${row.viewers} ${row.viewers === 1 ? "viewer" : "viewers"} watched it` : "New on Marquee",
    }));
  }
}
