import type { Reads } from "../database/read-replica";
import { BadUserInputError, NotFoundError } from "../common/errors";
import type { Recommender } from "../engine/algorithms/recommender";
import { decodeBundle } from "../models/model-bundle";
import { RowKind } from "../recommendations/row-kind";
import { offPolicyEstimate, type LoggedSlot } from "./off-policy";
import type { OffPolicyEstimate } from "./off-policy.type";

const DEFAULT_RANGE_MS = 7 * 86_400_000;

export interface OffPolicySettings {
  /** Top picks' row size: the target policy's k. */
  readonly rowSize: number;
  /** Importance weights are clipped here. */
  readonly maxWeight: number;
  /** Most explored slots read (the newest first). */
  readonly maxSlots: number;
}

interface SlotRow {
  profile_id: string;
  movie_id: number;
  item_position: number;
  propensity: number;
  played: boolean;
}

interface ScoreRow {
  profile_id: string;
  movie_id: number;
  score: number;
  disliked: boolean;
  last_event_at: Date;
}

/**
 * offPolicyEstimate: a candidate model judged on the explored Top picks slots of [since, until).
 *
 * The target policy (an approximation, stated): the candidate model's top k titles for the viewer
 * (k = Top picks' row size), each equally likely in any slot, so the probability that it puts the
 * logged title in the logged slot is 1/k when the title is in its top k, else 0. The viewer's
 * history is its current interaction_scores minus the logged title itself (so the logged play
 * cannot leak in, and the title stays a candidate); later events on other titles do leak in.
 */
export class OffPolicyService {
  constructor(
    private readonly reads: Reads,
    private readonly settings: OffPolicySettings,
  ) {}

  async estimate(modelId: string, since: Date | null | undefined, until: Date | null | undefined): Promise<OffPolicyEstimate> {
    const end = until ?? new Date();
    const start = since ?? new Date(end.getTime() - DEFAULT_RANGE_MS);
    for (const [field, value] of [["since", start], ["until", end]] as const) {
      if (Number.isNaN(value.getTime())) throw new BadUserInputError(`${field} is not a valid time`, { field });
    }
    if (start.getTime() > end.getTime()) throw new BadUserInputError(`since (${start.toISOString()}) is after until (${end.toISOString()}): swap them`, { field: "since" });
    const id = /^\d+$/.test(modelId) ? Number(modelId) : NaN;
    const artifact = Number.isSafeInteger(id) ? (await this.reads.query<{ artifact: Buffer | null }[]>(`SELECT artifact FROM models WHERE id = $1`, [id]))[0] : undefined;
    if (!artifact) throw new NotFoundError(`no model ${modelId}`, { field: "modelId" });
    if (!artifact.artifact) throw new BadUserInputError(`model ${modelId} has no stored artifact (still training, or failed)`, { field: "modelId" });
    const bundle = decodeBundle(new Uint8Array(artifact.artifact.buffer, artifact.artifact.byteOffset, artifact.artifact.byteLength));

    const rows = await this.reads.query<SlotRow[]>(
      `SELECT profile_id, movie_id, item_position, propensity, played_at IS NOT NULL AS played
         FROM impressions
        WHERE row_kind = $1 AND propensity < 1 AND served_at >= $2 AND served_at < $3
        ORDER BY served_at DESC LIMIT $4`,
      [RowKind.TOP_PICKS, start, end, this.settings.maxSlots],
    );
    const slots: LoggedSlot[] = rows.map((r) => ({ viewer: r.profile_id, movieId: Number(r.movie_id), itemPosition: r.item_position, propensity: Number(r.propensity), played: r.played }));
    const scores = await this.reads.query<ScoreRow[]>(
      `SELECT profile_id, movie_id, score, disliked, last_event_at FROM interaction_scores WHERE profile_id = ANY($1::uuid[])`,
      [[...new Set(slots.map((s) => s.viewer))]],
    );
    const histories = new Map<string, ScoreRow[]>();
    for (const s of scores) {
      const list = histories.get(s.profile_id);
      if (list) list.push(s);
      else histories.set(s.profile_id, [s]);
    }
    const target = this.choiceProbabilities(bundle.topPicks, slots, histories);
    const est = offPolicyEstimate(slots, target, { maxWeight: this.settings.maxWeight });
    return {
      ips: est.ips.value,
      ipsLow: est.ips.low,
      ipsHigh: est.ips.high,
      snips: est.snips?.value ?? null,
      snipsLow: est.snips?.low ?? null,
      snipsHigh: est.snips?.high ?? null,
      effectiveSampleSize: est.effectiveSampleSize,
      slots: est.slots,
      clippedWeights: est.clippedWeights,
      loggedPlayRate: est.loggedPlayRate,
    };
  }

  /**
   * Per slot, 1/k when the model ranks the logged title in its top k for the viewer's history
   * without that title, else 0. One ranking per viewer serves every slot whose title is not in
   * the viewer's history (taking it out changes nothing); the others get a ranking of their own.
   */
  private choiceProbabilities(model: Recommender, slots: readonly LoggedSlot[], histories: ReadonlyMap<string, readonly ScoreRow[]>): number[] {
    const indexOf = new Map(model.itemIds.map((id, i) => [Number(id), i]));
    const k = this.settings.rowSize;
    const topK = (history: readonly ScoreRow[], without: number): Int32Array => {
      const pairs: [number, number, number][] = [];
      for (const h of history) {
        const index = indexOf.get(Number(h.movie_id));
        if (index === undefined || index === without || Number(h.score) === 0) continue;
        pairs.push([index, h.disliked ? -Math.abs(Number(h.score)) : Number(h.score), h.last_event_at.getTime() / 1000]);
      }
      pairs.sort((a, b) => a[0] - b[0]);
      return model.recommend({ indices: Int32Array.from(pairs, (p) => p[0]), data: Float32Array.from(pairs, (p) => p[1]), times: Float64Array.from(pairs, (p) => p[2]) }, k).items;
    };
    const perViewer = new Map<string, Int32Array>();
    return slots.map((s) => {
      const logged = indexOf.get(s.movieId);
      if (logged === undefined) return 0;
      const history = histories.get(s.viewer) ?? [];
      let items: Int32Array;
      if (history.some((h) => Number(h.movie_id) === s.movieId)) {
        items = topK(history, logged);
      } else {
        items = perViewer.get(s.viewer) ?? topK(history, -1);
        perViewer.set(s.viewer, items);
      }
      return items.includes(logged) ? 1 / k : 0;
    });
  }
}
