import { useMemo } from "react";
import { barOptions, dailyRateData, dailyRateOptions, indexedData, lineOptions, type DailyRates, type LabelledValue } from "./chart-data";
import { UPlotChart } from "./UPlotChart";

/**
 * The admin page's charts, drawn by uPlot (see README: small, fast, canvas, bands by filling
 * between two series). Each chart's text alternative says what it shows.
 */

const BRAND = "#e50914";

export type BarDatum = LabelledValue;
export type LinePoint = LabelledValue;

/** Vertical bars (event volume per bucket); `labelEvery` thins the x labels. */
export function BarChart({ data, title, labelEvery = 1 }: { data: readonly BarDatum[]; title: string; labelEvery?: number }) {
  const total = data.reduce((s, d) => s + d.value, 0);
  const options = useMemo(() => barOptions(data, labelEvery, BRAND), [data, labelEvery]);
  const columns = useMemo(() => indexedData(data), [data]);
  return <UPlotChart label={`${title}: ${total} in ${data.length} buckets`} options={options} data={columns} />;
}

/** One series as a line with dots (a validation metric per model, oldest first). */
export function LineChart({ data, title, format = (v) => v.toFixed(3) }: { data: readonly LinePoint[]; title: string; format?: (v: number) => string }) {
  const options = useMemo(() => lineOptions(data, BRAND), [data]);
  const columns = useMemo(() => indexedData(data), [data]);
  return <UPlotChart label={`${title}: ${data.map((d) => `${d.label} ${format(d.value)}`).join(", ")}`} options={options} data={columns} />;
}

const percent = (v: number) => `${(v * 100).toFixed(1)} %`;

/** What a daily-rates chart shows, in words: each series' latest day with its interval. */
export function describeDailyRates(title: string, daily: DailyRates): string {
  if (daily.series.length === 0) return `${title}: no data`;
  const latest = daily.series.map((s) => {
    let at = s.rates.length - 1;
    while (at > 0 && s.rates[at] === null) at--;
    const rate = s.rates[at];
    return rate ? `${s.label} ${percent(rate.value)} (95 % interval ${percent(rate.low)} to ${percent(rate.high)}) on ${daily.days[at]}` : `${s.label} no data`;
  });
  return `${title}: ${latest.join("; ")}`;
}

/** Rates per day, one line per series, each with its 95 % interval drawn as a band; a legend below. */
export function DailyRateChart({ title, daily, xRange }: { title: string; daily: DailyRates; xRange?: [number, number] }) {
  const options = useMemo(() => dailyRateOptions(daily, xRange), [daily, xRange]);
  const columns = useMemo(() => dailyRateData(daily), [daily]);
  return (
    <figure className="chart-figure">
      <figcaption className="chart-caption">{title}</figcaption>
      {daily.series.length ? <UPlotChart label={describeDailyRates(title, daily)} options={options} data={columns} /> : <p className="muted">Nothing measured in this window yet.</p>}
      <ul className="chart-legend" aria-label={`${title}: series`}>
        {daily.series.map((s) => (
          <li key={s.label}>
            <span className="chart-swatch" style={{ background: s.color }} aria-hidden="true" />
            {s.label} <span className="muted">({s.impressions.toLocaleString()} impressions)</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}

/** A share as a horizontal bar (coverage), with the fraction written out: a meter, not a chart. */
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
