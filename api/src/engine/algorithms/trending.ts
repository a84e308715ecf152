import type { InteractionMatrix } from "../matrix/interaction-matrix";
import type { AlgorithmSpec } from "./recommender";
import { assertTrainable, numberParam, ParameterError, rejectUnknown } from "./common";
import { StaticRanking } from "./popularity";

/**
 * Trending: each positive (viewer, title) pair counts 2^(-age / halfLife), its age measured
 * from the pair's latest event to `now`. So a title watched by 100 viewers last year ranks
 * below one watched by 30 this week when the half-life is a week.
 */
export interface TrendingParams extends Record<string, unknown> {
  readonly halfLifeDays: number;
  /** Unix seconds to measure ages from; 0 = the latest event in the data (offline splits). */
  readonly now: number;
}

const KNOWN = ["halfLifeDays", "now"];

export const trending: AlgorithmSpec<TrendingParams> = {
  name: "trending",
  defaults: { halfLifeDays: 7, now: 0 },
  grid: { halfLifeDays: [1, 7, 30, 180] },
  validate(params) {
    rejectUnknown("trending", params, KNOWN);
    return {
      halfLifeDays: numberParam("trending", "halfLifeDays", params.halfLifeDays, 7, 0, true),
      now: numberParam("trending", "now", params.now, 0, 0),
    };
  },
  async fit(data: InteractionMatrix, params) {
    const p = trending.validate(params);
    assertTrainable("trending", data);
    const times = data.lastEventAt;
    const { scores } = data;
    if (!times || times.length !== scores.data.length) {
      throw new ParameterError("trending: the matrix has no lastEventAt timestamps (one per score); load them with the scores");
    }
    let now = p.now;
    if (now === 0) for (let i = 0; i < times.length; i++) if (scores.data[i] > 0 && times[i] > now) now = times[i];
    const decayPerSecond = Math.LN2 / (p.halfLifeDays * 86400);
    const weights = new Float64Array(scores.nCols);
    for (let i = 0; i < scores.indices.length; i++) {
      if (!(scores.data[i] > 0)) continue;
      // Events after `now` (clock skew) count as fresh, never as more than 1.
      const age = Math.max(0, now - times[i]);
      weights[scores.indices[i]] += Math.exp(-decayPerSecond * age);
    }
    return new StaticRanking("trending", { ...p, now }, data.items.toArray().slice(), Float32Array.from(weights));
  },
  deserialize(bytes) {
    return StaticRanking.deserialize("trending", bytes);
  },
};
