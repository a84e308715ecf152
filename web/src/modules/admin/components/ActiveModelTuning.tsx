import type { AdminDashboardQuery } from "../../../gql/graphql";

type Model = AdminDashboardQuery["models"][number];
type Weight = AdminDashboardQuery["handSetEventWeights"][number];

interface WeightReport {
  used?: boolean;
  handSetNdcg10?: number;
  learnedNdcg10?: number;
  gain?: number;
  trials?: number;
}

const pct = (x: number) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)} %`;
const num = (x: unknown) => (typeof x === "number" && Number.isFinite(x) ? x : null);

/** The parameters in which a trial differs from the first (the untuned one), or "untuned". */
function differences(params: Record<string, unknown>, base: Record<string, unknown>): string {
  const changed = Object.keys(params).filter((k) => JSON.stringify(params[k]) !== JSON.stringify(base[k]));
  return changed.length ? changed.map((k) => `${k} ${JSON.stringify(params[k])}`).join(", ") : "untuned";
}

/**
 * The serving model's learned event weights beside the hand-set ones (with the validation gain
 * of the weight search) and its hyperparameter trials on the temporal hold-out.
 */
export function ActiveModelTuning({ model, handSet }: { model: Model | undefined; handSet: readonly Weight[] }) {
  if (!model) return null;
  const metrics = (model.metrics ?? {}) as Record<string, unknown>;
  const report = (metrics.eventWeights ?? null) as WeightReport | null;
  const learned = new Map(model.eventWeights.map((w) => [w.type, w.weight]));
  const base = (model.tuning[0]?.params ?? {}) as Record<string, unknown>;
  const best = model.tuning.reduce<number>((b, t, i) => (t.validationNdcg10 > model.tuning[b].validationNdcg10 ? i : b), 0);
  return (
    <section aria-labelledby="tuning-heading">
      <h2 id="tuning-heading">Model #{model.id}: event weights and tuning</h2>
      <h3>Event weights</h3>
      <p className="muted">
        {report
          ? `${report.used ? "Learned weights serve" : "The hand-set weights serve (no learned set beat them)"}: validation NDCG@10 ${num(report.handSetNdcg10)?.toFixed(4) ?? "–"} hand-set, ${num(report.learnedNdcg10)?.toFixed(4) ?? "–"} learned (${num(report.gain) !== null ? pct(report.gain!) : "–"}) over ${report.trials ?? 0} trials.`
          : "No weight search for this model (only scheduled retrains search): it serves with the hand-set weights it was trained with."}
      </p>
      <table className="admin-table">
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Hand-set</th>
            <th scope="col">This model</th>
          </tr>
        </thead>
        <tbody>
          {handSet.map((w) => (
            <tr key={w.type}>
              <td>{w.type}</td>
              <td>{w.weight}</td>
              <td>{learned.has(w.type) ? learned.get(w.type) : "–"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Hyperparameter trials</h3>
      {model.tuning.length ? (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">Trial</th>
              <th scope="col">Parameters</th>
              <th scope="col">Validation NDCG@10</th>
              <th scope="col">Seconds</th>
            </tr>
          </thead>
          <tbody>
            {model.tuning.map((t, i) => (
              <tr key={i} aria-current={i === best ? "true" : undefined}>
                <td>
                  {i}
                  {i === best ? " (chosen)" : ""}
                </td>
                <td>{differences(t.params as Record<string, unknown>, base)}</td>
                <td>{t.validationNdcg10.toFixed(4)}</td>
                <td>{t.seconds.toFixed(1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No tuning for this model (only scheduled retrains tune; MARQUEE_TUNING_SECONDS=0 turns it off).</p>
      )}
    </section>
  );
}
