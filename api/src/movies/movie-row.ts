import { Movie } from "./movie.entity";

/** A `movies` row as raw SQL returns it (alias m.*). */
export interface MovieRow {
  id: number;
  title: string;
  year: number | null;
  genres: string[];
  synopsis: string;
  runtime_minutes: number | null;
  maturity_rating: string | null;
  poster_url: string | null;
  trailer_url: string | null;
  added_at: Date;
}

export const MOVIE_COLUMNS = "m.id, m.title, m.year, m.genres, m.synopsis, m.runtime_minutes, m.maturity_rating, m.poster_url, m.trailer_url, m.added_at";

export function movieFromRow(row: MovieRow): Movie {
  const movie = new Movie();
  movie.id = Number(row.id);
  movie.title = row.title;
  movie.year = row.year;
  movie.genres = row.genres;
  movie.synopsis = row.synopsis;
  movie.runtimeMinutes = row.runtime_minutes;
  movie.maturityRating = row.maturity_rating;
  movie.posterUrl = row.poster_url;
  movie.trailerUrl = row.trailer_url;
  movie.addedAt = row.added_at;
  return movie;
}
