import type { Reads } from "../database/read-replica";
import { MetricDimension } from "./metric-dimension";

/** One group's counts, its dimension values as SQL returns them. */
export interface MetricCounts {
  readonly key: Record<MetricDimension, unknown>;
  readonly impressions: number;
  readonly viewers: number;
  readonly clicks: number;
  readonly plays: number;
  readonly watchedFull: number;
}

/** How each dimension reads in the roll-ups (hour-bucketed) and in impressions (raw). */
const DIMENSION_SQL: Record<MetricDimension, { rollup: string; raw: string }> = {
  // Enums as themselves in the roll-ups (pg returns their text), so a grouping by row kind can
  // read the per-viewer roll-up in its (row_kind, profile_id) index order.
  [MetricDimension.ROW_KIND]: { rollup: "row_kind", raw: "row_kind::text" },
  [MetricDimension.MODEL]: { rollup: "model_id", raw: "coalesce(model_id, 0)" },
  [MetricDimension.EXPERIMENT]: { rollup: "experiment_id", raw: "coalesce(experiment_id, 0)" },
  [MetricDimension.ARM]: { rollup: "arm", raw: "coalesce(arm, -1)" },
  [MetricDimension.DAY]: { rollup: "to_char(hour AT TIME ZONE 'UTC', 'YYYY-MM-DD')", raw: "to_char(date_trunc('hour', served_at, 'UTC') AT TIME ZONE 'UTC', 'YYYY-MM-DD')" },
  [MetricDimension.ROW_POSITION]: { rollup: "row_position", raw: "row_position" },
  [MetricDimension.ITEM_POSITION]: { rollup: "item_position", raw: "item_position" },
  [MetricDimension.SURFACE]: { rollup: "surface", raw: "surface::text" },
};

const POSITIONAL = new Set([MetricDimension.ROW_POSITION, MetricDimension.ITEM_POSITION]);

/**
 * Online metrics from the hourly roll-ups kept with every impression and attributed event
 * (impression.repository.ts): a 7-day query reads thousands of roll-up rows, not millions of
 * impressions. Hours are the resolution: a range counts every hour bucket that overlaps it.
 * Viewers need distinct profiles: the per-viewer roll-up has them for every breakdown except by
 * position; by position they are counted from the impressions themselves (a scan of the range).
 */
export class OnlineMetricsRepository {
  /** Lag-tolerant (admin charts): app.ts gives it the read replica when there is one. */
  constructor(private readonly dataSource: Reads) {}

  async counts(since: Date, until: Date, groupBy: readonly MetricDimension[]): Promise<MetricCounts[]> {
    const dims = [...new Set(groupBy)];
    const positional = dims.some((d) => POSITIONAL.has(d));
    const select = (kind: "rollup" | "raw") => dims.map((d, i) => `${DIMENSION_SQL[d][kind]} AS d${i}`);
    const groupList = dims.map((_, i) => String(i + 1)).join(", ");
    const range = `hour >= date_trunc('hour', $1::timestamptz, 'UTC') AND hour < $2`;
    const keyOf = (row: Record<string, unknown>) => dims.map((_, i) => row[`d${i}`]);
    const keyed = (row: Record<string, unknown>) => Object.fromEntries(dims.map((d, i) => [d, row[`d${i}`]])) as Record<MetricDimension, unknown>;

    if (!positional) {
      // Per viewer first, then per group: the inner grouping reads the roll-up in the order of
      // its (row_kind, profile_id, hour) index (an index-only scan, no sort), and a viewer is one
      // row of it, so viewers are a count(*) instead of a count(DISTINCT).
      const outer = dims.map((_, i) => `d${i}`);
      const rows = (await this.dataSource.query(
        `SELECT ${[...outer, "sum(impressions)::float8 AS impressions", "count(*)::int AS viewers", "sum(clicks)::float8 AS clicks", "sum(plays)::float8 AS plays", "sum(watched_full)::float8 AS watched_full"].join(", ")}
           FROM (SELECT ${[...select("rollup"), "profile_id", "sum(impressions) AS impressions", "sum(clicks) AS clicks", "sum(plays) AS plays", "sum(watched_full) AS watched_full"].join(", ")}
                   FROM impression_viewer_rollups WHERE ${range}
                  GROUP BY ${[...dims.map((_, i) => String(i + 1)), String(dims.length + 1)].join(", ")}) per_viewer
          ${dims.length ? `GROUP BY ${groupList} ORDER BY ${groupList}` : ""}`,
        [since, until],
      )) as Record<string, number>[];
      return rows
        .filter((r) => Number(r.impressions) > 0)
        .map((r) => ({ key: keyed(r), impressions: Number(r.impressions), viewers: r.viewers, clicks: Number(r.clicks), plays: Number(r.plays), watchedFull: Number(r.watched_full) }));
    }
    const [sums, viewers] = await Promise.all([
      this.dataSource.query(
        `SELECT ${[...select("rollup"), "sum(impressions)::float8 AS impressions", "sum(clicks)::float8 AS clicks", "sum(plays)::float8 AS plays", "sum(watched_full)::float8 AS watched_full"].join(", ")}
           FROM impression_rollups WHERE ${range} GROUP BY ${groupList} ORDER BY ${groupList}`,
        [since, until],
      ) as Promise<Record<string, number>[]>,
      this.dataSource.query(
        `SELECT ${[...select("raw"), "count(DISTINCT profile_id)::int AS viewers"].join(", ")}
           FROM impressions
          WHERE served_at >= date_trunc('hour', $1::timestamptz, 'UTC')
            AND served_at < date_trunc('hour', $2::timestamptz - interval '1 microsecond', 'UTC') + interval '1 hour'
          GROUP BY ${groupList}`,
        [since, until],
      ) as Promise<Record<string, number>[]>,
    ]);
    const viewersByKey = new Map(viewers.map((r) => [JSON.stringify(keyOf(r)), r.viewers]));
    return sums
      .filter((r) => Number(r.impressions) > 0)
      .map((r) => ({
        key: keyed(r),
        impressions: Number(r.impressions),
        viewers: viewersByKey.get(JSON.stringify(keyOf(r))) ?? 0,
        clicks: Number(r.clicks),
        plays: Number(r.plays),
        watchedFull: Number(r.watched_full),
      }));
  }
}
