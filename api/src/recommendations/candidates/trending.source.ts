import type { HomeRequest } from "../home-request";
import type { RowDraft } from "../post-selection/home-page";
import { RowKind } from "../row-kind";
import { discountReserve, sunkRow } from "../filters/discount.filter";
import { staticCandidates } from "./candidate";

/** "Trending now": time-decayed counts at training time, the same for every viewer. */
export function trendingRow(req: HomeRequest): RowDraft {
  const { model, catalog, gate, settings, viewer } = req;
  return {
    title: "Trending now",
    kind: RowKind.TRENDING,
    candidates: sunkRow(staticCandidates(model.bundle.trending, settings.rowSize + discountReserve(viewer, settings.rowSize), gate.filter(), model, catalog), viewer, settings.rowSize),
    reason: (_c, position) => `#${position + 1} on Marquee this week`,
  };
}
