import type { DataSource } from "typeorm";
import { parseMovieId, parseProfileId } from "../common/ids";
import { MOVIE_COLUMNS, movieFromRow, type MovieRow } from "../movies/movie-row";
import type { Movie } from "../movies/movie.entity";
import { InteractionType } from "../interactions/interaction-type";
import type { InteractionService } from "../interactions/interaction.service";
import type { ProfileService } from "../profiles/profile.service";

/** Titles a list returns at most. */
export const MY_LIST_LIMIT = 500;

/** My List: the titles a viewer keeps for later, newest first. */
export class MyListService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly profiles: ProfileService,
    private readonly interactions: InteractionService,
  ) {}

  async list(rawProfileId: string): Promise<Movie[]> {
    const { id } = await this.profiles.getById(rawProfileId);
    return this.titles(id);
  }

  /**
   * Adds a title and returns the list: an ADD_TO_LIST event (the taste signal), whose write puts
   * the title on the list in the same transaction. Adding a listed title keeps its first add.
   */
  async add(rawProfileId: string, rawMovieId: string, recommendationId?: string | null): Promise<Movie[]> {
    const profileId = parseProfileId(rawProfileId);
    await this.interactions.log({ profileId, movieId: rawMovieId, type: InteractionType.ADD_TO_LIST, recommendationId });
    return this.titles(profileId);
  }

  /** Removes a title (a title not on the list is fine) and returns the list. */
  async remove(rawProfileId: string, rawMovieId: string): Promise<Movie[]> {
    const { id } = await this.profiles.getById(rawProfileId);
    const movieId = parseMovieId(rawMovieId);
    await this.dataSource.query(`DELETE FROM my_list WHERE profile_id = $1 AND movie_id = $2`, [id, movieId]);
    return this.titles(id);
  }

  private async titles(profileId: string): Promise<Movie[]> {
    const rows: MovieRow[] = await this.dataSource.query(
      `SELECT ${MOVIE_COLUMNS} FROM my_list l JOIN movies m ON m.id = l.movie_id
        WHERE l.profile_id = $1 ORDER BY l.added_at DESC, l.movie_id DESC LIMIT $2`,
      [profileId, MY_LIST_LIMIT],
    );
    return rows.map(movieFromRow);
  }
}
