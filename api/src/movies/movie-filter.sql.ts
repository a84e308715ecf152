import { BadUserInputError } from "../common/errors";
import type { MovieFilter } from "./movie-filter.input";

const MAX_TEXT = 200;

/** Refuses filters that cannot mean anything, before any SQL runs. */
export function validateMovieFilter(filter: MovieFilter | null | undefined): void {
  if (!filter) return;
  if (filter.text != null && filter.text.length > MAX_TEXT) {
    throw new BadUserInputError(`filter.text is longer than ${MAX_TEXT} characters`, { field: "filter.text" });
  }
  for (const [field, list] of [["genres", filter.genres], ["maturityRatings", filter.maturityRatings]] as const) {
    if (list && list.length > 50) throw new BadUserInputError(`filter.${field} lists more than 50 values`, { field: `filter.${field}` });
  }
  if (filter.yearFrom != null && filter.yearTo != null && filter.yearFrom > filter.yearTo) {
    throw new BadUserInputError(`filter.yearFrom (${filter.yearFrom}) is after filter.yearTo (${filter.yearTo})`, { field: "filter.yearFrom" });
  }
}

/**
 * SQL conditions for a MovieFilter on the movies alias `m`, appending bind values to `params`.
 * Values are always bound, never spliced; the text match uses strpos, so `%`, `_` and quotes
 * in the user's text are plain characters. Later filters (maturity rating...) belong here.
 */
export function movieFilterConditions(filter: MovieFilter | null | undefined, params: unknown[], alias = "m"): string[] {
  const conditions: string[] = [];
  if (!filter) return conditions;
  const bind = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.genre != null && filter.genre !== "") conditions.push(`${alias}.genres @> ARRAY[${bind(filter.genre)}::text]`);
  if (filter.text != null && filter.text.trim() !== "") {
    conditions.push(`strpos(lower(${alias}.title), lower(${bind(filter.text.trim())}::text)) > 0`);
  }
  if (filter.yearFrom != null) conditions.push(`${alias}.year >= ${bind(filter.yearFrom)}::int`);
  if (filter.yearTo != null) conditions.push(`${alias}.year <= ${bind(filter.yearTo)}::int`);
  if (filter.genres?.length) conditions.push(`${alias}.genres && ${bind(filter.genres)}::text[]`);
  if (filter.maturityRatings?.length) conditions.push(`${alias}.maturity_rating = ANY(${bind(filter.maturityRatings)}::text[])`);
  return conditions;
}
