import { CombinedGraphQLErrors } from "@apollo/client";
import { useLazyQuery } from "@apollo/client/react";
import { useEffect, useState, type FormEvent } from "react";
import { BarChart, LineChart, ShareBar } from "../charts/charts";
import { AdminDashboardQuery } from "../graphql/admin-dashboard.query";
import { AdminOnlineMetricsQuery } from "../graphql/online-metrics.query";
import { ActiveModelTuning } from "./ActiveModelTuning";
import { ExperimentsSection } from "./ExperimentsSection";
import { OnlineMetrics } from "./OnlineMetrics";
import "./admin.css";

type Bucket = "HOUR" | "DAY";

/** The key lives for this tab only: an operator's page must not keep a secret around longer. */
const KEY_STORAGE = "marquee.adminKey";

function bucketLabel(iso: string, bucket: Bucket): string {
  const date = new Date(iso);
  return bucket === "HOUR" ? `${String(date.getUTCHours()).padStart(2, "0")}h` : `${date.getUTCMonth() + 1}/${date.getUTCDate()}`;
}

/** How far back the online metrics go. */
const ONLINE_DAYS = 30;

/** The validation metric the trainer uses to accept a model. */
const METRIC = "NDCG@10";

/** The model's METRIC, or null when it has none (failed, or trained before validation existed). */
function metricOf(model: { metrics?: unknown }): number | null {
  const value = (model.metrics as Record<string, unknown> | null | undefined)?.[METRIC];
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/**
 * Operators' page (/admin): event volume over time, model history with validation metrics and
 * the serving model's coverage. Every request carries the admin key the operator types in.
 */
export function AdminPage() {
  const [key, setKey] = useState(() => sessionStorage.getItem(KEY_STORAGE) ?? "");
  const [draft, setDraft] = useState(key);
  const [bucket, setBucket] = useState<Bucket>("HOUR");
  const [load, { data, error, loading }] = useLazyQuery(AdminDashboardQuery, { fetchPolicy: "network-only" });
  const [loadOnline, online] = useLazyQuery(AdminOnlineMetricsQuery, { fetchPolicy: "network-only" });
  // Fixed when the page opens, so re-rendering does not make a new request.
  const [since] = useState(() => new Date(Date.now() - ONLINE_DAYS * 86_400_000).toISOString());

  useEffect(() => {
    if (key) void load({ variables: { bucket }, context: { headers: { "x-admin-key": key } } }).catch(() => undefined);
  }, [key, bucket, load]);

  useEffect(() => {
    if (key) void loadOnline({ variables: { since }, context: { headers: { "x-admin-key": key } } }).catch(() => undefined);
  }, [key, since, loadOnline]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    sessionStorage.setItem(KEY_STORAGE, draft);
    setKey(draft);
  };

  const refused = CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.code === "UNAUTHENTICATED" || e.extensions?.code === "FORBIDDEN");
  const history = [...(data?.models ?? [])].reverse();
  const scored = history.filter((m) => metricOf(m) !== null);

  return (
    <main className="admin" id="main">
      <h1>Marquee operations</h1>
      <form className="admin-key" onSubmit={submit}>
        <label htmlFor="admin-key-input">Admin key</label>
        <input id="admin-key-input" type="password" autoComplete="off" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="MARQUEE_ADMIN_KEY" />
        <button type="submit" className="button button--primary">
          Show
        </button>
      </form>
      {refused ? <p role="alert" className="admin-error">The API refused this key: {error?.message}</p> : null}
      {error && !refused ? <p role="alert" className="admin-error">{error.message}</p> : null}
      {loading && !data ? <p className="muted">Loading…</p> : null}
      {data ? (
        <>
          <section aria-labelledby="volume-heading">
            <div className="admin-section-head">
              <h2 id="volume-heading">Events received</h2>
              <div role="group" aria-label="Bucket">
                {(["HOUR", "DAY"] as const).map((b) => (
                  <button key={b} type="button" className="button button--ghost" aria-pressed={bucket === b} onClick={() => setBucket(b)}>
                    {b === "HOUR" ? "Last 48 hours" : "Last 30 days"}
                  </button>
                ))}
              </div>
            </div>
            <BarChart
              title="Events per bucket"
              data={data.eventVolume.map((p) => ({ label: bucketLabel(String(p.start), bucket), value: p.events }))}
              labelEvery={bucket === "HOUR" ? 6 : 5}
            />
          </section>
          {online.data ? <OnlineMetrics data={online.data} days={ONLINE_DAYS} since={since} /> : null}
          {online.error && !refused ? <p role="alert" className="admin-error">Online metrics: {online.error.message}</p> : null}
          <section aria-labelledby="models-heading">
            <h2 id="models-heading">Models: {METRIC} on the validation hold-out</h2>
            {scored.length ? (
              <LineChart title={`${METRIC} per model`} data={scored.map((m) => ({ label: `#${m.id}`, value: metricOf(m) ?? 0 }))} />
            ) : (
              <p className="muted">No model has validation metrics yet.</p>
            )}
            <table className="admin-table">
              <thead>
                <tr>
                  <th scope="col">Model</th>
                  <th scope="col">Algorithm</th>
                  <th scope="col">Status</th>
                  <th scope="col">{METRIC}</th>
                  <th scope="col">Pairs</th>
                  <th scope="col">Training s</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {[...history].reverse().map((m) => (
                  <tr key={m.id}>
                    <td>#{m.id}</td>
                    <td>{m.algorithm}</td>
                    <td title={m.statusReason ?? undefined}>{m.status}</td>
                    <td>{metricOf(m)?.toFixed(4) ?? "–"}</td>
                    <td>{m.pairs?.toLocaleString() ?? "–"}</td>
                    <td>{m.trainingSeconds?.toFixed(1) ?? "–"}</td>
                    <td>{new Date(String(m.createdAt)).toLocaleString()}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <ActiveModelTuning model={data.models.find((m) => m.status === "ACTIVE")} handSet={data.handSetEventWeights} />
          <section aria-labelledby="coverage-heading">
            <h2 id="coverage-heading">Coverage of the serving model</h2>
            {data.modelCoverage ? (
              <>
                <p className="muted">Model #{data.modelCoverage.modelId}</p>
                <ShareBar label="Titles it can rank" part={data.modelCoverage.modelTitles} whole={data.modelCoverage.catalogTitles} />
                <ShareBar label="Viewers it has learned" part={data.modelCoverage.modelViewers} whole={data.modelCoverage.profiles} />
              </>
            ) : (
              <p className="muted">No model is serving yet: train one with trainModel or `npm run train`.</p>
            )}
          </section>
          <ExperimentsSection adminKey={key} />
        </>
      ) : null}
    </main>
  );
}
