import type { MovieFilter } from "../movies/movie-filter.input";
import { movieFromRow } from "../movies/movie-row";
import type { Movie } from "../movies/movie.entity";
import type { CatalogSource } from "./catalog.repository";

/**
 * The catalog in memory for serving rows: Movie objects by id, a genre bitmask per title, and
 * which titles nobody has interacted with yet (placed by genre similarity). Rows are built from
 * this, so a home request reads Postgres once (the viewer's history). Refreshed at most every
 * `maxAgeMs` (new titles from an import appear within that), and on demand.
 */
export class CatalogCache {
  private movies: Movie[] = [];
  private byId = new Map<number, number>();
  private masks = new Uint32Array(0);
  private genreBits = new Map<string, number>();
  /** Positions of the titles nobody had watched at load, in catalog order. */
  private coldList = new Int32Array(0);
  private generation = 0;
  /** Catalog positions, newest title first. */
  private byNewest = new Int32Array(0);
  private loadedAt = 0;
  private pending: Promise<void> | null = null;

  constructor(
    private readonly source: CatalogSource,
    private readonly maxAgeMs = 60_000,
  ) {}

  /** Loads the catalog if it was never loaded or is older than maxAgeMs. */
  async ready(): Promise<this> {
    if (this.loadedAt === 0) await this.reload();
    else if (Date.now() - this.loadedAt > this.maxAgeMs) void this.reload().catch(() => undefined);
    return this;
  }

  reload(): Promise<void> {
    this.pending ??= this.load().finally(() => (this.pending = null));
    return this.pending;
  }

  private async load(): Promise<void> {
    const rows = await this.source.catalog();
    const genres = [...new Set(rows.flatMap((r) => r.genres))].sort();
    const genreBits = new Map(genres.slice(0, 32).map((g, bit) => [g, bit] as const));
    const masks = new Uint32Array(rows.length);
    const cold: number[] = [];
    const byId = new Map<number, number>();
    const movies = rows.map((row, i) => {
      byId.set(Number(row.id), i);
      for (const g of row.genres) {
        const bit = genreBits.get(g);
        if (bit !== undefined) masks[i] |= 1 << bit;
      }
      if (!row.watched) cold.push(i);
      return movieFromRow(row);
    });
    const byNewest = Int32Array.from(movies.keys()).sort(
      (a, b) => movies[b].addedAt.getTime() - movies[a].addedAt.getTime() || movies[b].id - movies[a].id,
    );
    const coldList = Int32Array.from(cold);
    Object.assign(this, { movies, byId, masks, genreBits, coldList, byNewest, generation: this.generation + 1, loadedAt: Date.now() });
  }

  get size(): number {
    return this.movies.length;
  }

  movie(id: number): Movie | undefined {
    const at = this.byId.get(id);
    return at === undefined ? undefined : this.movies[at];
  }

  /** Catalog position of a movie id (-1 unknown). Positions index genreMask and coldPositions. */
  position(id: number): number {
    return this.byId.get(id) ?? -1;
  }

  movieAt(position: number): Movie {
    return this.movies[position];
  }

  genreMask(position: number): number {
    return this.masks[position];
  }

  genreBit(genre: string): number {
    return this.genreBits.get(genre) ?? -1;
  }

  genreName(bit: number): string | undefined {
    for (const [name, b] of this.genreBits) if (b === bit) return name;
    return undefined;
  }

  /** Catalog positions of the titles nobody had watched when the catalog was loaded. */
  coldPositions(): Int32Array {
    return this.coldList;
  }

  /** Counts loads: a cache key for data derived from the catalog. */
  get version(): number {
    return this.generation;
  }

  /** Newest titles first (by added_at, then id), as catalog positions. */
  newest(limit: number): number[] {
    return Array.from(this.byNewest.subarray(0, limit));
  }

  /** A predicate over movie ids equivalent to the SQL MovieFilter (movie-filter.sql.ts). */
  predicate(filter: MovieFilter | null | undefined): ((movieId: number) => boolean) | undefined {
    if (!filter) return undefined;
    const text = filter.text?.trim().toLowerCase() || null;
    const genre = filter.genre || null;
    const anyGenres = filter.genres?.length ? new Set(filter.genres) : null;
    const ratings = filter.maturityRatings?.length ? new Set(filter.maturityRatings) : null;
    const { yearFrom, yearTo } = filter;
    if (!text && !genre && !anyGenres && !ratings && yearFrom == null && yearTo == null) return undefined;
    return (movieId) => {
      const m = this.movie(movieId);
      if (!m) return false;
      if (genre && !m.genres.includes(genre)) return false;
      if (anyGenres && !m.genres.some((g) => anyGenres.has(g))) return false;
      if (ratings && !(m.maturityRating && ratings.has(m.maturityRating))) return false;
      if (yearFrom != null && (m.year == null || m.year < yearFrom)) return false;
      if (yearTo != null && (m.year == null || m.year > yearTo)) return false;
      if (text && !m.title.toLowerCase().includes(text)) return false;
      return true;
    };
  }
}
