import type { HomeRequest } from "../home-request";
import type { RowDraft } from "../post-selection/home-page";
import { RowKind } from "../row-kind";
import { discountReserve, sunkRow } from "../filters/discount.filter";
import { staticCandidates } from "./candidate";

export const POPULAR_TITLE = "Popular on Marquee";

/** "Popular on Marquee": the cold-start row of a viewer the engine cannot personalise yet. */
export function popularRow(req: HomeRequest): RowDraft {
  const { model, catalog, gate, settings, viewer } = req;
  return {
    title: POPULAR_TITLE,
    kind: RowKind.POPULAR,
    candidates: sunkRow(staticCandidates(model.bundle.popular, settings.rowSize + discountReserve(viewer, settings.rowSize), gate.filter(), model, catalog), viewer, settings.rowSize),
    reason: () => POPULAR_TITLE,
  };
}
