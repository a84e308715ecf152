import type { ServingModel } from "../../models/model-server";
import type { MovieFilter } from "../../movies/movie-filter.input";
import type { CatalogCache } from "../catalog-cache";

/** Whether a movie id may still be shown. */
export type Eligible = (movieId: number) => boolean;
/** The same question over the serving model's title indices, as the models ask it. */
export type ModelFilter = (item: number) => boolean;

/**
 * The filters of a page, over movie ids: not blocked for the viewer (finished, disliked), not
 * already shown in a row of this page (`seen`), in the catalog, within the request's MovieFilter.
 */
export function eligibility(catalog: CatalogCache, blocked: ReadonlySet<number>, filter: MovieFilter | null | undefined, seen: ReadonlySet<number>): Eligible {
  const predicate = catalog.predicate(filter);
  return (id) => !blocked.has(id) && !seen.has(id) && catalog.movie(id) !== undefined && (!predicate || predicate(id));
}

/**
 * The same filters as a byte mask over the serving model's title indices, built once per request
 * from a per-model copy of "in the catalog" (the models call their filter for every title they
 * score, and a mask read is all it costs). Rows close the titles they show for the rows after them.
 */
export class Gate {
  private constructor(
    private readonly model: ServingModel,
    private readonly open: Uint8Array,
  ) {}

  /** Titles of `model` in the catalog, less `blocked` movie ids, narrowed by `predicate`. */
  static of(model: ServingModel, inCatalog: Uint8Array, blocked: Iterable<number>, predicate?: Eligible): Gate {
    const open = inCatalog.slice();
    for (const movieId of blocked) {
      const index = model.indexOf(movieId);
      if (index >= 0) open[index] = 0;
    }
    if (predicate) {
      const ids = model.movieIds;
      for (let i = 0; i < ids.length; i++) if (open[i] === 1 && !predicate(ids[i])) open[i] = 0;
    }
    return new Gate(model, open);
  }

  /** A title shown in a row is closed for the rows after it. */
  use(movieId: number): void {
    const index = this.model.indexOf(movieId);
    if (index >= 0) this.open[index] = 0;
  }

  /** The models' filter; `extra` narrows further (a genre row) on the titles still open. */
  filter(extra?: Eligible): ModelFilter {
    const { open } = this;
    const ids = this.model.movieIds;
    return extra ? (i) => open[i] === 1 && extra(ids[i]) : (i) => open[i] === 1;
  }
}

/** Builds Gates, keeping which of the model's titles are in the catalog per model and catalog load. */
export class GateFactory {
  private cached: { model: ServingModel; catalog: number; mask: Uint8Array } | null = null;

  constructor(private readonly catalog: CatalogCache) {}

  /** The request's Gate: the model's titles in the catalog, less `blocked`, within `filter`. */
  gate(model: ServingModel, blocked: Iterable<number>, filter: MovieFilter | null | undefined): Gate {
    return Gate.of(model, this.inCatalog(model), blocked, this.catalog.predicate(filter));
  }

  private inCatalog(model: ServingModel): Uint8Array {
    const cached = this.cached;
    if (cached && cached.model === model && cached.catalog === this.catalog.version) return cached.mask;
    const mask = new Uint8Array(model.movieIds.length);
    for (let i = 0; i < mask.length; i++) mask[i] = this.catalog.movie(model.movieIds[i]) ? 1 : 0;
    this.cached = { model, catalog: this.catalog.version, mask };
    return mask;
  }
}
