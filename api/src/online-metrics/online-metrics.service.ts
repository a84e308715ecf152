import { BadUserInputError } from "../common/errors";
import type { RowKind } from "../recommendations/row-kind";
import type { Surface } from "../recommendations/surface";
import { MetricDimension } from "./metric-dimension";
import type { OnlineMetricRow } from "./online-metric-row.type";
import type { MetricCounts, OnlineMetricsRepository } from "./online-metrics.repository";
import { wilsonInterval } from "./wilson";

const DEFAULT_RANGE_MS = 7 * 86_400_000;

/** Click-through, play and watch-through rates with their intervals, by any breakdown of the served slots. */
export class OnlineMetricsService {
  constructor(private readonly repo: OnlineMetricsRepository) {}

  /** `until` defaults to now, `since` to 7 days before `until`. */
  async metrics(since: Date | null | undefined, until: Date | null | undefined, groupBy: readonly MetricDimension[]): Promise<OnlineMetricRow[]> {
    const end = until ?? new Date();
    const start = since ?? new Date(end.getTime() - DEFAULT_RANGE_MS);
    for (const [field, value] of [["since", start], ["until", end]] as const) {
      if (Number.isNaN(value.getTime())) throw new BadUserInputError(`${field} is not a valid time`, { field });
    }
    if (start.getTime() > end.getTime()) {
      throw new BadUserInputError(`since (${start.toISOString()}) is after until (${end.toISOString()}): swap them`, { field: "since" });
    }
    return (await this.repo.counts(start, end, groupBy)).map((counts) => metricRow(counts, new Set(groupBy)));
  }
}

function metricRow(c: MetricCounts, grouped: ReadonlySet<MetricDimension>): OnlineMetricRow {
  const value = (d: MetricDimension) => (grouped.has(d) ? c.key[d] : undefined);
  const model = value(MetricDimension.MODEL);
  const experiment = value(MetricDimension.EXPERIMENT);
  const arm = value(MetricDimension.ARM);
  const ctr = wilsonInterval(c.clicks, c.impressions);
  const play = wilsonInterval(c.plays, c.impressions);
  const watch = c.plays > 0 ? wilsonInterval(c.watchedFull, c.plays) : null;
  return {
    rowKind: (value(MetricDimension.ROW_KIND) as RowKind | undefined) ?? null,
    modelId: model === undefined ? null : Number(model) === 0 ? "fallback" : String(model),
    experimentId: experiment === undefined || Number(experiment) === 0 ? null : String(experiment),
    arm: arm === undefined || Number(arm) < 0 ? null : String(arm),
    day: (value(MetricDimension.DAY) as string | undefined) ?? null,
    rowPosition: (value(MetricDimension.ROW_POSITION) as number | undefined) ?? null,
    itemPosition: (value(MetricDimension.ITEM_POSITION) as number | undefined) ?? null,
    surface: (value(MetricDimension.SURFACE) as Surface | undefined) ?? null,
    impressions: c.impressions,
    viewers: c.viewers,
    clicks: c.clicks,
    plays: c.plays,
    watchedFull: c.watchedFull,
    ctr: c.clicks / c.impressions,
    ctrLow: ctr.low,
    ctrHigh: ctr.high,
    playRate: c.plays / c.impressions,
    playRateLow: play.low,
    playRateHigh: play.high,
    watchThroughRate: watch ? c.watchedFull / c.plays : null,
    watchThroughRateLow: watch?.low ?? null,
    watchThroughRateHigh: watch?.high ?? null,
  };
}
