import type { HomeRequest } from "../home-request";
import type { RowDraft } from "../post-selection/home-page";
import { RowKind } from "../row-kind";
import { staticCandidates } from "./candidate";

/** "Trending now": time-decayed counts at training time, the same for every viewer. */
export function trendingRow(req: HomeRequest): RowDraft {
  const { model, catalog, gate, settings } = req;
  return {
    title: "Trending now",
    kind: RowKind.TRENDING,
    candidates: staticCandidates(model.bundle.trending, settings.rowSize, gate.filter(), model, catalog),
    reason: (_c, position) => `#${position + 1} on Marquee this week`,
  };
}
