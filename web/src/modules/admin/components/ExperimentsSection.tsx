import { useQuery } from "@apollo/client/react";
import { ExperimentResultsQuery } from "../graphql/experiment-results.query";
import { ExperimentsQuery } from "../graphql/experiments.query";
import { ExperimentDifferenceChart } from "./ExperimentDifferenceChart";
import "./experiments.css";

const METRIC_LABEL: Record<string, string> = { CTR: "CTR", PLAY_RATE: "play rate", WATCH_THROUGH_RATE: "watch-through" };

const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
const interval = (low: number, high: number) => `${(low * 100).toFixed(1)}–${(high * 100).toFixed(1)}`;
const points = (v: number) => `${v >= 0 ? "+" : ""}${(v * 100).toFixed(2)}`;
const pValue = (p: number | null | undefined) => (p === null || p === undefined ? "–" : p < 0.0001 ? "< 0.0001" : p.toFixed(4));

function ExperimentResults({ id, primaryMetric, headers }: { id: string; primaryMetric: string; headers: Record<string, string> }) {
  const { data, error } = useQuery(ExperimentResultsQuery, { variables: { id }, context: { headers }, fetchPolicy: "network-only" });
  if (error) return <p role="alert" className="admin-error">{error.message}</p>;
  if (!data) return <p className="muted">Loading results…</p>;
  const metric = METRIC_LABEL[primaryMetric] ?? primaryMetric;
  return (
    <>
      <table className="admin-table experiment-results">
        <caption className="muted">
          Rates per impression with 95 % Wilson intervals; difference in {metric} against control per viewer (delta method) with its 95 % interval; decide on the
          always-valid (mSPRT) p-value, which stays valid however often this page is looked at.
        </caption>
        <thead>
          <tr>
            <th scope="col">Arm</th>
            <th scope="col">Viewers</th>
            <th scope="col">Impressions</th>
            <th scope="col">Plays</th>
            <th scope="col">CTR</th>
            <th scope="col">Play rate</th>
            <th scope="col">Watch-through</th>
            <th scope="col">Δ {metric} (pts)</th>
            <th scope="col">Always-valid p</th>
          </tr>
        </thead>
        <tbody>
          {data.experimentResults.map((r) => (
            <tr key={r.armIndex}>
              <th scope="row">
                {r.arm}
                {r.control ? " (control)" : ""}
              </th>
              <td>{r.viewers.toLocaleString()}</td>
              <td>{r.impressions.toLocaleString()}</td>
              <td>{r.plays.toLocaleString()}</td>
              <td title={`95 %: ${interval(r.ctrLow, r.ctrHigh)}`}>
                {pct(r.ctr)} <span className="muted">[{interval(r.ctrLow, r.ctrHigh)}]</span>
              </td>
              <td title={`95 %: ${interval(r.playRateLow, r.playRateHigh)}`}>
                {pct(r.playRate)} <span className="muted">[{interval(r.playRateLow, r.playRateHigh)}]</span>
              </td>
              <td>
                {pct(r.watchThroughRate)} <span className="muted">[{interval(r.watchThroughRateLow, r.watchThroughRateHigh)}]</span>
              </td>
              <td>
                {r.difference === null || r.difference === undefined ? (
                  "–"
                ) : (
                  <>
                    {points(r.difference)}{" "}
                    {r.differenceLow !== null && r.differenceLow !== undefined && r.differenceHigh !== null && r.differenceHigh !== undefined ? (
                      <span className="muted">
                        [{points(r.differenceLow)}, {points(r.differenceHigh)}]
                      </span>
                    ) : null}
                  </>
                )}
              </td>
              <td title={r.pValue === null || r.pValue === undefined ? undefined : `fixed-horizon p (valid only if read once): ${pValue(r.pValue)}`}>{pValue(r.alwaysValidPValue)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {data.experimentResults
        .filter((r) => !r.control)
        .map((r) => (
          <ExperimentDifferenceChart
            key={r.armIndex}
            title={`Difference in ${metric}, ${r.arm} minus control`}
            data={r.history.map((p) => ({ at: String(p.at), difference: p.difference ?? null, low: p.differenceLow ?? null, high: p.differenceHigh ?? null }))}
          />
        ))}
    </>
  );
}

/** Experiments with per-arm results, intervals and the difference over time (admin page). */
export function ExperimentsSection({ adminKey }: { adminKey: string }) {
  const headers = { "x-admin-key": adminKey };
  const { data, error } = useQuery(ExperimentsQuery, { context: { headers }, fetchPolicy: "network-only" });
  return (
    <section aria-labelledby="experiments-heading">
      <h2 id="experiments-heading">Experiments</h2>
      {error ? <p role="alert" className="admin-error">{error.message}</p> : null}
      {data && data.experiments.length === 0 ? <p className="muted">No experiments yet: create one with the createExperiment mutation.</p> : null}
      {data?.experiments.slice(0, 10).map((e) => (
        <article key={e.id} className="experiment" aria-labelledby={`experiment-${e.id}`}>
          <h3 id={`experiment-${e.id}`}>
            #{e.id} {e.name} <span className={`experiment-status experiment-status--${e.status.toLowerCase()}`}>{e.status}</span>
          </h3>
          <p className="muted">
            {e.surface}, {e.trafficPercent} % of viewers, decided on {METRIC_LABEL[e.primaryMetric] ?? e.primaryMetric}; arms:{" "}
            {e.arms
              .map((a) => `${a.name}${a.control ? " (control)" : ""} ${a.share} %${a.pinnedModelId ? ` on model #${a.pinnedModelId}` : a.algorithm ? ` (${a.algorithm})` : ""}`)
              .join(", ")}
            {e.stopReason ? `. Stopped: ${e.stopReason}` : ""}
          </p>
          {e.status === "DRAFT" ? <p className="muted">Not started.</p> : <ExperimentResults id={e.id} primaryMetric={e.primaryMetric} headers={headers} />}
        </article>
      ))}
    </section>
  );
}
