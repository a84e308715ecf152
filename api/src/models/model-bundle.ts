import { decodeModel, encodeModel, CorruptModelError } from "../engine/algorithms/model-container";
import type { Recommender } from "../engine/algorithms/recommender";
import { deserializeModel } from "../engine/algorithms/registry";

/**
 * What one training produces and one API process serves: the Top picks model plus the models
 * behind the other rows, stored together as one artifact so that every row of a home page
 * comes from the same training.
 */
export interface ModelBundle {
  /** Top picks (and genre rows, personally ordered). */
  readonly topPicks: Recommender;
  /** "Because you watched X", "More like this", and reasons citing the viewer's titles. */
  readonly itemKnn: Recommender;
  /** "Viewers like you also watched". */
  readonly userKnn: Recommender;
  /** "Trending now" (time-decayed counts at training time). */
  readonly trending: Recommender;
  /** "Most popular", the cold-start row. */
  readonly popular: Recommender;
}

const ROLES = ["topPicks", "itemKnn", "userKnn", "trending", "popular"] as const;

export function encodeBundle(bundle: ModelBundle): Uint8Array {
  const sections: Record<string, Uint8Array> = {};
  for (const role of ROLES) {
    // itemKnn often is the Top picks model too; store it once.
    if (role === "itemKnn" && bundle.itemKnn === bundle.topPicks) continue;
    sections[role] = bundle[role].serialize();
  }
  return encodeModel({ algorithm: "bundle", params: { topPicks: bundle.topPicks.algorithm }, itemIds: [] }, sections);
}

/** Throws CorruptModelError when any part does not load. */
export function decodeBundle(bytes: Uint8Array): ModelBundle {
  const { header, sections } = decodeModel(bytes);
  if (header.algorithm !== "bundle") throw new CorruptModelError(`expected a model bundle, found "${header.algorithm}"`);
  const part = (role: string): Recommender => {
    const section = sections[role];
    if (!(section instanceof Uint8Array)) throw new CorruptModelError(`bundle has no ${role} model`);
    try {
      return deserializeModel(section);
    } catch (error) {
      throw error instanceof CorruptModelError ? error : new CorruptModelError(`${role}: ${(error as Error).message}`);
    }
  };
  const topPicks = part("topPicks");
  return {
    topPicks,
    itemKnn: sections.itemKnn ? part("itemKnn") : topPicks,
    userKnn: part("userKnn"),
    trending: part("trending"),
    popular: part("popular"),
  };
}
