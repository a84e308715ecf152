import { BadUserInputError, atIndex, type ErrorDetails } from "./errors";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Profile ids are UUIDs; anything else is refused before it reaches SQL. */
export function parseProfileId(raw: string, details: ErrorDetails = {}): string {
  if (!UUID.test(raw)) {
    throw new BadUserInputError(`${atIndex(details.index)}profileId "${raw}" is not a profile id (expected a UUID, as returned by profiles or createProfile)`, {
      ...details,
      field: "profileId",
    });
  }
  return raw.toLowerCase();
}

/** Movie ids are positive integers (MovieLens ids for the demo catalog). */
export function parseMovieId(raw: string | number, details: ErrorDetails = {}): number {
  const text = String(raw);
  const value = /^[0-9]{1,10}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value <= 0 || value > 2147483647) {
    throw new BadUserInputError(`${atIndex(details.index)}movieId "${text}" is not a movie id (expected a positive integer, as returned by movies)`, {
      ...details,
      field: "movieId",
    });
  }
  return value;
}
