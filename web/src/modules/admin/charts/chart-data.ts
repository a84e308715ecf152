import uPlot from "uplot";

/**
 * Shapes the admin page's numbers for uPlot: aligned columns (x first, then one column per series)
 * and the options that draw them. Pure functions, so they are tested without a canvas.
 */

/** Series colours, distinguishable on the page's dark background (and in order of use). */
export const PALETTE = ["#60a5fa", "#f87171", "#34d399", "#fbbf24", "#c084fc", "#f472b6", "#2dd4bf", "#fb923c", "#a3e635"];
const AXIS = { stroke: "#a1a1aa", grid: { stroke: "#27272a", width: 1 }, ticks: { stroke: "#3f3f46", width: 1 } };
const DAY_S = 86_400;

export interface Rate {
  value: number;
  low: number;
  high: number;
}

export interface RateSeries {
  label: string;
  color: string;
  /** One per day of DailyRates.days; null where the series has nothing that day. */
  rates: (Rate | null)[];
  impressions: number;
}

export interface DailyRates {
  /** UTC days, YYYY-MM-DD, ascending. */
  days: string[];
  series: RateSeries[];
}

/**
 * Rows of onlineMetrics grouped by a series dimension and DAY, as series over the days any of
 * them has: the `maxSeries` with the most impressions, each with its rate and 95 % interval.
 */
export function dailyRates<T extends { day?: string | null; impressions: number }>(rows: readonly T[], seriesOf: (row: T) => string, rateOf: (row: T) => Rate | null, maxSeries = PALETTE.length): DailyRates {
  const days = [...new Set(rows.flatMap((row) => (row.day ? [row.day] : [])))].sort();
  const dayIndex = new Map(days.map((day, i) => [day, i]));
  const bySeries = new Map<string, { rates: (Rate | null)[]; impressions: number }>();
  for (const row of rows) {
    const at = row.day ? dayIndex.get(row.day) : undefined;
    if (at === undefined) continue;
    const label = seriesOf(row);
    const entry = bySeries.get(label) ?? { rates: days.map(() => null), impressions: 0 };
    entry.rates[at] = rateOf(row);
    entry.impressions += row.impressions;
    bySeries.set(label, entry);
  }
  const series = [...bySeries]
    .sort(([a, x], [b, y]) => y.impressions - x.impressions || a.localeCompare(b))
    .slice(0, maxSeries)
    .map(([label, entry], i) => ({ label, color: PALETTE[i % PALETTE.length]!, rates: entry.rates, impressions: entry.impressions }));
  return { days, series };
}

const dayStart = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000;

/**
 * uPlot's columns for daily rates: a day's rate holds for the whole day, so each day is two
 * points (its first and last second) and a single day still draws a segment and its band. Per
 * series: the rate, then its interval's upper and lower edge.
 */
export function dailyRateData(daily: DailyRates): uPlot.AlignedData {
  const x = daily.days.flatMap((day) => [dayStart(day), dayStart(day) + DAY_S - 1]);
  const twice = (values: (number | null)[]) => values.flatMap((v) => [v, v]);
  const columns = daily.series.flatMap((s) => [twice(s.rates.map((r) => r?.value ?? null)), twice(s.rates.map((r) => r?.high ?? null)), twice(s.rates.map((r) => r?.low ?? null))]);
  return [x, ...columns];
}

/** The x range (epoch seconds) of whole UTC days from `since`'s day to `until`'s. */
export function daysRange(since: Date, until: Date): [number, number] {
  const day = (d: Date) => Math.floor(d.getTime() / 1000 / DAY_S) * DAY_S;
  return [day(since), day(until) + DAY_S - 1];
}

/**
 * A line per series with its 95 % interval as a band of the same colour (uPlot fills between the
 * edges), over `xRange` (the whole window asked for, so a short history sits where it happened).
 */
export function dailyRateOptions(daily: DailyRates, xRange?: [number, number]): Omit<uPlot.Options, "width" | "height"> {
  const percent = (v: number) => `${(v * 100).toFixed(v < 0.1 && v > 0 ? 1 : 0)} %`;
  const series: uPlot.Series[] = [{}];
  const bands: uPlot.Band[] = [];
  daily.series.forEach((s, i) => {
    const value = 1 + i * 3;
    series.push(
      { label: s.label, stroke: s.color, width: 2, points: { show: false } },
      { label: `${s.label} (upper)`, stroke: "transparent", points: { show: false } },
      { label: `${s.label} (lower)`, stroke: "transparent", points: { show: false } },
    );
    bands.push({ series: [value + 1, value + 2], fill: `${s.color}33` });
  });
  const top = Math.max(0.05, ...daily.series.flatMap((s) => s.rates.map((r) => r?.high ?? 0)));
  return {
    series,
    bands,
    legend: { show: false },
    cursor: { show: false },
    tzDate: (ts) => new Date(ts * 1000 + new Date(ts * 1000).getTimezoneOffset() * 60_000),
    scales: { x: xRange ? { time: true, range: xRange } : { time: true }, y: { range: [0, Math.min(1, top * 1.1)] } },
    axes: [
      { ...AXIS, space: 60 },
      { ...AXIS, size: 56, values: (_, splits) => splits.map(percent) },
    ],
  };
}

export interface LabelledValue {
  label: string;
  value: number;
}

/** One bar per bucket: x is the bucket's index, labelled every `labelEvery`. */
export function barOptions(points: readonly LabelledValue[], labelEvery: number, color: string): Omit<uPlot.Options, "width" | "height"> {
  return {
    series: [{}, { label: "Events", fill: color, stroke: color, paths: uPlot.paths.bars!({ size: [0.8, 80] }), points: { show: false } }],
    legend: { show: false },
    cursor: { show: false },
    scales: { x: { time: false, range: [-0.5, Math.max(0.5, points.length - 0.5)] }, y: { range: (_, __, max) => [0, Math.max(1, max * 1.1)] } },
    axes: [
      { ...AXIS, splits: () => points.map((_, i) => i).filter((i) => i % labelEvery === 0), values: (_, splits) => splits.map((i) => points[i]?.label ?? "") },
      { ...AXIS, size: 56, values: (_, splits) => splits.map(compact) },
    ],
  };
}

/** One series as a line with dots; x is the point's index, labelled with its label. */
export function lineOptions(points: readonly LabelledValue[], color: string): Omit<uPlot.Options, "width" | "height"> {
  const top = Math.max(0, ...points.map((p) => p.value));
  return {
    series: [{}, { label: "Value", stroke: color, width: 2, points: { show: true, size: 8, fill: "#fff", stroke: color } }],
    legend: { show: false },
    cursor: { show: false },
    scales: { x: { time: false, range: [-0.5, Math.max(0.5, points.length - 0.5)] }, y: { range: [0, top <= 1 ? Math.min(1, Math.max(0.1, top * 1.2)) : top * 1.1] } },
    axes: [
      { ...AXIS, splits: () => points.map((_, i) => i), values: (_, splits) => splits.map((i) => points[i]?.label ?? "") },
      { ...AXIS, size: 56, values: (_, splits) => splits.map((v) => (top <= 1 ? v.toFixed(2) : compact(v))) },
    ],
  };
}

/** Index-and-value columns for barOptions and lineOptions. */
export function indexedData(points: readonly LabelledValue[]): uPlot.AlignedData {
  return [points.map((_, i) => i), points.map((p) => p.value)];
}

function compact(value: number): string {
  if (value >= 1_000_000) return `${value / 1_000_000}M`;
  if (value >= 1_000) return `${value / 1_000}k`;
  return String(value);
}
