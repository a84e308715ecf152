import type { ViewerContext } from "../viewer-context";
import { discountReserve, sinkDiscounted, sunkRow } from "./discount.filter";

const viewer = (discounted: number[]) => ({ discounted: new Set(discounted) }) as unknown as ViewerContext;
const list = (...ids: number[]) => ids.map((movieId) => ({ movieId }));

describe("impression discounting (filter)", () => {
  it("sinks the discounted titles below the others, each group in its order", () => {
    expect(sinkDiscounted(list(1, 2, 3, 4, 5), viewer([2, 4])).map((c) => c.movieId)).toEqual([1, 3, 5, 2, 4]);
    const untouched = list(1, 2);
    expect(sinkDiscounted(untouched, viewer([]))).toBe(untouched);
    expect(sinkDiscounted(untouched, viewer([9]))).toBe(untouched);
  });

  it("asks for enough extra titles that sinking can replace the discounted ones, and cuts to the row", () => {
    expect(discountReserve(viewer([1, 2, 3]), 20)).toBe(3);
    expect(discountReserve(viewer(Array.from({ length: 50 }, (_, i) => i)), 20)).toBe(20);
    expect(sunkRow(list(1, 2, 3, 4), viewer([1]), 3).map((c) => c.movieId)).toEqual([2, 3, 4]);
  });
});
