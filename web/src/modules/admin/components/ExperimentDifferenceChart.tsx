import { useMemo } from "react";
import type uPlot from "uplot";
import { UPlotChart } from "../charts/UPlotChart";

/**
 * An arm's difference from control over time (one point per hourly look), with its 95 % interval
 * as a band and the zero line, drawn by uPlot like the page's other charts.
 */

export interface DifferencePoint {
  /** ISO time of the look. */
  readonly at: string;
  readonly difference: number | null;
  readonly low: number | null;
  readonly high: number | null;
}

const BRAND = "#e50914";
const AXIS = { stroke: "#a1a1aa", grid: { stroke: "#27272a", width: 1 }, ticks: { stroke: "#3f3f46", width: 1 } };

const points = (v: number) => `${v >= 0 ? "+" : ""}${(v * 100).toFixed(2)} pts`;

function options(): Omit<uPlot.Options, "width" | "height"> {
  return {
    series: [
      {},
      { label: "Difference", stroke: BRAND, width: 2, points: { show: true, size: 6, fill: "#fff", stroke: BRAND } },
      { label: "Upper", stroke: "transparent", points: { show: false } },
      { label: "Lower", stroke: "transparent", points: { show: false } },
      { label: "No difference", stroke: "#a1a1aa", width: 1, dash: [4, 3], points: { show: false } },
    ],
    bands: [{ series: [2, 3], fill: `${BRAND}33` }],
    legend: { show: false },
    cursor: { show: false },
    scales: { x: { time: true, range: (_, min, max) => (max - min < 7200 ? [min - 3600, max + 3600] : [min, max]) }, y: { range: (_, min, max) => [Math.min(min, -0.001), Math.max(max, 0.001)] } },
    axes: [
      { ...AXIS, space: 60 },
      { ...AXIS, size: 64, values: (_, splits) => splits.map((v) => (v * 100).toFixed(1)) },
    ],
  };
}

export function ExperimentDifferenceChart({ title, data }: { title: string; data: readonly DifferencePoint[] }) {
  const shown = useMemo(() => data.filter((p) => p.difference !== null && p.low !== null && p.high !== null), [data]);
  const columns = useMemo<uPlot.AlignedData>(
    () => [shown.map((p) => new Date(p.at).getTime() / 1000), shown.map((p) => p.difference), shown.map((p) => p.high), shown.map((p) => p.low), shown.map(() => 0)],
    [shown],
  );
  const chartOptions = useMemo(options, []);
  if (shown.length === 0) return <p className="muted">{title}: no interval yet (each arm needs two viewers with impressions).</p>;
  const last = shown[shown.length - 1];
  return (
    <figure className="chart-figure">
      <figcaption className="chart-caption">{title} (percentage points, 95 % interval shaded)</figcaption>
      <UPlotChart
        label={`${title}: ${shown.length} hourly looks, latest ${points(last.difference!)} (95 % interval ${points(last.low!)} to ${points(last.high!)})`}
        options={chartOptions}
        data={columns}
        height={180}
      />
    </figure>
  );
}
