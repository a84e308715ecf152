import type { DataSource } from "typeorm";

/** Test data, inserted directly (fixed ids, so tests read clearly). */
export interface MovieSeed {
  id: number;
  title: string;
  year?: number;
  genres?: string[];
}

export async function insertMovies(dataSource: DataSource, movies: readonly MovieSeed[]): Promise<void> {
  await dataSource.query(
    `INSERT INTO movies (id, title, year, genres, synopsis)
     SELECT id, title, year, string_to_array(genres, '|'), 'A test title.'
     FROM unnest($1::int[], $2::text[], $3::int[], $4::text[]) AS t(id, title, year, genres)`,
    [movies.map((m) => m.id), movies.map((m) => m.title), movies.map((m) => m.year ?? 2000), movies.map((m) => (m.genres ?? ["Drama"]).join("|"))],
  );
}

export async function insertProfile(dataSource: DataSource, name = "Tester"): Promise<string> {
  const rows: { id: string }[] = await dataSource.query(`INSERT INTO profiles (name, avatar_color) VALUES ($1, '#e50914') RETURNING id`, [name]);
  return rows[0].id;
}

export async function countRows(dataSource: DataSource, table: "interactions" | "interaction_scores" | "profiles" | "movies"): Promise<number> {
  const rows: { n: number }[] = await dataSource.query(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0].n;
}

/** The score matrix as comparable plain rows, ordered. */
export async function scoreRows(dataSource: DataSource): Promise<Record<string, unknown>[]> {
  return dataSource.query(
    `SELECT profile_id, movie_id, score, event_count, thumbnail_clicks, plays, watched_full_count, skips, closes, likes,
            dislikes, list_adds, max_progress, last_event_at, watched_full, liked, disliked, in_list, thumb_at, thumb_event_id
     FROM interaction_scores ORDER BY profile_id, movie_id`,
  );
}
