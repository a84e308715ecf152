import type { HomeRequest } from "../home-request";
import type { RowDraft } from "../post-selection/home-page";
import { RowKind } from "../row-kind";
import { staticCandidates } from "./candidate";

export const POPULAR_TITLE = "Popular on Marquee";

/** "Popular on Marquee": the cold-start row of a viewer the engine cannot personalise yet. */
export function popularRow(req: HomeRequest): RowDraft {
  const { model, catalog, gate, settings } = req;
  return {
    title: POPULAR_TITLE,
    kind: RowKind.POPULAR,
    candidates: staticCandidates(model.bundle.popular, settings.rowSize, gate.filter(), model, catalog),
    reason: () => POPULAR_TITLE,
  };
}
