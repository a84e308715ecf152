import type { HomeRequest } from "../home-request";
import type { RowDraft } from "../post-selection/home-page";
import { RowKind } from "../row-kind";
import { discountReserve, sunkRow } from "../filters/discount.filter";
import { fromScored } from "./candidate";

/** The viewer's strongest recent titles, each a possible "Because you watched" anchor: score decayed by age. */
export function anchors(req: HomeRequest): number[] {
  const { viewer, model, catalog, settings } = req;
  const now = Date.now();
  const halfLife = settings.anchorHalfLifeDays * 86_400_000;
  return viewer.entries
    .filter((e) => e.score > 0 && !e.disliked && model.indexOf(e.movieId) >= 0 && catalog.movie(e.movieId))
    .map((e) => ({ id: e.movieId, pull: e.score * Math.pow(0.5, Math.max(0, now - e.lastEventAt) / halfLife) }))
    .sort((a, b) => b.pull - a.pull || a.id - b.id)
    .map((a) => a.id);
}

/** "Because you watched X": the titles item-kNN puts nearest to the anchor X. */
export function becauseYouWatchedRow(req: HomeRequest, anchor: number): RowDraft {
  const { model, catalog, gate, settings, viewer } = req;
  const title = `Because you watched ${catalog.movie(anchor)!.title}`;
  return {
    title,
    kind: RowKind.BECAUSE_YOU_WATCHED,
    anchor,
    candidates: sunkRow(
      fromScored(model, catalog, model.bundle.itemKnn.similar(model.indexOf(anchor), settings.rowSize + discountReserve(viewer, settings.rowSize), { filter: gate.filter() })),
      viewer,
      settings.rowSize,
    ),
    reason: () => title,
  };
}
