import type { Queryable } from "../interactions/interaction-score.repository";
import type { LineErrors } from "./event-staging";
import { ImportError } from "./import-error";
import { readLines, splitCsvLine, type TextSource } from "./line-reader";

/** A title as an import file describes it. `id` (when given) is kept as the Marquee movie id. */
export interface CatalogRow {
  id?: number;
  /** External id (MovieLens movieId) when the ids live in `import_movies` instead. */
  ext?: string;
  title: string;
  year: number | null;
  genres: string[];
  synopsis?: string;
  runtimeMinutes?: number | null;
  maturityRating?: string | null;
  posterUrl?: string | null;
  trailerUrl?: string | null;
}

export const CATALOG_LAYOUT =
  "a catalog file: CSV with a header line naming the columns title and optionally id, year, genres (separated by |), synopsis, " +
  'runtime_minutes, maturity_rating, poster_url, trailer_url; or JSON Lines: {"id": 1, "title": "Toy Story", "year": 1995, "genres": ["Animation", "Comedy"]}';

const FIELD_ALIASES: Record<string, readonly string[]> = {
  id: ["id", "movieid"],
  title: ["title", "name"],
  year: ["year"],
  genres: ["genres", "genre"],
  synopsis: ["synopsis", "description", "overview"],
  runtimeMinutes: ["runtimeminutes", "runtime"],
  maturityRating: ["maturityrating", "rating", "certification"],
  posterUrl: ["posterurl", "poster"],
  trailerUrl: ["trailerurl", "trailer"],
};

function fieldOf(name: string): string | undefined {
  const key = name.toLowerCase().replace(/[\s_-]/g, "");
  return Object.keys(FIELD_ALIASES).find((field) => FIELD_ALIASES[field].includes(key));
}

function optionalInt(value: unknown, what: string, min: number, max: number): number | null | string {
  if (value === undefined || value === null || value === "") return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) return `${what} must be an integer ${min}..${max}, got "${String(value)}"`;
  return n;
}

function optionalText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const text = String(value).trim();
  return text.length === 0 ? null : text;
}

/** Checks one title; returns the row, or records why not. */
function catalogRow(o: Record<string, unknown>, line: number, errors: LineErrors): CatalogRow | null {
  const title = optionalText(o.title);
  if (!title) {
    errors.add(line, "title is missing");
    return null;
  }
  const id = optionalInt(o.id, "id", 1, 2147483647);
  const year = optionalInt(o.year, "year", 1870, 2100);
  const runtime = optionalInt(o.runtimeMinutes, "runtime_minutes", 1, 2000);
  for (const checked of [id, year, runtime]) {
    if (typeof checked === "string") {
      errors.add(line, checked);
      return null;
    }
  }
  const genres = Array.isArray(o.genres)
    ? o.genres.map((g) => String(g).trim()).filter(Boolean)
    : (optionalText(o.genres) ?? "").split("|").map((g) => g.trim()).filter((g) => g && g !== "(no genres listed)");
  return {
    id: (id as number | null) ?? undefined,
    title,
    year: year as number | null,
    genres,
    synopsis: optionalText(o.synopsis) ?? "",
    runtimeMinutes: runtime as number | null,
    maturityRating: optionalText(o.maturityRating),
    posterUrl: optionalText(o.posterUrl),
    trailerUrl: optionalText(o.trailerUrl),
  };
}

/** Reads a catalog CSV / JSON Lines file (a few hundred thousand titles at most: kept in memory). */
export async function readCatalogFile(source: TextSource, errors: LineErrors): Promise<CatalogRow[]> {
  const name = "path" in source ? source.path : "the content";
  const rows: CatalogRow[] = [];
  let format: "CSV" | "JSONL" | undefined;
  let fields: (string | undefined)[] = [];
  await readLines(source, {
    onLine(text, line) {
      if (text.trim().length === 0) return;
      if (!format) {
        format = /\.(jsonl|ndjson|json)$/i.test(name) || text.trimStart().startsWith("{") ? "JSONL" : "CSV";
        if (format === "CSV") {
          fields = (splitCsvLine(text) ?? []).map((h) => fieldOf(h.trim()));
          if (!fields.includes("title")) throw new ImportError(`${name}: line 1 is not a catalog header (no title column; got "${text.slice(0, 120)}"). Expected ${CATALOG_LAYOUT}`);
          return;
        }
      }
      let record: Record<string, unknown>;
      if (format === "JSONL") {
        try {
          const parsed: unknown = JSON.parse(text);
          if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
          record = {};
          for (const [key, value] of Object.entries(parsed)) {
            const field = fieldOf(key);
            if (field) record[field] = value;
          }
        } catch {
          errors.add(line, "not a JSON object (truncated or malformed line)");
          return;
        }
      } else {
        const cells = splitCsvLine(text);
        if (cells === null) return errors.add(line, "unterminated quote (truncated line?)");
        if (cells.length < fields.length) return errors.add(line, `${cells.length} fields where the header has ${fields.length} (truncated line?)`);
        record = {};
        fields.forEach((field, i) => {
          if (field) record[field] = cells[i];
        });
      }
      const row = catalogRow(record, line, errors);
      if (row) rows.push(row);
    },
  });
  if (!format) throw new ImportError(`${name} is empty. Expected ${CATALOG_LAYOUT}`);
  return rows;
}

export interface CatalogResult {
  readonly created: number;
  readonly updated: number;
  readonly matched: number;
}

function recordset(rows: readonly CatalogRow[]): string {
  return JSON.stringify(
    rows.map((r) => ({
      id: r.id ?? null,
      ext: r.ext ?? null,
      title: r.title,
      year: r.year,
      genres: r.genres,
      synopsis: r.synopsis ?? "",
      runtime_minutes: r.runtimeMinutes ?? null,
      maturity_rating: r.maturityRating ?? null,
      poster_url: r.posterUrl ?? null,
      trailer_url: r.trailerUrl ?? null,
    })),
  );
}

const RECORD_COLUMNS = `id int, ext text, title text, year int, genres json, synopsis text, runtime_minutes int, maturity_rating text, poster_url text, trailer_url text`;

/** Moves the identity past explicitly inserted ids, so later inserts without an id do not collide. */
async function advanceMovieIds(db: Queryable): Promise<void> {
  await db.query(
    `SELECT setval(pg_get_serial_sequence('movies', 'id'), m) FROM (SELECT max(id) AS m FROM movies) t
     WHERE m IS NOT NULL AND m >= nextval(pg_get_serial_sequence('movies', 'id'))`,
  );
}

/**
 * Merges a catalog file into `movies`, set-based: rows with an id are inserted or updated under
 * that id; rows without one are added unless a title with the same name and year exists.
 */
export async function mergeCatalog(db: Queryable, rows: readonly CatalogRow[]): Promise<CatalogResult> {
  await advanceMovieIds(db);
  const [result] = (await db.query(
    `WITH input AS MATERIALIZED (SELECT * FROM json_to_recordset($1::json) AS c(${RECORD_COLUMNS})),
     with_id AS (
       INSERT INTO movies AS m (id, title, year, genres, synopsis, runtime_minutes, maturity_rating, poster_url, trailer_url)
       SELECT DISTINCT ON (id) id, title, year, ARRAY(SELECT json_array_elements_text(genres)), synopsis, runtime_minutes, maturity_rating, poster_url, trailer_url
       FROM input WHERE id IS NOT NULL
       ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, year = EXCLUDED.year, genres = EXCLUDED.genres,
         synopsis = EXCLUDED.synopsis, runtime_minutes = EXCLUDED.runtime_minutes, maturity_rating = EXCLUDED.maturity_rating,
         poster_url = EXCLUDED.poster_url, trailer_url = EXCLUDED.trailer_url
       RETURNING (xmax = 0) AS created),
     without_id AS (
       INSERT INTO movies (title, year, genres, synopsis, runtime_minutes, maturity_rating, poster_url, trailer_url)
       SELECT DISTINCT ON (lower(title), year) title, year, ARRAY(SELECT json_array_elements_text(genres)), synopsis, runtime_minutes, maturity_rating, poster_url, trailer_url
       FROM input i WHERE id IS NULL
         AND NOT EXISTS (SELECT 1 FROM movies m WHERE lower(m.title) = lower(i.title) AND m.year IS NOT DISTINCT FROM i.year)
       RETURNING 1)
     SELECT (SELECT count(*) FILTER (WHERE created)::int FROM with_id) + (SELECT count(*)::int FROM without_id) AS created,
            (SELECT count(*) FILTER (WHERE NOT created)::int FROM with_id) AS updated,
            (SELECT count(*)::int FROM input WHERE id IS NULL) - (SELECT count(*)::int FROM without_id) AS matched`,
    [recordset(rows)],
  )) as { created: number; updated: number; matched: number }[];
  await advanceMovieIds(db);
  return result;
}

/**
 * Maps a source's external movie ids (MovieLens movieId) to Marquee movies through
 * `import_movies`: ids mapped before stay; a title with the same name and year is reused (the
 * demo catalog is MovieLens's); the rest become new movies.
 */
export async function mapExternalMovies(db: Queryable, source: string, rows: readonly CatalogRow[]): Promise<{ created: number; matched: number }> {
  await advanceMovieIds(db);
  await db.query(`CREATE TEMP TABLE import_catalog ON COMMIT DROP AS SELECT * FROM json_to_recordset($1::json) AS c(${RECORD_COLUMNS})`, [recordset(rows)]);
  const [{ matched }] = (await db.query(
    `WITH matched AS (
       INSERT INTO import_movies (source, external_id, movie_id)
       SELECT DISTINCT ON (c.ext) $1, c.ext, m.id FROM import_catalog c
       JOIN (SELECT DISTINCT ON (lower(title), year) id, lower(title) AS t, year FROM movies ORDER BY lower(title), year, id) m
         ON m.t = lower(c.title) AND m.year IS NOT DISTINCT FROM c.year
       WHERE NOT EXISTS (SELECT 1 FROM import_movies im WHERE im.source = $1 AND im.external_id = c.ext)
       ON CONFLICT DO NOTHING
       RETURNING 1)
     SELECT count(*)::int AS matched FROM matched`,
    [source],
  )) as { matched: number }[];
  const [{ created }] = (await db.query(
    `WITH fresh AS MATERIALIZED (
       SELECT c.*, nextval(pg_get_serial_sequence('movies', 'id'))::int AS new_id
       FROM (SELECT DISTINCT ON (ext) * FROM import_catalog ORDER BY ext) c
       WHERE NOT EXISTS (SELECT 1 FROM import_movies im WHERE im.source = $1 AND im.external_id = c.ext)),
     made AS (
       INSERT INTO movies (id, title, year, genres, synopsis)
       SELECT new_id, title, year, ARRAY(SELECT json_array_elements_text(genres)), coalesce(synopsis, '') FROM fresh),
     mapped AS (INSERT INTO import_movies (source, external_id, movie_id) SELECT $1, ext, new_id FROM fresh RETURNING 1)
     SELECT count(*)::int AS created FROM mapped`,
    [source],
  )) as { created: number }[];
  return { created, matched };
}
