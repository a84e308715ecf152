import type { ServingModel } from "../../models/model-server";
import type { MovieFilter } from "../../movies/movie-filter.input";
import type { Movie } from "../../movies/movie.entity";
import type { CatalogCache } from "../catalog-cache";
import type { Eligible, GateFactory } from "../filters/eligibility";
import { fromScored, type Candidate } from "./candidate";
import { genreNeighbours } from "./cold-titles.source";

/**
 * "More like this": titles with audiences like the anchor's (item-kNN), topped up with titles
 * of the same genres when the model has too few (or the anchor is a title nobody watched yet).
 */
export function moreLikeThis(
  model: ServingModel | null,
  catalog: CatalogCache,
  gates: GateFactory,
  anchor: Movie,
  first: number,
  filter: MovieFilter | null | undefined,
): { candidates: Candidate[]; reason(c: Candidate): string } {
  const movieId = anchor.id;
  const predicate = catalog.predicate(filter);
  const eligible: Eligible = (id) => id !== movieId && catalog.movie(id) !== undefined && (!predicate || predicate(id));
  const index = model ? model.indexOf(movieId) : -1;
  let found: Candidate[] = [];
  if (model && index >= 0) {
    const gate = gates.gate(model, [movieId], filter);
    found = fromScored(model, catalog, model.bundle.itemKnn.similar(index, first, { filter: gate.filter() }));
  }
  if (found.length < first) {
    const taken = new Set(found.map((c) => c.movieId));
    found.push(...genreNeighbours(catalog, catalog.genreMask(catalog.position(movieId)), first - found.length, (id) => eligible(id) && !taken.has(id)));
  }
  return {
    candidates: found.slice(0, first),
    reason: (c) =>
      c.index >= 0
        ? `Viewers who watched ${anchor.title} also watched this`
        : `Also ${catalog.movie(c.movieId)?.genres.find((g) => anchor.genres.includes(g)) ?? "like " + anchor.title}`,
  };
}
