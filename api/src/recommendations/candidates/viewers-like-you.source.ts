import type { HomeRequest } from "../home-request";
import type { RowDraft } from "../post-selection/home-page";
import { friendsReason } from "../post-selection/reasons";
import { RowKind } from "../row-kind";
import { discountReserve, sunkRow } from "../filters/discount.filter";
import { fromScored } from "./candidate";

/** "Viewers like you also watched": user-kNN over the folded-in history. */
export function viewersLikeYouRow(req: HomeRequest): RowDraft {
  const { model, catalog, viewer, gate, settings } = req;
  return {
    title: "Viewers like you also watched",
    kind: RowKind.VIEWERS_LIKE_YOU,
    candidates: sunkRow(
      fromScored(model, catalog, model.bundle.userKnn.recommend(viewer.history, settings.rowSize + discountReserve(viewer, settings.rowSize), { filter: gate.filter() })),
      viewer,
      settings.rowSize,
    ),
    reason: (c) => friendsReason(req, c),
  };
}
