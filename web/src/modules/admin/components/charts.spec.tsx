import { render } from "@testing-library/react";
import { BarChart, LineChart, ShareBar, niceTicks } from "./charts";

describe("admin charts", () => {
  it("picks round ticks that cover the maximum", () => {
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(950)).toEqual([0, 500, 1000]);
    expect(niceTicks(0.31)).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
  });

  it("draws one bar per bucket, scaled to the top tick", () => {
    const { container } = render(<BarChart title="Events" data={[{ label: "a", value: 5 }, { label: "b", value: 10 }, { label: "c", value: 0 }]} />);
    const bars = [...container.querySelectorAll("rect.chart-bar")];
    expect(bars).toHaveLength(3);
    const heights = bars.map((b) => Number(b.getAttribute("height")));
    expect(heights[1]).toBeCloseTo(heights[0] * 2, 6);
    expect(heights[2]).toBe(0);
    expect(container.querySelector("svg")!.getAttribute("aria-label")).toBe("Events: 15 in 3 buckets");
  });

  it("draws a line through every point and a share bar with its percentage", () => {
    const { container, getByText } = render(
      <>
        <LineChart title="NDCG" data={[{ label: "#1", value: 0.1 }, { label: "#2", value: 0.2 }]} />
        <ShareBar label="Titles" part={25} whole={100} />
      </>,
    );
    expect(container.querySelectorAll("circle.chart-dot")).toHaveLength(2);
    expect(container.querySelector("path.chart-line")!.getAttribute("d")).toMatch(/^M[\d.]+,[\d.]+ L[\d.]+,[\d.]+$/);
    expect(Number(container.querySelector("rect.share-fill")!.getAttribute("width"))).toBe(25);
    expect(getByText("25 / 100 (25.0 %)")).toBeTruthy();
  });
});
