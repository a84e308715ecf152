import type { DataSource } from "typeorm";
import { MOVIE_COLUMNS, type MovieRow } from "../movies/movie-row";

/** A `movies` row, and whether anyone has watched the title (positive score). */
export type CatalogRow = MovieRow & { watched: boolean };

/** Where CatalogCache loads the catalog from. */
export interface CatalogSource {
  /** Every title, in id order. */
  catalog(): Promise<CatalogRow[]>;
}

/** The catalog as Postgres holds it. */
export class CatalogRepository implements CatalogSource {
  constructor(private readonly dataSource: DataSource) {}

  catalog(): Promise<CatalogRow[]> {
    return this.dataSource.query(
      `SELECT ${MOVIE_COLUMNS}, EXISTS (SELECT 1 FROM interaction_scores s WHERE s.movie_id = m.id AND s.score > 0) AS watched
         FROM movies m ORDER BY m.id`,
    );
  }
}
