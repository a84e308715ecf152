import { existsSync, statSync } from "node:fs";
import path from "node:path";
import type { CatalogRow } from "./catalog-format";
import type { EventStager, LineErrors } from "./event-staging";
import { ImportError } from "./import-error";
import { readLines, splitCsvLine } from "./line-reader";
import { eventsForRating, type RatingMapping } from "./rating-mapping";

/** The MovieLens distributions we read, by the files that identify them. */
export interface MovieLensLayout {
  readonly name: "ml-100k" | "csv" | "dat";
  readonly ratings: string;
  readonly movies: string;
  /** ml-100k and ml-1m files are Latin-1; the CSV releases are UTF-8. */
  readonly encoding: BufferEncoding;
}

export const MOVIELENS_LAYOUTS =
  "a MovieLens directory in one of these layouts: ml-100k (u.data + u.item), " +
  "the CSV releases ml-latest-small / ml-20m / ml-25m (ratings.csv + movies.csv), or ml-1m / ml-10m (ratings.dat + movies.dat)";

/** Finds the layout of a MovieLens directory, or says which layouts are expected. */
export function detectMovieLensLayout(dir: string): MovieLensLayout {
  if (!existsSync(dir)) throw new ImportError(`${dir} does not exist. Expected ${MOVIELENS_LAYOUTS}`);
  if (!statSync(dir).isDirectory()) throw new ImportError(`${dir} is a file, not a directory. Expected ${MOVIELENS_LAYOUTS}`);
  const has = (f: string) => existsSync(path.join(dir, f));
  if (has("u.data") && has("u.item")) return { name: "ml-100k", ratings: path.join(dir, "u.data"), movies: path.join(dir, "u.item"), encoding: "latin1" };
  if (has("ratings.csv") && has("movies.csv")) return { name: "csv", ratings: path.join(dir, "ratings.csv"), movies: path.join(dir, "movies.csv"), encoding: "utf8" };
  if (has("ratings.dat") && has("movies.dat")) return { name: "dat", ratings: path.join(dir, "ratings.dat"), movies: path.join(dir, "movies.dat"), encoding: "latin1" };
  throw new ImportError(`${dir} holds no MovieLens files I know. Expected ${MOVIELENS_LAYOUTS}`);
}

/** ml-100k's 19 genre flags, in u.genre's order. */
const ML100K_GENRES = [
  "unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary", "Drama", "Fantasy",
  "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western",
];

/** "Shawshank Redemption, The (1994)" -> The Shawshank Redemption, 1994 (the demo catalog's spelling). */
export function parseMovieLensTitle(raw: string): { title: string; year: number | null } {
  let title = raw.trim();
  let year: number | null = null;
  const withYear = /^(.*?)\s*\((\d{4})(?:[-–]\d{0,4})?\)\s*$/.exec(title);
  if (withYear) {
    title = withYear[1];
    year = Number(withYear[2]);
  }
  const article = /^(.*), (The|A|An)(\s*\(.*\))?$/.exec(title);
  if (article) title = `${article[2]} ${article[1]}${article[3] ?? ""}`;
  return { title, year };
}

export async function readMovieLensMovies(layout: MovieLensLayout, errors: LineErrors): Promise<CatalogRow[]> {
  const rows: CatalogRow[] = [];
  const file = path.basename(layout.movies);
  await readLines({ path: layout.movies, encoding: layout.encoding }, {
    onLine(text, line) {
      if (text.trim().length === 0) return;
      let cells: string[] | null;
      if (layout.name === "ml-100k") cells = text.split("|");
      else if (layout.name === "dat") cells = text.split("::");
      else {
        if (line === 1 && /^movieId,/i.test(text)) return;
        cells = splitCsvLine(text);
      }
      const wanted = layout.name === "ml-100k" ? 5 + ML100K_GENRES.length : 3;
      if (cells === null || cells.length < wanted || !/^\d+$/.test(cells[0])) {
        errors.add(line, `${file}: expected ${layout.name === "ml-100k" ? "id|title|date|video date|url|19 genre flags" : "movieId, title, genres"}`);
        return;
      }
      const { title, year } = parseMovieLensTitle(cells[1]);
      const genres =
        layout.name === "ml-100k"
          ? ML100K_GENRES.filter((g, i) => cells![5 + i] === "1" && g !== "unknown")
          : cells[2].split("|").filter((g) => g && g !== "(no genres listed)");
      rows.push({ ext: cells[0], title: title || `MovieLens ${cells[0]}`, year, genres });
    },
  });
  if (rows.length === 0) throw new ImportError(`${layout.movies} lists no movies. Expected ${MOVIELENS_LAYOUTS}`);
  return rows;
}

/**
 * Streams the ratings into the stager, each rating becoming the mapping's events. Client event
 * ids are `ml:<movieId>:<k>`: per viewer unique and the same on every run, so re-importing adds
 * nothing.
 */
export async function stageMovieLensRatings(
  layout: MovieLensLayout,
  mapping: RatingMapping,
  stager: EventStager,
  errors: LineErrors,
  onProgress?: (bytes: number, staged: number) => void,
): Promise<{ lines: number; ratings: number }> {
  const file = path.basename(layout.ratings);
  const latestMs = Date.now() + 5 * 60 * 1000;
  let ratings = 0;
  const { lines } = await readLines({ path: layout.ratings, encoding: layout.encoding }, {
    onLine(text, line) {
      if (text.length === 0) return;
      let cells: string[];
      if (layout.name === "ml-100k") cells = text.split("\t");
      else if (layout.name === "dat") cells = text.split("::");
      else {
        if (line === 1 && /^userId,/i.test(text)) return;
        cells = text.split(",");
      }
      if (cells.length < 4) return errors.add(line, `${file}: expected user, movie, rating, timestamp (truncated line?)`);
      const [user, movie, ratingText, timeText] = cells;
      const rating = Number(ratingText);
      const seconds = Number(timeText);
      if (!/^\d+$/.test(user) || !/^\d+$/.test(movie)) return errors.add(line, `${file}: user and movie ids must be integers`);
      if (!(rating >= 0.5 && rating <= 5)) return errors.add(line, `${file}: rating "${ratingText}" is not 0.5..5`);
      if (!Number.isFinite(seconds) || timeText.trim() === "" || seconds * 1000 > latestMs) {
        return errors.add(line, `${file}: timestamp "${timeText}" is not Unix seconds in the past`);
      }
      ratings += 1;
      const events = eventsForRating(mapping, rating);
      for (let k = 0; k < events.length; k++) {
        const e = events[k];
        stager.add(line, user, movie, e.type, (seconds + (e.offsetSeconds ?? 0)) * 1000, e.progress ?? null, `ml:${movie}:${k}`);
      }
    },
    afterChunk: async (bytes) => {
      await stager.flush();
      onProgress?.(bytes, stager.count);
    },
  });
  return { lines, ratings };
}
