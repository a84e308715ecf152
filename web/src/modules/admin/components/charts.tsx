/**
 * Small SVG charts for the admin page: no chart library for three pictures. Each takes plain
 * numbers and draws axes with a few labelled ticks; every chart has a text alternative.
 */

const WIDTH = 640;
const HEIGHT = 200;
const PAD = { left: 48, right: 12, top: 12, bottom: 28 };

/** "Nice" tick values from 0 to at least `max` (1, 2 or 5 times a power of ten). */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let v = 0; v < max + step / 2; v += step) ticks.push(Number(v.toPrecision(12)));
  if (ticks[ticks.length - 1] < max) ticks.push(ticks[ticks.length - 1] + step);
  return ticks;
}

function formatTick(value: number): string {
  if (value >= 1_000_000) return `${value / 1_000_000}M`;
  if (value >= 1_000) return `${value / 1_000}k`;
  return String(value);
}

export interface BarDatum {
  label: string;
  value: number;
}

/** Vertical bars (event volume per bucket); `labelEvery` thins the x labels. */
export function BarChart({ data, title, labelEvery = 1 }: { data: readonly BarDatum[]; title: string; labelEvery?: number }) {
  const ticks = niceTicks(Math.max(0, ...data.map((d) => d.value)));
  const top = ticks[ticks.length - 1];
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, data.length);
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const total = data.reduce((s, d) => s + d.value, 0);
  return (
    <svg className="chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`${title}: ${total} in ${data.length} buckets`}>
      {ticks.map((t) => (
        <g key={t}>
          <line className="chart-grid" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(t)} y2={y(t)} />
          <text className="chart-tick" x={PAD.left - 6} y={y(t) + 4} textAnchor="end">
            {formatTick(t)}
          </text>
        </g>
      ))}
      {data.map((d, i) => (
        <g key={`${d.label}-${i}`}>
          <rect className="chart-bar" x={PAD.left + i * slot + slot * 0.1} width={slot * 0.8} y={y(d.value)} height={Math.max(0, PAD.top + plotH - y(d.value))}>
            <title>{`${d.label}: ${d.value}`}</title>
          </rect>
          {i % labelEvery === 0 ? (
            <text className="chart-tick" x={PAD.left + i * slot + slot / 2} y={HEIGHT - 8} textAnchor="middle">
              {d.label}
            </text>
          ) : null}
        </g>
      ))}
    </svg>
  );
}

export interface LinePoint {
  label: string;
  value: number;
}

/** One series as a line with dots (a validation metric per model, oldest first). */
export function LineChart({ data, title, format = (v) => v.toFixed(3) }: { data: readonly LinePoint[]; title: string; format?: (v: number) => string }) {
  const max = Math.max(0, ...data.map((d) => d.value));
  const ticks = max <= 1 ? niceTicks(max || 1, 4) : niceTicks(max);
  const top = ticks[ticks.length - 1];
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (data.length <= 1 ? plotW / 2 : (i / (data.length - 1)) * plotW);
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const path = data.map((d, i) => `${i === 0 ? "M" : "L"}${x(i).toFixed(1)},${y(d.value).toFixed(1)}`).join(" ");
  return (
    <svg className="chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`${title}: ${data.map((d) => `${d.label} ${format(d.value)}`).join(", ")}`}>
      {ticks.map((t) => (
        <g key={t}>
          <line className="chart-grid" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(t)} y2={y(t)} />
          <text className="chart-tick" x={PAD.left - 6} y={y(t) + 4} textAnchor="end">
            {top <= 1 ? t.toFixed(2) : formatTick(t)}
          </text>
        </g>
      ))}
      <path className="chart-line" d={path} />
      {data.map((d, i) => (
        <g key={`${d.label}-${i}`}>
          <circle className="chart-dot" cx={x(i)} cy={y(d.value)} r={4}>
            <title>{`${d.label}: ${format(d.value)}`}</title>
          </circle>
          <text className="chart-tick" x={x(i)} y={HEIGHT - 8} textAnchor="middle">
            {d.label}
          </text>
        </g>
      ))}
    </svg>
  );
}

/** A share as a horizontal bar (coverage), with the fraction written out. */
export function ShareBar({ label, part, whole }: { label: string; part: number; whole: number }) {
  const share = whole > 0 ? Math.min(1, part / whole) : 0;
  return (
    <div className="share">
      <div className="share-label">
        <span>{label}</span>
        <span>
          {part.toLocaleString()} / {whole.toLocaleString()} ({(share * 100).toFixed(1)} %)
        </span>
      </div>
      <svg className="share-bar" viewBox="0 0 100 6" preserveAspectRatio="none" role="img" aria-label={`${label}: ${(share * 100).toFixed(1)} percent`}>
        <rect className="share-track" x={0} y={0} width={100} height={6} />
        <rect className="share-fill" x={0} y={0} width={share * 100} height={6} />
      </svg>
    </div>
  );
}
