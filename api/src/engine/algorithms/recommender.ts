import type { InteractionMatrix } from "../matrix/interaction-matrix";
import type { SparseRow } from "../matrix/csr-matrix";

/** Ranked titles: parallel arrays, best first. Indices are the model's title indices. */
export interface ScoredItems {
  readonly items: Int32Array;
  readonly scores: Float32Array;
}

export interface RecommendOptions {
  /** Title indices never to return (already watched, disliked, shown in another row...). */
  readonly exclude?: ReadonlySet<number> | Int32Array;
  /** When given, only titles for which it returns true are eligible (genre, year, rating filters). */
  readonly filter?: (item: number) => boolean;
  /** Exclude the history's own titles (default true). */
  readonly excludeHistory?: boolean;
}

/** One contribution to a recommendation: a title of the viewer's own, or a neighbouring viewer. */
export interface Contribution {
  readonly kind: "item" | "user";
  /** Title index (kind "item") or training-viewer index (kind "user"). */
  readonly index: number;
  readonly weight: number;
}

/**
 * Every Marquee model. Models are immutable once fitted; serving reads them from many requests.
 * A viewer is described by a history (its sparse score row over the model's title indices), so
 * any viewer can be served, including one created after training: the model folds the history in.
 */
export interface Recommender {
  readonly algorithm: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** External ids of the model's titles, by index. */
  readonly itemIds: readonly string[];
  recommend(history: SparseRow, k: number, options?: RecommendOptions): ScoredItems;
  /** Titles most similar to `item` ("More like this"), the item itself excluded. */
  similar(item: number, k: number, options?: RecommendOptions): ScoredItems;
  /** The viewer's own titles (or neighbours) that contributed most to `item`'s score, strongest first. */
  explain(history: SparseRow, item: number, k?: number): Contribution[];
  serialize(): Uint8Array;
}

export interface FitProgress {
  readonly phase: string;
  /** 0..1 */
  readonly fraction: number;
}

export interface FitOptions {
  readonly seed?: number;
  /** Worker threads to use (default: available cores). */
  readonly threads?: number;
  readonly onProgress?: (progress: FitProgress) => void;
  readonly signal?: AbortSignal;
}

/** A registered algorithm: how to fit it, its defaults and its tuning grid. */
export interface AlgorithmSpec<P extends Record<string, unknown> = Record<string, unknown>> {
  readonly name: string;
  readonly defaults: P;
  /** Values to search on the validation split; each key a list of candidates. */
  readonly grid: { readonly [K in keyof P]?: readonly P[K][] };
  /**
   * Values tried after the grid, one dimension at a time around the grid's best (coordinate
   * ascent, as long as the tuning budget lasts): parameters that mostly act alone, such as a
   * recency half-life, cost a few trials this way instead of multiplying the grid.
   */
  readonly refine?: { readonly [K in keyof P]?: readonly P[K][] };
  /** Grid parameters whose grid ends are limits, not guesses: the search never extends them (e.g. a memory bound). */
  readonly bounded?: readonly (keyof P & string)[];
  /** Throws a clear error for bad parameters before any work is done. */
  validate(params: Partial<P>): P;
  fit(data: InteractionMatrix, params: P, options?: FitOptions): Promise<Recommender>;
  deserialize(bytes: Uint8Array): Recommender;
}
