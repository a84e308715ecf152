import { take } from "./row-selection";

describe("take (selection)", () => {
  it("keeps the pool's order and stops at n eligible titles", () => {
    const pool = [5, 1, 4, 2, 3].map((movieId, i) => ({ movieId, score: 5 - i, index: i }));
    expect(take(pool, 2, (id) => id !== 1).map((c) => c.movieId)).toEqual([5, 4]);
    expect(take(pool, 10, (id) => id > 2).map((c) => c.movieId)).toEqual([5, 4, 3]);
    expect(take(pool, 0, () => true)).toEqual([]);
  });
});
