import { render } from "@testing-library/react";
import { PALETTE, barOptions, dailyRateData, dailyRateOptions, dailyRates, indexedData, type Rate } from "./chart-data";
import { ShareBar, describeDailyRates } from "./charts";

type Row = { kind: string; day: string | null; impressions: number; ctr: number; low: number; high: number };
const row = (kind: string, day: string, impressions: number, ctr: number): Row => ({ kind, day, impressions, ctr, low: ctr / 2, high: Math.min(1, ctr * 2) });
const rateOf = (r: Row): Rate => ({ value: r.ctr, low: r.low, high: r.high });

describe("admin chart data", () => {
  it("groups rows into series over every day any of them has, busiest series first", () => {
    const daily = dailyRates([row("Trending", "2026-12-02", 10, 0.1), row("Top picks", "2026-11-30", 50, 0.2), row("Top picks", "2026-12-02", 40, 0.3), row("Trending", "2026-11-29", 5, 0)], (r) => r.kind, rateOf);
    expect(daily.days).toEqual(["2026-11-29", "2026-11-30", "2026-12-02"]);
    expect(daily.series.map((s) => [s.label, s.impressions, s.color])).toEqual([
      ["Top picks", 90, PALETTE[0]],
      ["Trending", 15, PALETTE[1]],
    ]);
    // A day a series was not served is a gap, not a zero.
    expect(daily.series[0]!.rates.map((r) => r?.value ?? null)).toEqual([null, 0.2, 0.3]);
    expect(daily.series[1]!.rates.map((r) => r?.value ?? null)).toEqual([0, null, 0.1]);
  });

  it("draws each day as a segment (its first and last second) and each series as rate, upper and lower edge", () => {
    const daily = dailyRates([row("Top picks", "2026-12-01", 10, 0.2)], (r) => r.kind, rateOf);
    const [x, value, upper, lower] = dailyRateData(daily);
    const start = Date.UTC(2026, 11, 1) / 1000;
    expect(x).toEqual([start, start + 86_399]);
    expect([value, upper, lower]).toEqual([
      [0.2, 0.2],
      [0.4, 0.4],
      [0.1, 0.1],
    ]);
  });

  it("fills a band between each series' interval edges, in the series' colour, with no line of their own", () => {
    const daily = dailyRates([row("A", "2026-12-01", 10, 0.2), row("B", "2026-12-01", 5, 0.1)], (r) => r.kind, rateOf);
    const options = dailyRateOptions(daily);
    expect(options.bands).toEqual([
      { series: [2, 3], fill: `${PALETTE[0]}33` },
      { series: [5, 6], fill: `${PALETTE[1]}33` },
    ]);
    expect(options.series.map((s) => s.stroke)).toEqual([undefined, PALETTE[0], "transparent", "transparent", PALETTE[1], "transparent", "transparent"]);
    // The y axis covers the highest interval edge (0.4), with some room.
    expect(options.scales?.y?.range).toEqual([0, expect.closeTo(0.44, 6)]);
  });

  it("says in words what a chart shows: each series' latest day and interval", () => {
    const daily = dailyRates([row("Top picks", "2026-11-30", 10, 0.2), row("Trending", "2026-11-29", 10, 0.05), row("Trending", "2026-11-30", 0, 0)], (r) => r.kind, (r) => (r.impressions ? rateOf(r) : null));
    expect(describeDailyRates("CTR by row kind", daily)).toBe("CTR by row kind: Top picks 20.0 % (95 % interval 10.0 % to 40.0 %) on 2026-11-30; Trending 5.0 % (95 % interval 2.5 % to 10.0 %) on 2026-11-29");
    expect(describeDailyRates("CTR by model", { days: [], series: [] })).toBe("CTR by model: no data");
  });

  it("bars: one per bucket, x labels thinned", () => {
    const points = [5, 10, 0, 3].map((value, i) => ({ label: `b${i}`, value }));
    expect(indexedData(points)).toEqual([
      [0, 1, 2, 3],
      [5, 10, 0, 3],
    ]);
    const xAxis = barOptions(points, 2, "#e50914").axes![0]!;
    const splits = (xAxis.splits as () => number[])();
    expect(splits).toEqual([0, 2]);
  });

  it("a share bar writes its percentage", () => {
    const { container, getByText } = render(<ShareBar label="Titles" part={25} whole={100} />);
    expect(Number(container.querySelector("rect.share-fill")!.getAttribute("width"))).toBe(25);
    expect(getByText("25 / 100 (25.0 %)")).toBeTruthy();
  });
});
