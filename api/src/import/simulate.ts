import type { DataSource } from "typeorm";
import { EVENT_TYPES, generateAudienceChunks } from "../engine/synthetic/audience";
import type { InteractionType } from "../interactions/interaction-type";
import { inImportTransaction, LineErrors } from "./event-staging";

export interface SimulateSpec {
  readonly events: number;
  readonly viewers: number;
  readonly titles: number;
  readonly seed: number;
  /** The simulated history ends now and spans this many days. */
  readonly days: number;
}

export interface SimulateProgress {
  generating(totalEvents: number): void;
  generated(events: number): void;
  merging(): void;
}

export interface SimulateResult {
  readonly source: string;
  readonly titlesCreated: number;
  readonly profilesCreated: number;
  readonly eventsImported: number;
  readonly duplicates: number;
  readonly pairsUpdated: number;
  readonly millis: number;
  readonly generateMillis: number;
  readonly mergeMillis: number;
}

const GENRES = ["Action", "Adventure", "Animation", "Comedy", "Crime", "Documentary", "Drama", "Fantasy", "Horror", "Mystery", "Romance", "Sci-Fi", "Thriller", "Western"];

/** The `import_profiles` source of a simulated audience: its spec, so a different audience gets different viewers. */
export function simulationSource(spec: SimulateSpec): string {
  return `simulate:seed=${spec.seed},viewers=${spec.viewers},titles=${spec.titles},events=${spec.events}`;
}

/** The spec a `simulationSource` string was made from, or null if it is not one. */
export function parseSimulationSource(source: string): Omit<SimulateSpec, "days"> | null {
  const match = /^simulate:seed=(-?\d+),viewers=(\d+),titles=(\d+),events=(\d+)$/.exec(source);
  if (!match) return null;
  return { seed: Number(match[1]), viewers: Number(match[2]), titles: Number(match[3]), events: Number(match[4]) };
}

/**
 * The catalog's genres as the audience's taste topics (so that viewers love real genres, as the
 * demo seed's do): a bitmask per title over the first 32 genre names in order, and those names.
 * `titleGenres` is undefined when the catalog has no genres (the world's latent topics then).
 */
export function tasteTopics(movies: readonly { genres: readonly string[] }[]): { names: string[]; titleGenres?: Uint32Array } {
  const names = [...new Set(movies.flatMap((m) => m.genres))].sort().slice(0, 32);
  return { names, titleGenres: names.length > 0 ? genreMasks(movies, names) : undefined };
}

/** Genre bitmasks over `names` (genres not in it are ignored). */
export function genreMasks(movies: readonly { genres: readonly string[] }[], names: readonly string[]): Uint32Array {
  const masks = new Uint32Array(movies.length);
  movies.forEach((m, t) => {
    for (const g of m.genres) {
      const bit = names.indexOf(g);
      if (bit >= 0) masks[t] |= 1 << bit;
    }
  });
  return masks;
}

/**
 * Writes a synthetic audience (the engine's one generator, `generateAudienceChunks`, streamed)
 * into Postgres: titles first when the catalog has fewer than `titles`, viewers as profiles
 * (external ids 1..viewers under `simulationSource(spec)`), events by COPY, then the same
 * set-based merge as `npm run import` (scores folded from the inserted events). One
 * transaction; running it twice with the same spec adds nothing.
 */
export async function simulateAudience(dataSource: DataSource, spec: SimulateSpec, progress?: SimulateProgress): Promise<SimulateResult> {
  const started = Date.now();
  for (const [name, value] of Object.entries(spec)) {
    if (!Number.isInteger(value) || value <= 0) throw new RangeError(`--${name} must be a positive integer, got ${value}`);
  }
  const source = simulationSource(spec);
  const endTime = Math.floor(Date.now() / 1000 / 3600) * 3600;
  let generateMillis = 0;
  let titlesCreated = 0;
  const merge = await inImportTransaction(dataSource, `profiles:${source}`, async (tx) => {
    const [{ n }] = (await tx.query(`SELECT count(*)::int AS n FROM movies`)) as { n: number }[];
    if (n < spec.titles) {
      titlesCreated = spec.titles - n;
      await tx.query(`SELECT setval(pg_get_serial_sequence('movies', 'id'), greatest((SELECT coalesce(max(id), 0) FROM movies), 1))`);
      await tx.query(
        `INSERT INTO movies (title, year, genres, synopsis, runtime_minutes, maturity_rating, added_at)
         SELECT 'Synthetic Title ' || (g + $2), 1950 + (g * 7) % 76,
                ARRAY[($3::text[])[1 + g % cardinality($3::text[])]]
                  || CASE WHEN g % 3 = 0 THEN ARRAY[($3::text[])[1 + (g / 3 + 5) % cardinality($3::text[])]] ELSE '{}'::text[] END,
                'A synthetic title for load and demos.', 80 + g % 70, (ARRAY['G','PG','PG-13','R'])[1 + g % 4], now() - make_interval(days => g % 365)
         FROM generate_series(1, $1::int) g`,
        [titlesCreated, n, GENRES],
      );
    }
    const movies = (await tx.query(`SELECT id, genres FROM movies ORDER BY id LIMIT $1`, [spec.titles])) as { id: number; genres: string[] }[];
    const { titleGenres } = tasteTopics(movies);
    const movieIds = movies.map((m) => String(m.id));
    const generated = Date.now();
    progress?.generating(spec.events);
    const staged = await tx.stage(async (stager) => {
      let index = 0;
      const chunks = generateAudienceChunks(
        {
          viewers: spec.viewers,
          titles: movies.length,
          events: spec.events,
          seed: spec.seed,
          titleGenres,
          startTime: endTime - spec.days * 86400,
          endTime,
        },
        1 << 16,
      );
      for (const chunk of chunks) {
        for (let i = 0; i < chunk.length; i++, index++) {
          const p = chunk.progress[i];
          stager.add(index + 1, String(chunk.viewer[i] + 1), movieIds[chunk.title[i]], EVENT_TYPES[chunk.type[i]] as InteractionType,
            chunk.time[i] * 1000, Number.isNaN(p) ? null : p, `sim:${index}`);
        }
        await stager.flush();
        progress?.generated(index);
      }
    });
    generateMillis = Date.now() - generated;
    progress?.merging();
    return tx.merge({ profileSource: source, acceptProfileUuids: false, movies: { kind: "id" }, errors: new LineErrors(10) }).then((m) => ({ ...m, staged }));
  });
  return {
    source,
    titlesCreated,
    profilesCreated: merge.profilesCreated,
    eventsImported: merge.inserted,
    duplicates: merge.duplicates,
    pairsUpdated: merge.pairsUpdated,
    millis: Date.now() - started,
    generateMillis,
    mergeMillis: merge.mergeMillis,
  };
}
