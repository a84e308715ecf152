import type { CatalogCache } from "../catalog-cache";
import type { Eligible } from "../filters/eligibility";
import { eligibleNow, type HomeRequest } from "../home-request";
import type { RowDraft } from "../post-selection/home-page";
import { personalReason } from "../post-selection/reasons";
import { RowKind } from "../row-kind";
import { take } from "../selection/row-selection";
import type { ViewerContext } from "../viewer-context";
import type { Candidate } from "./candidate";
import { personalCandidates } from "./top-picks.source";

/** The viewer's genres by summed positive score, strongest first. */
export function favouriteGenres(viewer: ViewerContext, catalog: CatalogCache): string[] {
  const bits = [...viewer.genreProfile.keys()].filter((b) => viewer.genreProfile[b] > 0);
  bits.sort((a, b) => viewer.genreProfile[b] - viewer.genreProfile[a]);
  return bits.map((b) => catalog.genreName(b)).filter((g): g is string => g !== undefined);
}

/** "<Genre> picked for you": the personal pool within one genre. */
export function genreRow(req: HomeRequest, pool: readonly Candidate[], genre: string): RowDraft {
  const { catalog, settings } = req;
  const open = eligibleNow(req);
  const inGenre: Eligible = (id) => open(id) && catalog.movie(id)!.genres.includes(genre);
  let picks = take(pool, settings.rowSize, inGenre);
  // A genre the pool barely reaches gets its own fold-in, restricted to the genre.
  if (picks.length < settings.rowSize / 2) picks = personalCandidates(req, settings.rowSize, req.gate, inGenre);
  return {
    title: `${genre} picked for you`,
    kind: RowKind.GENRE,
    anchor: genre,
    candidates: picks,
    reason: (c) => personalReason(req, c, req.reasons),
  };
}
