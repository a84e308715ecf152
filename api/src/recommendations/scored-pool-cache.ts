import type { ServingModel } from "../models/model-server";
import type { MovieFilter } from "../movies/movie-filter.input";
import type { Candidate } from "./candidates/candidate";
import type { RowSettings } from "./row-settings";

/** Everything a viewer's scored pool is a function of. */
export interface ScoredPoolKey {
  readonly profileId: string;
  /** The viewer's history watermark (ViewerHistory.watermark, from the read home already makes). */
  readonly watermark: string;
  readonly model: ServingModel;
  readonly catalogVersion: number;
  readonly filter: MovieFilter | null | undefined;
  /** The request's settings (an experiment arm's, when it has its own). */
  readonly settings: RowSettings;
  /** Titles already closed on the page when the pool was drawn (they shape the model's filter). */
  readonly seen: ReadonlySet<number>;
}

/** A pool packed into typed arrays (a few kB for 300 titles, instead of 300 objects). */
interface Entry {
  readonly model: ServingModel;
  readonly check: string;
  readonly movieIds: Int32Array;
  readonly indices: Int32Array;
  readonly scores: Float64Array;
}

function pack(model: ServingModel, check: string, pool: readonly Candidate[]): Entry {
  return {
    model,
    check,
    movieIds: Int32Array.from(pool, (c) => c.movieId),
    indices: Int32Array.from(pool, (c) => c.index),
    scores: Float64Array.from(pool, (c) => c.score),
  };
}

function unpack(entry: Entry): Candidate[] {
  const out: Candidate[] = new Array(entry.movieIds.length);
  for (let i = 0; i < out.length; i++) out[i] = { movieId: entry.movieIds[i], score: entry.scores[i], index: entry.indices[i] };
  return out;
}

/**
 * The scored candidate pool of each recent viewer: the model's ranking of its folded-in history
 * through the scoring chain (normalisation, closed-early and dislike penalties), before anything
 * that changes without an event (cold titles, impression discounting, exploration, serving ids).
 * A viewer's next home reuses it as long as its key holds: same history watermark (any new event
 * or rebuild moves it, and home reads it anyway), same model, catalog load, filter and settings.
 * So a home without a new event costs no fold-in, and the next home after an event recomputes.
 * Bounded LRU: one entry per (viewer, filter); the least recently used goes first.
 */
export class ScoredPoolCache {
  private readonly entries = new Map<string, Entry>();
  private readonly settingsKeys = new WeakMap<RowSettings, string>();
  private hitCount = 0;
  private missCount = 0;

  constructor(readonly capacity: number) {}

  get hits(): number {
    return this.hitCount;
  }

  get misses(): number {
    return this.missCount;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached pool for `key` (fresh candidates: later stages may adjust them), else `compute()`'s, remembered. */
  pool(key: ScoredPoolKey, compute: () => Candidate[]): Candidate[] {
    if (this.capacity <= 0) return compute();
    const slot = `${key.profileId}|${key.filter ? JSON.stringify(key.filter) : ""}`;
    const check = `${key.watermark}|${key.catalogVersion}|${this.settingsKey(key.settings)}|${[...key.seen].sort((a, b) => a - b).join(",")}`;
    const entry = this.entries.get(slot);
    if (entry && entry.model === key.model && entry.check === check) {
      this.hitCount++;
      // Most recently used last.
      this.entries.delete(slot);
      this.entries.set(slot, entry);
      return unpack(entry);
    }
    this.missCount++;
    const pool = compute();
    this.entries.delete(slot);
    this.entries.set(slot, pack(key.model, check, pool));
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return pool;
  }

  /** Drops every entry (a model switch: none of them can be used again). */
  clear(): void {
    this.entries.clear();
  }

  private settingsKey(settings: RowSettings): string {
    let key = this.settingsKeys.get(settings);
    if (key === undefined) {
      key = JSON.stringify(settings);
      this.settingsKeys.set(settings, key);
    }
    return key;
  }
}
