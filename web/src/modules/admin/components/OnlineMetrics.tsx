import { useMemo } from "react";
import type { AdminOnlineMetricsQuery, OnlineRatesFragment, RowKind } from "../../../gql/graphql";
import { dailyRates, daysRange, type Rate } from "../charts/chart-data";
import { DailyRateChart } from "../charts/charts";

const ROW_KIND_NAMES: Record<RowKind, string> = {
  CONTINUE_WATCHING: "Continue watching",
  TOP_PICKS: "Top picks",
  BECAUSE_YOU_WATCHED: "Because you watched",
  VIEWERS_LIKE_YOU: "Viewers like you",
  TRENDING: "Trending",
  GENRE: "Genre rows",
  NEW: "New",
  POPULAR: "Popular",
  MORE_LIKE_THIS: "More like this",
};

const ctrOf = (row: OnlineRatesFragment): Rate => ({ value: row.ctr, low: row.ctrLow, high: row.ctrHigh });
const watchThroughOf = (row: OnlineRatesFragment): Rate | null =>
  row.watchThroughRate == null || row.watchThroughRateLow == null || row.watchThroughRateHigh == null ? null : { value: row.watchThroughRate, low: row.watchThroughRateLow, high: row.watchThroughRateHigh };
const rowKindName = (row: { rowKind: RowKind | null }) => (row.rowKind ? ROW_KIND_NAMES[row.rowKind] : "Unknown");
const modelName = (row: { modelId: string | null }) => (row.modelId === "fallback" ? "SQL fallback" : `Model #${row.modelId}`);
const percent = (v: number) => `${(v * 100).toFixed(1)} %`;

/**
 * Online metrics of the last days: CTR and watch-through per row kind and per model, with their
 * 95 % (Wilson) intervals as bands, and CTR by position: how attention falls along a row and
 * down the page.
 */
export function OnlineMetrics({ data, days, since }: { data: AdminOnlineMetricsQuery; days: number; since: string }) {
  const xRange = useMemo(() => daysRange(new Date(since), new Date()), [since]);
  const charts = useMemo(
    () => ({
      ctrByKind: dailyRates(data.byRowKind, rowKindName, ctrOf),
      watchByKind: dailyRates(data.byRowKind, rowKindName, watchThroughOf),
      ctrByModel: dailyRates(data.byModel, modelName, ctrOf),
      watchByModel: dailyRates(data.byModel, modelName, watchThroughOf),
    }),
    [data],
  );
  const impressions = data.byRowKind.reduce((n, row) => n + row.impressions, 0);
  return (
    <section aria-labelledby="online-heading">
      <h2 id="online-heading">Online metrics, last {days} days</h2>
      <p className="muted">
        {impressions.toLocaleString()} impressions. CTR: impressions followed by an attributed click or play; watch-through: attributed plays watched in full. Bands are 95 % intervals.
      </p>
      <div className="rate-charts">
        <DailyRateChart title="CTR by row kind" daily={charts.ctrByKind} xRange={xRange} />
        <DailyRateChart title="Watch-through by row kind" daily={charts.watchByKind} xRange={xRange} />
        <DailyRateChart title="CTR by model" daily={charts.ctrByModel} xRange={xRange} />
        <DailyRateChart title="Watch-through by model" daily={charts.watchByModel} xRange={xRange} />
      </div>
      <div className="position-tables">
        <PositionTable caption="CTR by position in the row (1 = first title)" rows={data.byItemPosition.map((row) => ({ position: row.itemPosition, row }))} />
        <PositionTable caption="CTR by row on the page (1 = top row)" rows={data.byRowPosition.map((row) => ({ position: row.rowPosition, row }))} />
      </div>
    </section>
  );
}

function PositionTable({ caption, rows }: { caption: string; rows: { position: number | null; row: OnlineRatesFragment }[] }) {
  const sorted = rows.filter((r): r is { position: number; row: OnlineRatesFragment } => r.position !== null).sort((a, b) => a.position - b.position).slice(0, 20);
  const top = Math.max(0.0001, ...sorted.map((r) => r.row.ctrHigh));
  return (
    <table className="admin-table position-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Position</th>
          <th scope="col">Impressions</th>
          <th scope="col">Clicks</th>
          <th scope="col">CTR</th>
          <th scope="col">95 % interval</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map(({ position, row }) => (
          <tr key={position}>
            <th scope="row">{position + 1}</th>
            <td>{row.impressions.toLocaleString()}</td>
            <td>{row.clicks.toLocaleString()}</td>
            <td className="position-ctr">
              {percent(row.ctr)}
              <span className="position-bar" aria-hidden="true">
                <span className="position-band" style={{ left: `${(row.ctrLow / top) * 100}%`, width: `${((row.ctrHigh - row.ctrLow) / top) * 100}%` }} />
                <span className="position-value" style={{ left: `${(row.ctr / top) * 100}%` }} />
              </span>
            </td>
            <td className="position-interval">
              {percent(row.ctrLow)} – {percent(row.ctrHigh)}
            </td>
          </tr>
        ))}
        {sorted.length === 0 ? (
          <tr>
            <td colSpan={5} className="muted">
              No impressions yet.
            </td>
          </tr>
        ) : null}
      </tbody>
    </table>
  );
}
