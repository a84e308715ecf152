/**
 * An arm's difference from control over time, with its 95 % interval as a band and the zero
 * line: hand-written SVG like the page's other charts (its own file, so moving the admin charts
 * to a chart library can take it as one piece).
 */

export interface DifferencePoint {
  /** ISO time of the look. */
  readonly at: string;
  readonly difference: number | null;
  readonly low: number | null;
  readonly high: number | null;
}

const WIDTH = 640;
const HEIGHT = 180;
const PAD = { left: 56, right: 12, top: 12, bottom: 28 };

function points(data: readonly DifferencePoint[]): { at: string; d: number; low: number; high: number }[] {
  return data.filter((p) => p.difference !== null && p.low !== null && p.high !== null).map((p) => ({ at: p.at, d: p.difference!, low: p.low!, high: p.high! }));
}

const percent = (v: number) => `${v >= 0 ? "+" : ""}${(v * 100).toFixed(2)} pts`;

export function ExperimentDifferenceChart({ title, data }: { title: string; data: readonly DifferencePoint[] }) {
  const shown = points(data);
  if (shown.length === 0) return <p className="muted">{title}: no interval yet (each arm needs two viewers with impressions).</p>;
  // The band is clipped to a readable range: early intervals can be very wide.
  const spread = Math.max(0.001, ...shown.map((p) => Math.abs(p.d) * 2), ...shown.slice(-Math.max(1, Math.ceil(shown.length / 2))).flatMap((p) => [Math.abs(p.low), Math.abs(p.high)]));
  const top = spread;
  const bottom = -spread;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const clamp = (v: number) => Math.min(top, Math.max(bottom, v));
  const x = (i: number) => PAD.left + (shown.length <= 1 ? plotW / 2 : (i / (shown.length - 1)) * plotW);
  const y = (v: number) => PAD.top + ((top - clamp(v)) / (top - bottom)) * plotH;
  const line = shown.map((p, i) => `${i === 0 ? "M" : "L"}${x(i).toFixed(1)},${y(p.d).toFixed(1)}`).join(" ");
  const band =
    shown.map((p, i) => `${i === 0 ? "M" : "L"}${x(i).toFixed(1)},${y(p.high).toFixed(1)}`).join(" ") +
    " " +
    [...shown]
      .reverse()
      .map((p, j) => `L${x(shown.length - 1 - j).toFixed(1)},${y(p.low).toFixed(1)}`)
      .join(" ") +
    " Z";
  const last = shown[shown.length - 1];
  const label = (iso: string) => {
    const d = new Date(iso);
    return `${d.getUTCMonth() + 1}/${d.getUTCDate()} ${String(d.getUTCHours()).padStart(2, "0")}h`;
  };
  return (
    <svg
      className="chart"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={`${title}: ${shown.length} hourly looks, latest ${percent(last.d)} (95 % interval ${percent(last.low)} to ${percent(last.high)})`}
    >
      {[top, top / 2, 0, bottom / 2, bottom].map((t) => (
        <g key={t}>
          <line className={t === 0 ? "chart-zero" : "chart-grid"} x1={PAD.left} x2={WIDTH - PAD.right} y1={y(t)} y2={y(t)} />
          <text className="chart-tick" x={PAD.left - 6} y={y(t) + 4} textAnchor="end">
            {(t * 100).toFixed(t === 0 ? 0 : 1)}
          </text>
        </g>
      ))}
      {shown.length === 1 ? <line className="chart-whisker" x1={x(0)} x2={x(0)} y1={y(last.high)} y2={y(last.low)} /> : <path className="chart-band" d={band} />}
      <path className="chart-line" d={line} />
      {shown.map((p, i) => (
        <circle key={p.at} className="chart-dot" cx={x(i)} cy={y(p.d)} r={3}>
          <title>{`${label(p.at)}: ${percent(p.d)} (${percent(p.low)} to ${percent(p.high)})`}</title>
        </circle>
      ))}
      <text className="chart-tick" x={PAD.left} y={HEIGHT - 8}>
        {label(shown[0].at)}
      </text>
      <text className="chart-tick" x={WIDTH - PAD.right} y={HEIGHT - 8} textAnchor="end">
        {label(last.at)}
      </text>
    </svg>
  );
}
