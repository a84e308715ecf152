/**
 * The demo audience: >= 200 profiles with names and avatar colours, and their viewing sessions,
 * simulated by the engine's synthetic generator (viewers with latent genre tastes opening
 * thumbnails, playing, skipping, closing, finishing and rating titles). Fixed seed and fixed
 * profile ids: every fresh database gets the same demo.
 */
import { EVENT_TYPES, generateAudience } from "../api/src/engine/synthetic/audience";

export interface CatalogEntry {
  readonly id: number;
  readonly title: string;
  readonly year: number;
  readonly genres: readonly string[];
  readonly synopsis: string;
  readonly runtimeMinutes: number;
  readonly maturityRating: string;
}

export interface DemoProfile {
  readonly id: string;
  readonly name: string;
  readonly avatarColor: string;
  readonly createdAt: Date;
}

/** Events as parallel columns (no object per event), ready for COPY. */
export interface DemoEvents {
  readonly length: number;
  /** Index into `profiles`. */
  readonly profile: Int32Array;
  readonly movieId: Int32Array;
  readonly type: readonly (typeof EVENT_TYPES)[number][];
  readonly typeCode: Uint8Array;
  /** NaN when the event has no progress. */
  readonly progress: Float32Array;
  /** NaN when the event has no playback position. */
  readonly positionSeconds: Float32Array;
  /** Unix milliseconds. */
  readonly occurredAtMs: Float64Array;
}

export interface DemoAudience {
  readonly profiles: DemoProfile[];
  readonly events: DemoEvents;
}

export const DEMO_SEED = 20261125;
export const DEMO_PROFILES = 240;
export const DEMO_EVENTS = 72_000;
/** The simulated months end a few days before the seed was authored, so the demo feels recent. */
const START_TIME = Date.UTC(2026, 7, 1) / 1000;
const END_TIME = Date.UTC(2026, 10, 20) / 1000;

const FIRST_NAMES = [
  "Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemi", "Liam", "Maya", "Noah", "Olga",
  "Pedro", "Quinn", "Rosa", "Sami", "Tara", "Umar", "Vera", "Wen", "Xavi", "Yara", "Zoe", "Amir", "Bea", "Cyril", "Dana",
  "Emil", "Fern", "Gus", "Hana", "Ivan", "Jade", "Kai", "Lena", "Milo", "Nina",
];
const PALETTE = ["#e50914", "#f5a623", "#2e86de", "#10ac84", "#8e44ad", "#e84393", "#00a8a8", "#6c5ce7", "#d35400", "#27ae60"];

/** Fixed, valid (version 4, variant 10) UUIDs: 00000000-0000-4000-8000-<index + 1>. */
export function demoProfileId(index: number): string {
  return `00000000-0000-4000-8000-${(index + 1).toString(16).padStart(12, "0")}`;
}

export function buildDemoAudience(catalog: readonly CatalogEntry[]): DemoAudience {
  const genreNames = [...new Set(catalog.flatMap((m) => m.genres))].sort();
  if (genreNames.length > 32) throw new Error("The genre bitmask holds 32 genres at most");
  const titleGenres = new Uint32Array(catalog.length);
  catalog.forEach((movie, t) => {
    for (const genre of movie.genres) titleGenres[t] |= 1 << genreNames.indexOf(genre);
  });
  const synthetic = generateAudience({
    viewers: DEMO_PROFILES,
    titles: catalog.length,
    events: DEMO_EVENTS,
    seed: DEMO_SEED,
    titleGenres,
    startTime: START_TIME,
    endTime: END_TIME,
  });

  const profiles: DemoProfile[] = [];
  for (let u = 0; u < DEMO_PROFILES; u++) {
    const first = FIRST_NAMES[u % FIRST_NAMES.length];
    const round = Math.floor(u / FIRST_NAMES.length);
    profiles.push({
      id: demoProfileId(u),
      name: round === 0 ? first : `${first} ${String.fromCharCode(65 + ((u * 7 + round) % 26))}.`,
      avatarColor: PALETTE[(u * 3 + round) % PALETTE.length],
      // Joined one hour apart before the simulated months, so "oldest first" lists them in index order.
      createdAt: new Date((START_TIME - 3600 * (DEMO_PROFILES - u)) * 1000),
    });
  }

  const n = synthetic.length;
  const movieId = new Int32Array(n);
  const positionSeconds = new Float32Array(n);
  const occurredAtMs = new Float64Array(n);
  const type: (typeof EVENT_TYPES)[number][] = new Array(n);
  for (let i = 0; i < n; i++) {
    const movie = catalog[synthetic.title[i]];
    movieId[i] = movie.id;
    type[i] = EVENT_TYPES[synthetic.type[i]];
    const p = synthetic.progress[i];
    positionSeconds[i] = Number.isNaN(p) ? NaN : Math.round(p * movie.runtimeMinutes * 60);
    occurredAtMs[i] = Math.round(synthetic.time[i] * 1000);
  }
  return {
    profiles,
    events: {
      length: n,
      profile: synthetic.viewer,
      movieId,
      type,
      typeCode: synthetic.type,
      progress: synthetic.progress,
      positionSeconds,
      occurredAtMs,
    },
  };
}
