import { existsSync, statSync } from "node:fs";
import path from "node:path";
import type { DataSource } from "typeorm";
import { mapExternalMovies, mergeCatalog, readCatalogFile, CATALOG_LAYOUT } from "./catalog-format";
import { inImportTransaction, LineErrors, type ImportLineError, type MergeResult } from "./event-staging";
import { EVENTS_LAYOUT, stageEventsFile, type EventsFormat } from "./events-format";
import { ImportError } from "./import-error";
import type { TextSource } from "./line-reader";
import { detectMovieLensLayout, readMovieLensMovies, stageMovieLensRatings } from "./movielens-format";
import { DEFAULT_RATING_MAPPING, type RatingMapping } from "./rating-mapping";

export type ImportKind = "movielens" | "events" | "catalog";

/** What the CLI shows while an import runs. */
export interface ImportProgress {
  /** Reading starts; `totalBytes` of input. */
  reading(totalBytes: number): void;
  read(bytes: number, events: number): void;
  /** Reading is done; the set-based merge runs (one transaction, no progress inside). */
  merging(): void;
}

export interface ImportSummary {
  readonly kind: ImportKind;
  /** MovieLens layout, or the events/catalog format. */
  readonly layout: string;
  readonly linesRead: number;
  /** Valid events staged (a rating may become several events). */
  readonly eventsStaged: number;
  readonly eventsImported: number;
  /** Events already stored (same profile and client event id): skipped. */
  readonly duplicates: number;
  readonly profilesCreated: number;
  readonly moviesCreated: number;
  readonly moviesUpdated: number;
  /** External titles mapped onto an existing movie of the same name and year. */
  readonly moviesMatched: number;
  readonly pairsUpdated: number;
  readonly rejectedLines: number;
  /** The first rejected lines (up to 1,000), by line number. */
  readonly errors: ImportLineError[];
  readonly millis: number;
  readonly mergeMillis: number;
}

export interface EventsImportOptions {
  readonly format?: EventsFormat;
  /** Id space of non-UUID profile values (default "events"): the same id maps to the same profile on every import. */
  readonly source?: string;
  readonly progress?: ImportProgress;
  readonly maxListedErrors?: number;
}

export interface MovieLensImportOptions {
  /** Id space of the users and movies (default `movielens:<directory name>`). */
  readonly source?: string;
  readonly mapping?: RatingMapping;
  readonly progress?: ImportProgress;
  readonly maxListedErrors?: number;
}

/** A readable file, or an ImportError saying what is wrong and what was expected. */
function checkFile(file: string, expected: string): number {
  if (!existsSync(file)) throw new ImportError(`${file} does not exist. Expected ${expected}`);
  const stat = statSync(file);
  if (stat.isDirectory()) throw new ImportError(`${file} is a directory. Expected ${expected}`);
  if (stat.size === 0) throw new ImportError(`${file} is empty. Expected ${expected}`);
  return stat.size;
}

const EMPTY_MERGE: Omit<MergeResult, "staged"> = { unknownMovies: 0, inserted: 0, duplicates: 0, profilesCreated: 0, pairsUpdated: 0, mergeMillis: 0 };

/**
 * Bulk import: files are streamed into a staging table by COPY and merged set-based in ONE
 * transaction (a failure or a crash leaves the database as it was). Lines that fail validation
 * are reported by number and skipped; the rest are kept. Re-importing a file adds nothing.
 */
export class ImportService {
  constructor(private readonly dataSource: DataSource) {}

  async importEvents(input: TextSource, options: EventsImportOptions = {}): Promise<ImportSummary> {
    const started = Date.now();
    const size = "path" in input ? checkFile(input.path, EVENTS_LAYOUT) : Buffer.byteLength(input.text);
    if (size === 0) throw new ImportError(`The content is empty. Expected ${EVENTS_LAYOUT}`);
    const errors = new LineErrors(options.maxListedErrors);
    const source = options.source ?? "events";
    let lines = 0;
    const merge = await inImportTransaction(this.dataSource, `profiles:${source}`, async (tx) => {
      options.progress?.reading(size);
      const staged = await tx.stage(async (stager) => {
        ({ lines } = await stageEventsFile(input, options.format, stager, errors, (bytes, n) => options.progress?.read(bytes, n)));
      });
      options.progress?.merging();
      return staged === 0 ? { staged, ...EMPTY_MERGE } : tx.merge({ profileSource: source, acceptProfileUuids: true, movies: { kind: "id" }, errors });
    });
    return this.summary("events", options.format ?? ("path" in input ? path.extname(input.path).slice(1).toUpperCase() || "CSV" : "CSV"), lines, merge, errors, started, {});
  }

  async importMovieLens(dir: string, options: MovieLensImportOptions = {}): Promise<ImportSummary> {
    const started = Date.now();
    const layout = detectMovieLensLayout(dir);
    const size = checkFile(layout.ratings, `a non-empty ${path.basename(layout.ratings)}`);
    checkFile(layout.movies, `a non-empty ${path.basename(layout.movies)}`);
    const errors = new LineErrors(options.maxListedErrors);
    const movieErrors = new LineErrors(options.maxListedErrors);
    const catalog = await readMovieLensMovies(layout, movieErrors);
    const source = options.source ?? `movielens:${path.basename(path.resolve(dir))}`;
    let lines = 0;
    let movies = { created: 0, matched: 0 };
    const merge = await inImportTransaction(this.dataSource, `profiles:${source}`, async (tx) => {
      movies = await mapExternalMovies(tx, source, catalog);
      options.progress?.reading(size);
      const staged = await tx.stage(async (stager) => {
        ({ lines } = await stageMovieLensRatings(layout, options.mapping ?? DEFAULT_RATING_MAPPING, stager, errors, (bytes, n) => options.progress?.read(bytes, n)));
      });
      options.progress?.merging();
      return staged === 0 ? { staged, ...EMPTY_MERGE } : tx.merge({ profileSource: source, acceptProfileUuids: false, movies: { kind: "external", source }, errors });
    });
    // Bad lines of the movies file are reported too, after the ratings', named by file.
    for (const e of movieErrors.sorted()) errors.add(e.line, e.reason);
    return this.summary("movielens", layout.name, lines, merge, errors, started, { created: movies.created, matched: movies.matched });
  }

  async importCatalog(input: TextSource, options: { maxListedErrors?: number } = {}): Promise<ImportSummary> {
    const started = Date.now();
    if ("path" in input) checkFile(input.path, CATALOG_LAYOUT);
    const errors = new LineErrors(options.maxListedErrors);
    const rows = await readCatalogFile(input, errors);
    const result = await inImportTransaction(this.dataSource, "catalog", (tx) => (rows.length ? mergeCatalog(tx, rows) : Promise.resolve({ created: 0, updated: 0, matched: 0 })));
    return {
      kind: "catalog",
      layout: "path" in input ? path.extname(input.path).slice(1).toUpperCase() || "CSV" : "CSV",
      linesRead: rows.length + errors.count,
      eventsStaged: 0,
      eventsImported: 0,
      duplicates: 0,
      profilesCreated: 0,
      moviesCreated: result.created,
      moviesUpdated: result.updated,
      moviesMatched: result.matched,
      pairsUpdated: 0,
      rejectedLines: errors.count,
      errors: errors.sorted(),
      millis: Date.now() - started,
      mergeMillis: 0,
    };
  }

  private summary(
    kind: ImportKind,
    layout: string,
    lines: number,
    merge: MergeResult,
    errors: LineErrors,
    started: number,
    movies: { created?: number; matched?: number },
  ): ImportSummary {
    return {
      kind,
      layout,
      linesRead: lines,
      eventsStaged: merge.staged,
      eventsImported: merge.inserted,
      duplicates: merge.duplicates,
      profilesCreated: merge.profilesCreated,
      moviesCreated: movies.created ?? 0,
      moviesUpdated: 0,
      moviesMatched: movies.matched ?? 0,
      pairsUpdated: merge.pairsUpdated,
      rejectedLines: errors.count,
      errors: errors.sorted(),
      millis: Date.now() - started,
      mergeMillis: merge.mergeMillis,
    };
  }
}
