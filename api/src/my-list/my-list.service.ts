import type { DataSource } from "typeorm";
import { NotFoundError } from "../common/errors";
import { parseMovieId, parseProfileId } from "../common/ids";
import { MOVIE_COLUMNS, movieFromRow, type MovieRow } from "../movies/movie-row";
import type { Movie } from "../movies/movie.entity";
import { InteractionType } from "../interactions/interaction-type";
import type { InteractionService } from "../interactions/interaction.service";

/** Titles a list returns at most. */
export const MY_LIST_LIMIT = 500;

/** My List: the titles a viewer keeps for later, newest first. */
export class MyListService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly interactions: InteractionService,
  ) {}

  async list(rawProfileId: string): Promise<Movie[]> {
    const profileId = parseProfileId(rawProfileId);
    await this.requireProfile(profileId);
    return this.titles(profileId);
  }

  /**
   * Adds a title and returns the list: an ADD_TO_LIST event (the taste signal), whose write puts
   * the title on the list in the same transaction. Adding a listed title keeps its first add.
   */
  async add(rawProfileId: string, rawMovieId: string): Promise<Movie[]> {
    const profileId = parseProfileId(rawProfileId);
    await this.interactions.log({ profileId, movieId: rawMovieId, type: InteractionType.ADD_TO_LIST });
    return this.titles(profileId);
  }

  /** Removes a title (a title not on the list is fine) and returns the list. */
  async remove(rawProfileId: string, rawMovieId: string): Promise<Movie[]> {
    const profileId = parseProfileId(rawProfileId);
    const movieId = parseMovieId(rawMovieId);
    await this.requireProfile(profileId);
    await this.dataSource.query(`DELETE FROM my_list WHERE profile_id = $1 AND movie_id = $2`, [profileId, movieId]);
    return this.titles(profileId);
  }

  private async titles(profileId: string): Promise<Movie[]> {
    const rows: MovieRow[] = await this.dataSource.query(
      `SELECT ${MOVIE_COLUMNS} FROM my_list l JOIN movies m ON m.id = l.movie_id
        WHERE l.profile_id = $1 ORDER BY l.added_at DESC, l.movie_id DESC LIMIT $2`,
      [profileId, MY_LIST_LIMIT],
    );
    return rows.map(movieFromRow);
  }

  private async requireProfile(profileId: string): Promise<void> {
    const rows = (await this.dataSource.query(`SELECT 1 FROM profiles WHERE id = $1`, [profileId])) as unknown[];
    if (rows.length === 0) throw new NotFoundError(`No profile has id ${profileId}: list them with the profiles query`, { field: "profileId" });
  }
}

/**
 * Puts the titles of every stored ADD_TO_LIST event on their viewers' lists (a title already on a
 * list keeps its first add). For data that arrives in bulk, such as the demo seed.
 */
export const LIST_FROM_EVENTS_SQL = `INSERT INTO my_list (profile_id, movie_id, added_at)
  SELECT profile_id, movie_id, min(occurred_at) FROM interactions WHERE type = 'ADD_TO_LIST' GROUP BY profile_id, movie_id
  ON CONFLICT DO NOTHING`;

/** The same for a batch of events just stored (inside the batch's transaction). */
export async function listAddedTitles(
  db: { query(sql: string, params?: unknown[]): Promise<unknown> },
  added: readonly { profileId: string; movieId: number; occurredAt: Date }[],
): Promise<void> {
  if (added.length === 0) return;
  await db.query(
    `INSERT INTO my_list (profile_id, movie_id, added_at)
     SELECT * FROM unnest($1::uuid[], $2::int[], $3::timestamptz[]) ON CONFLICT DO NOTHING`,
    [added.map((a) => a.profileId), added.map((a) => a.movieId), added.map((a) => a.occurredAt)],
  );
}
