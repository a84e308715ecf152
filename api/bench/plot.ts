/**
 * Minimal SVG line charts for BENCHMARKS.md (no plotting dependency: a few dozen points, axes,
 * a legend). Written under docs/bench/ and linked from the sections that measured them.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { BENCHMARKS_FILE } from "./report";

/** docs/bench beside BENCHMARKS.md (so a scratch BENCHMARKS.md gets scratch plots). */
export const PLOT_DIR = path.join(path.dirname(BENCHMARKS_FILE), "docs", "bench");

export interface Series {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
  /** Dashed line (e.g. a reference or the trivial query). */
  readonly dashed?: boolean;
}

export interface Chart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  readonly logX?: boolean;
  readonly logY?: boolean;
  /** Horizontal target line. */
  readonly target?: { readonly y: number; readonly label: string };
}

const COLORS = ["#e50914", "#2e86de", "#10ac84", "#f5a623", "#8e44ad", "#00a8a8", "#d35400", "#6c5ce7", "#27ae60", "#e84393"];

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function niceTicks(min: number, max: number, log: boolean): number[] {
  if (log) {
    const ticks: number[] = [];
    for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
      for (const m of [1, 2, 5]) {
        const v = m * 10 ** e;
        if (v >= min * 0.999 && v <= max * 1.001) ticks.push(v);
      }
    }
    return ticks.length >= 2 ? ticks : [min, max];
  }
  const span = max - min || 1;
  const step = 10 ** Math.floor(Math.log10(span / 5));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => span / s <= 6) ?? step * 10;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / nice) * nice; v <= max + 1e-9; v += nice) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

function formatTick(v: number): string {
  if (v >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (v >= 1e3) return `${+(v / 1e3).toPrecision(3)}k`;
  return `${+v.toPrecision(3)}`;
}

/** Renders the chart as an SVG document. */
export function renderSvg(chart: Chart): string {
  const W = 720;
  const H = 420;
  const m = { left: 70, right: 190, top: 40, bottom: 55 };
  const all = chart.series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]).concat(chart.target ? [chart.target.y] : []);
  let [xMin, xMax] = [Math.min(...xs), Math.max(...xs)];
  let [yMin, yMax] = [chart.logY ? Math.min(...ys) : Math.min(0, ...ys), Math.max(...ys)];
  if (chart.logX) [xMin, xMax] = [xMin / 1.2, xMax * 1.2];
  else if (xMin === xMax) [xMin, xMax] = [xMin - 1, xMax + 1];
  if (chart.logY) [yMin, yMax] = [yMin / 1.5, yMax * 1.5];
  else yMax = yMax * 1.1 || 1;
  const tx = (x: number) =>
    m.left + ((chart.logX ? Math.log(x) - Math.log(xMin) : x - xMin) / (chart.logX ? Math.log(xMax) - Math.log(xMin) : xMax - xMin)) * (W - m.left - m.right);
  const ty = (y: number) =>
    H - m.bottom - ((chart.logY ? Math.log(y) - Math.log(yMin) : y - yMin) / (chart.logY ? Math.log(yMax) - Math.log(yMin) : yMax - yMin)) * (H - m.top - m.bottom);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Inter, Helvetica, Arial, sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(`<text x="${m.left}" y="22" font-size="15" font-weight="600">${escapeXml(chart.title)}</text>`);
  for (const t of niceTicks(xMin, xMax, Boolean(chart.logX))) {
    out.push(`<line x1="${tx(t)}" x2="${tx(t)}" y1="${m.top}" y2="${H - m.bottom}" stroke="#eee"/>`);
    out.push(`<text x="${tx(t)}" y="${H - m.bottom + 16}" text-anchor="middle" fill="#555">${formatTick(t)}</text>`);
  }
  for (const t of niceTicks(yMin, yMax, Boolean(chart.logY))) {
    out.push(`<line x1="${m.left}" x2="${W - m.right}" y1="${ty(t)}" y2="${ty(t)}" stroke="#eee"/>`);
    out.push(`<text x="${m.left - 8}" y="${ty(t) + 4}" text-anchor="end" fill="#555">${formatTick(t)}</text>`);
  }
  out.push(`<rect x="${m.left}" y="${m.top}" width="${W - m.left - m.right}" height="${H - m.top - m.bottom}" fill="none" stroke="#999"/>`);
  out.push(`<text x="${(m.left + W - m.right) / 2}" y="${H - 14}" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`);
  out.push(`<text transform="translate(18 ${(m.top + H - m.bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeXml(chart.yLabel)}</text>`);
  if (chart.target) {
    const y = ty(chart.target.y);
    out.push(`<line x1="${m.left}" x2="${W - m.right}" y1="${y}" y2="${y}" stroke="#888" stroke-dasharray="2 4"/>`);
    out.push(`<text x="${W - m.right - 4}" y="${y - 4}" text-anchor="end" fill="#888">${escapeXml(chart.target.label)}</text>`);
  }
  chart.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const pts = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!chart.logY || y > 0));
    if (pts.length > 0) {
      out.push(
        `<polyline fill="none" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ""} points="${pts.map(([x, y]) => `${tx(x).toFixed(1)},${ty(y).toFixed(1)}`).join(" ")}"/>`,
      );
      for (const [x, y] of pts) out.push(`<circle cx="${tx(x).toFixed(1)}" cy="${ty(y).toFixed(1)}" r="3" fill="${color}"/>`);
    }
    const ly = m.top + 10 + i * 18;
    out.push(`<line x1="${W - m.right + 12}" x2="${W - m.right + 36}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ""}/>`);
    out.push(`<text x="${W - m.right + 42}" y="${ly + 4}">${escapeXml(s.name)}</text>`);
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}

/** Writes docs/bench/<name>.svg; returns the path relative to the repo root (for a markdown link). */
export function writePlot(name: string, chart: Chart): string {
  mkdirSync(PLOT_DIR, { recursive: true });
  writeFileSync(path.join(PLOT_DIR, `${name}.svg`), renderSvg(chart));
  return `docs/bench/${name}.svg`;
}
