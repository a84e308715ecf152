import { METRIC_NAMES } from "./metrics";
import type { EvaluationRun } from "./pipeline";
import type { Trial } from "./evaluate";

/** The JSON written by `--json`: {"best", "metrics", "algorithms": {name: {params, metrics, fitSeconds, ...}}}. */
export function runToJson(run: EvaluationRun): Record<string, unknown> {
  return {
    best: run.best,
    metrics: run.metrics,
    algorithms: Object.fromEntries(
      Object.entries(run.algorithms).map(([name, a]) => [
        name,
        { params: a.params, metrics: a.metrics, fitSeconds: round(a.fitSeconds, 3), validationNdcg10: a.validationNdcg10, trials: a.trials.length, paired: a.paired, ndcgCurve: a.ndcgCurve },
      ]),
    ),
    skipped: run.skipped,
    split: run.split,
    references: run.references,
    frozen: run.frozen,
    tuning: { budgetSeconds: run.tuning.budgetSeconds, seconds: round(run.tuning.seconds, 1) },
  };
}

/** `user,item,rank` rows of the best model's lists (rank 1 is best). */
export function recsCsv(run: EvaluationRun): string {
  const { bestLists: lists, testSplit } = run;
  const userIds = testSplit.train.users.toArray();
  const itemIds = testSplit.train.items.toArray();
  const lines = ["user,item,rank"];
  for (let u = 0; u < lists.indptr.length - 1; u++) {
    for (let p = lists.indptr[u]; p < lists.indptr[u + 1]; p++) lines.push(`${userIds[u]},${itemIds[lists.items[p]]},${p - lists.indptr[u] + 1}`);
  }
  return lines.join("\n") + "\n";
}

export function metricsTable(run: EvaluationRun): string {
  const header = ["algorithm", "val NDCG@10", ...METRIC_NAMES, "fit s"];
  const rows = Object.entries(run.algorithms).map(([name, a]) => [
    name === run.best ? `**${name}**` : name,
    a.validationNdcg10.toFixed(4),
    ...METRIC_NAMES.map((m) => a.metrics[m].toFixed(4)),
    a.fitSeconds.toFixed(2),
  ]);
  for (const ref of run.references) rows.push([`reference: ${ref.name}`, "", ...METRIC_NAMES.map((m) => ref.metrics[m].toFixed(4)), ""]);
  return [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}

/** A plain-text table for the terminal. */
export function textTable(run: EvaluationRun): string {
  const header = ["algorithm", "valNDCG@10", ...METRIC_NAMES, "fit s"];
  const rows = Object.entries(run.algorithms).map(([name, a]) => [
    name + (name === run.best ? " *" : ""),
    a.validationNdcg10.toFixed(4),
    ...METRIC_NAMES.map((m) => a.metrics[m].toFixed(4)),
    a.fitSeconds.toFixed(2),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const fmt = (r: string[]) => r.map((v, c) => (c === 0 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join("  ");
  return [fmt(header), ...rows.map(fmt)].join("\n");
}

const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f"];

/** An SVG line chart of test NDCG@K over K = 1..50, one line per algorithm. */
export function ndcgSvg(run: EvaluationRun): string {
  const W = 720;
  const H = 420;
  const m = { left: 60, right: 150, top: 30, bottom: 45 };
  const curves = Object.entries(run.algorithms).map(([name, a]) => ({ name, values: a.ndcgCurve }));
  const maxK = Math.max(1, ...curves.map((c) => c.values.length));
  const top = Math.max(0.01, ...curves.flatMap((c) => c.values));
  // Round ticks (0.01, 0.02, 0.05...) with at most 8 grid lines.
  const step = [0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5].find((s) => (top * 1.05) / s <= 8) ?? 0.5;
  const yMax = Math.ceil((top * 1.05) / step) * step;
  const x = (k: number) => m.left + ((k - 1) / Math.max(1, maxK - 1)) * (W - m.left - m.right);
  const y = (v: number) => H - m.bottom - (v / yMax) * (H - m.top - m.bottom);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${m.left}" y="18" font-size="14" font-weight="bold">Test NDCG@K by algorithm (${escapeXml(run.split.dir)})</text>`,
  ];
  for (let v = 0; v <= yMax + 1e-9; v += step) {
    parts.push(`<line x1="${m.left}" x2="${W - m.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${m.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${v.toFixed(step < 0.01 ? 3 : 2)}</text>`);
  }
  for (const k of [1, 10, 20, 30, 40, 50].filter((k) => k <= maxK)) {
    parts.push(`<line x1="${x(k).toFixed(1)}" x2="${x(k).toFixed(1)}" y1="${m.top}" y2="${H - m.bottom}" stroke="#f0f0f0"/>`);
    parts.push(`<text x="${x(k).toFixed(1)}" y="${H - m.bottom + 16}" text-anchor="middle">${k}</text>`);
  }
  parts.push(`<line x1="${m.left}" x2="${W - m.right}" y1="${H - m.bottom}" y2="${H - m.bottom}" stroke="#333"/>`);
  parts.push(`<line x1="${m.left}" x2="${m.left}" y1="${m.top}" y2="${H - m.bottom}" stroke="#333"/>`);
  parts.push(`<text x="${(m.left + W - m.right) / 2}" y="${H - 8}" text-anchor="middle">K</text>`);
  parts.push(`<text x="14" y="${(m.top + H - m.bottom) / 2}" text-anchor="middle" transform="rotate(-90 14 ${(m.top + H - m.bottom) / 2})">NDCG@K</text>`);
  curves.forEach((c, i) => {
    const color = PALETTE[i % PALETTE.length];
    const points = c.values.map((v, k) => `${x(k + 1).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="${c.name === run.best ? 3 : 1.6}" points="${points}"/>`);
    const ly = m.top + 10 + i * 18;
    parts.push(`<line x1="${W - m.right + 12}" x2="${W - m.right + 32}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="3"/>`);
    parts.push(`<text x="${W - m.right + 38}" y="${ly + 4}">${escapeXml(c.name)}${c.name === run.best ? " (best)" : ""}</text>`);
  });
  parts.push("</svg>");
  return parts.join("\n") + "\n";
}

/** The Markdown report: what was run, the table, the plot, the tuned settings. */
export function markdownReport(run: EvaluationRun, svgPath: string, command: string, seconds: number): string {
  const lines = [
    `# Evaluation: ${run.split.dir}`,
    "",
    `Produced by \`${command}\` in ${seconds.toFixed(0)} s. Each algorithm was tuned on \`val/\` (grid or seeded random search, then, within the tuning budget, coordinate refinement (recency half-life, iALS regularization scaling, graded-signal transforms) and any grid parameter whose best sat at an end extended past it; selected by NDCG@10), ` +
      "refitted with the tuned settings on `train.csv` and scored once on `test.csv` with the protocol of ../shared/splits/golden/README.md. " +
      `The best algorithm is chosen by validation NDCG@10: **${run.best}**.`,
    "",
    `Split: ${run.split.trainUsers} viewers and ${run.split.trainItems} titles in train (${run.split.trainRows} rows), ${run.split.testUsers} evaluated viewers.`,
    "",
    metricsTable(run),
    "",
    `![NDCG@K over K](${svgPath})`,
    "",
    "## Tuned settings",
    "",
    ...Object.entries(run.algorithms).map(([name, a]) => `- **${name}**: \`${JSON.stringify(a.params)}\` (${trialSummary(a.trials)})`),
  ];
  const hybrid = run.algorithms.hybrid;
  if (hybrid) {
    const components = hybrid.params.components as string[];
    const weights = hybrid.params.weights as number[];
    lines.push("", "## The blend", "", `Components chosen on validation (greedy: a model joins while it adds at least 0.5 % validation NDCG@10), with their shares of the blended score: ${components.map((c, i) => `${c} ${(100 * weights[i]).toFixed(0)} %`).join(", ")}.`);
  }
  const paired = Object.entries(run.algorithms).filter(([, a]) => a.paired.length > 0);
  if (paired.length > 0) {
    lines.push(
      "",
      "## Paired bootstrap against the references",
      "",
      `Per test viewer, (model - best reference) for each metric; mean and 95 % percentile interval over ${paired[0][1].paired[0].resamples} bootstrap resamples of the ${paired[0][1].paired[0].viewers} viewers (seeded). An interval above 0 is a real gain.`,
      "",
      "| algorithm | metric | reference | model | reference | difference | relative | 95 % interval |",
      "|---|---|---|---|---|---|---|---|",
    );
    for (const [name, a] of paired) {
      for (const p of a.paired) {
        lines.push(`| ${name === run.best ? `**${name}**` : name} | ${p.metric} | ${p.reference} | ${p.model.toFixed(4)} | ${p.referenceValue.toFixed(4)} | ${signed(p.difference)} | ${signed(100 * p.relative, 1)} % | [${signed(p.low)}, ${signed(p.high)}] |`);
      }
    }
  }
  lines.push("", `The chosen configuration was frozen to \`${run.frozen.path}\` (SHA-256 \`${run.frozen.sha256}\`) before \`test.csv\` was read; the test figures above come from exactly those settings. Validation tuning took ${run.tuning.seconds.toFixed(0)} s of a ${run.tuning.budgetSeconds} s budget.`);
  const skipped = Object.entries(run.skipped);
  if (skipped.length > 0) lines.push("", "## Skipped", "", ...skipped.map(([, why]) => `- ${why}`));
  return lines.join("\n") + "\n";
}

function trialSummary(trials: readonly Trial[]): string {
  const by = (stage: string) => trials.filter((t) => (t.stage ?? "grid") === stage).length;
  const extra = [by("refine") > 0 ? `${by("refine")} refinement` : "", by("edge") > 0 ? `${by("edge")} past a grid edge` : ""].filter((x) => x);
  return `${trials.length} validation trials${extra.length > 0 ? `: ${extra.join(", ")}` : ""}`;
}

function signed(v: number, digits = 4): string {
  return `${v >= 0 ? "+" : ""}${v.toFixed(digits)}`;
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
