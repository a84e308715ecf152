import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

interface Props {
  /** The chart's text alternative (a canvas says nothing to a screen reader). */
  label: string;
  /** Everything but the size, which follows the container's width. */
  options: Omit<uPlot.Options, "width" | "height">;
  data: uPlot.AlignedData;
  height?: number;
}

/**
 * One uPlot chart (canvas), sized to its container and redrawn when its options or data change.
 * uPlot styles its elements through the CSSOM and ships its CSS as a file: nothing inline for the
 * Content-Security-Policy to refuse.
 */
export function UPlotChart({ label, options, data, height = 220 }: Props) {
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const width = () => Math.max(240, Math.floor(element.clientWidth || 640));
    const plot = new uPlot({ ...options, width: width(), height }, data, element);
    const resized = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(() => plot.setSize({ width: width(), height }));
    resized?.observe(element);
    return () => {
      resized?.disconnect();
      plot.destroy();
    };
  }, [options, data, height]);

  return <div ref={container} className="chart" role="img" aria-label={label} />;
}
