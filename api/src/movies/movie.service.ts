import { decodeIntCursor, encodeCursor } from "../common/cursor";
import type { Reads } from "../database/read-replica";
import { parseMovieId } from "../common/ids";
import type { MovieConnection } from "./movie-connection.type";
import { movieFilterConditions, validateMovieFilter } from "./movie-filter.sql";
import type { MovieFilter } from "./movie-filter.input";
import { MOVIE_COLUMNS, movieFromRow, type MovieRow } from "./movie-row";
import type { Movie } from "./movie.entity";

const CURSOR_KIND = "movie";

/**
 * Reads the catalog (browse, search). Pages are ordered by id, so cursors stay valid while titles
 * are added. Lag-tolerant: app.ts gives it the read replica when there is one.
 */
export class MovieService {
  constructor(private readonly reads: Reads) {}

  async list(first: number, after: string | null | undefined, filter: MovieFilter | null | undefined): Promise<MovieConnection> {
    validateMovieFilter(filter);
    const params: unknown[] = [];
    const conditions = movieFilterConditions(filter, params);
    const filterSql = conditions.length ? `WHERE ${conditions.join(" AND ")}` : "";
    const countParams = [...params];
    if (after) {
      params.push(decodeIntCursor(CURSOR_KIND, after));
      conditions.push(`m.id > $${params.length}`);
    }
    params.push(first + 1);
    const pageSql = `SELECT ${MOVIE_COLUMNS} FROM movies m ${conditions.length ? `WHERE ${conditions.join(" AND ")}` : ""}
      ORDER BY m.id LIMIT $${params.length}`;
    const [rows, count] = await Promise.all([
      this.reads.query(pageSql, params) as Promise<MovieRow[]>,
      this.reads.query(`SELECT count(*)::int AS n FROM movies m ${filterSql}`, countParams) as Promise<{ n: number }[]>,
    ]);
    const page = rows.slice(0, first).map(movieFromRow);
    const edges = page.map((node) => ({ cursor: encodeCursor(CURSOR_KIND, node.id), node }));
    return {
      edges,
      pageInfo: {
        hasNextPage: rows.length > first,
        hasPreviousPage: Boolean(after),
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
      totalCount: count[0].n,
    };
  }

  /** The movie, or null when no title has this id. */
  async findById(rawId: string): Promise<Movie | null> {
    const id = parseMovieId(rawId);
    const rows: MovieRow[] = await this.reads.query(`SELECT ${MOVIE_COLUMNS} FROM movies m WHERE m.id = $1`, [id]);
    return rows.length ? movieFromRow(rows[0]) : null;
  }

  /** Movies by id, in the order asked; unknown ids are left out. */
  async findByIds(ids: readonly number[]): Promise<Movie[]> {
    if (ids.length === 0) return [];
    const rows: MovieRow[] = await this.reads.query(`SELECT ${MOVIE_COLUMNS} FROM movies m WHERE m.id = ANY($1::int[])`, [ids]);
    const byId = new Map(rows.map((row) => [Number(row.id), movieFromRow(row)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** Every genre that some title carries, alphabetically. */
  async genres(): Promise<string[]> {
    const rows: { genre: string }[] = await this.reads.query(
      `SELECT DISTINCT unnest(genres) AS genre FROM movies ORDER BY 1`,
    );
    return rows.map((row) => row.genre);
  }
}
