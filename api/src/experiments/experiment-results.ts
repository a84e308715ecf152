import { wilsonInterval } from "../online-metrics/wilson";
import { ArmResult, ArmResultPoint } from "./arm-result.type";
import { ExperimentMetric } from "./experiment-status";
import type { StoredArm } from "./experiment.type";
import type { ViewerHourCounts } from "./experiment.repository";
import { addOutcome, compare, emptyMoments, removeOutcome, SequentialTest, summarise, type RatioMoments } from "./statistics";

interface Totals {
  impressions: number;
  clicks: number;
  plays: number;
  watchedFull: number;
}

function ratioOf(metric: ExperimentMetric, t: Totals): [number, number] {
  switch (metric) {
    case ExperimentMetric.CTR:
      return [t.clicks, t.impressions];
    case ExperimentMetric.PLAY_RATE:
      return [t.plays, t.impressions];
    case ExperimentMetric.WATCH_THROUGH_RATE:
      return [t.watchedFull, t.plays];
  }
}

/**
 * Per-arm results from every viewer's hourly counts (hour order): each viewer's totals are its
 * outcome; after each hour the arms are compared with control on the primary metric (so the
 * history is what an admin looking every hour would have seen) and the mSPRT p-value is the
 * running minimum over those looks. `tau`: the mixture's scale (statistics.ts).
 */
export function experimentResults(arms: readonly StoredArm[], metric: ExperimentMetric, rows: readonly ViewerHourCounts[], tau?: number): ArmResult[] {
  const control = Math.max(0, arms.findIndex((a) => a.control));
  const viewers = arms.map(() => new Map<string, Totals>());
  const moments: RatioMoments[] = arms.map(() => emptyMoments());
  const tests = arms.map(() => new SequentialTest());
  const history: ArmResultPoint[][] = arms.map(() => []);

  const look = (hour: Date) => {
    const controlSummary = summarise(moments[control]);
    arms.forEach((_, arm) => {
      if (arm === control) return;
      const summary = summarise(moments[arm]);
      const c = compare(summary, controlSummary, { tau });
      const p = tests[arm].look(c);
      const finite = Number.isFinite(c.standardError);
      history[arm].push(
        Object.assign(new ArmResultPoint(), {
          at: new Date(hour.getTime() + 3_600_000),
          viewers: summary.viewers,
          difference: finite ? c.difference : null,
          differenceLow: finite ? c.low : null,
          differenceHigh: finite ? c.high : null,
          alwaysValidPValue: p,
        }),
      );
    });
  };

  let hour: number | null = null;
  for (const row of rows) {
    if (row.arm < 0 || row.arm >= arms.length) continue;
    if (hour !== null && row.hour.getTime() !== hour) look(new Date(hour));
    hour = row.hour.getTime();
    const totals = viewers[row.arm].get(row.profileId);
    if (totals) removeOutcome(moments[row.arm], ...ratioOf(metric, totals));
    const next = {
      impressions: (totals?.impressions ?? 0) + row.impressions,
      clicks: (totals?.clicks ?? 0) + row.clicks,
      plays: (totals?.plays ?? 0) + row.plays,
      watchedFull: (totals?.watchedFull ?? 0) + row.watchedFull,
    };
    viewers[row.arm].set(row.profileId, next);
    addOutcome(moments[row.arm], ...ratioOf(metric, next));
  }
  if (hour !== null) look(new Date(hour));

  const controlSummary = summarise(moments[control]);
  return arms.map((stored, arm) => {
    const sum: Totals = { impressions: 0, clicks: 0, plays: 0, watchedFull: 0 };
    let seen = 0;
    for (const t of viewers[arm].values()) {
      if (t.impressions > 0) seen++;
      sum.impressions += t.impressions;
      sum.clicks += t.clicks;
      sum.plays += t.plays;
      sum.watchedFull += t.watchedFull;
    }
    const ctr = wilsonInterval(sum.clicks, sum.impressions);
    const play = wilsonInterval(sum.plays, sum.impressions);
    const watch = wilsonInterval(sum.watchedFull, sum.plays);
    const summary = summarise(moments[arm]);
    const c = arm === control ? null : compare(summary, controlSummary, { tau });
    const finite = c !== null && Number.isFinite(c.standardError);
    return Object.assign(new ArmResult(), {
      arm: stored.name,
      armIndex: arm,
      control: arm === control,
      viewers: seen,
      ...sum,
      ctr: sum.impressions ? sum.clicks / sum.impressions : 0,
      ctrLow: ctr.low,
      ctrHigh: ctr.high,
      playRate: sum.impressions ? sum.plays / sum.impressions : 0,
      playRateLow: play.low,
      playRateHigh: play.high,
      watchThroughRate: sum.plays ? sum.watchedFull / sum.plays : 0,
      watchThroughRateLow: watch.low,
      watchThroughRateHigh: watch.high,
      primaryRate: summary.rate,
      difference: finite ? c.difference : null,
      differenceLow: finite ? c.low : null,
      differenceHigh: finite ? c.high : null,
      pValue: c ? c.pValue : null,
      alwaysValidPValue: c ? tests[arm].pValue : null,
      history: history[arm],
    });
  });
}
