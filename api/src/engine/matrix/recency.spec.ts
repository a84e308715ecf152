import { fromCoo } from "./csr-matrix";
import { fromCooWithTimes } from "./build";
import { IdIndex } from "./id-index";
import type { InteractionMatrix } from "./interaction-matrix";
import { historyRecency, recencyWeights, SECONDS_PER_DAY } from "./recency";
import { applyConfidence, historyConfidences, validateConfidence } from "./transforms";
import { getAlgorithm } from "../algorithms/registry";

const DAY = SECONDS_PER_DAY;

describe("recency weights", () => {
  it("halve per half-life of age, counted back from each row's own latest event", () => {
    // Row 0: events at day 0, 10, 20; row 1: days 100 and 110 (its own clock).
    const indptr = Int32Array.of(0, 3, 5);
    const times = Float64Array.of(0, 10 * DAY, 20 * DAY, 100 * DAY, 110 * DAY);
    const w = recencyWeights(indptr, times, 10)!;
    expect(Array.from(w)).toEqual([0.25, 0.5, 1, 0.5, 1]);
    expect(recencyWeights(indptr, times, 0)).toBeUndefined();
    expect(recencyWeights(indptr, undefined, 10)).toBeUndefined();
  });

  it("weigh a live history exactly as the same training row", () => {
    const history = { indices: Int32Array.of(3, 7), data: Float32Array.of(1, 1), times: Float64Array.of(5 * DAY, 6 * DAY) };
    expect(Array.from(historyRecency(history, 1)!)).toEqual([0.5, 1]);
    expect(historyRecency({ indices: history.indices, data: history.data }, 1)).toBeUndefined();
    expect(() => historyRecency({ ...history, times: Float64Array.of(1) }, 1)).toThrow(/2 titles but 1 event times/);
    const conf = historyConfidences(history, validateConfidence({ kind: "linear", alpha: 1 }), 1);
    expect(Array.from(conf)).toEqual([1, 2]);
  });

  it("multiply confidences, and dislikes stay dropped", () => {
    const m = fromCoo(1, 3, Int32Array.of(0, 0, 0), Int32Array.of(0, 1, 2), Float32Array.of(1, -1, 1));
    const x = applyConfidence(m, { kind: "binary" }, Float32Array.of(0.5, 1, 1));
    expect(Array.from(x.indices)).toEqual([0, 2]);
    expect(Array.from(x.data)).toEqual([0.5, 1]);
  });
});

/**
 * Two kinds of viewers: those who watched a then b, and those who watched c then d (b and d
 * never co-occur with each other). A probe viewer watched a long ago and c just now: with a
 * half-life its recent taste (d) must come first, without one a and c weigh alike.
 */
function tastes(): InteractionMatrix {
  const rows: number[] = [];
  const cols: number[] = [];
  const times: number[] = [];
  for (let u = 0; u < 20; u++) {
    const [first, second] = u % 2 === 0 ? [0, 1] : [2, 3];
    rows.push(u, u);
    cols.push(first, second);
    times.push(u * DAY, u * DAY + 60);
  }
  // b is a little more popular, so without recency it would win.
  rows.push(20, 21);
  cols.push(1, 1);
  times.push(0, 0);
  const built = fromCooWithTimes(22, 4, Int32Array.from(rows), Int32Array.from(cols), new Float32Array(rows.length).fill(1), Float64Array.from(times));
  return { users: IdIndex.from(Array.from({ length: 22 }, (_, u) => `u${u}`)), items: IdIndex.from(["a", "b", "c", "d"]), scores: built.matrix, lastEventAt: built.times };
}

describe.each([
  ["itemknn", { k: 3, shrinkage: 0 }],
  ["userknn", { k: 10, shrinkage: 0 }],
  ["ease", { lambda: 1, topK: 0 }],
  ["rp3beta", { k: 3, beta: 0 }],
  ["ials", { factors: 4, iterations: 10, regularization: 0.1, alpha: 5 }],
])("%s with a recency half-life", (name, params) => {
  const probe = { indices: Int32Array.of(0, 2), data: Float32Array.of(1, 1), times: Float64Array.of(0, 400 * DAY) };
  it("ranks the recent taste's title first, either way round, and keeps its half-life when loaded", async () => {
    const spec = getAlgorithm(name);
    const model = await spec.fit(tastes(), spec.validate({ ...params, halfLifeDays: 30 }), { seed: 3, threads: 1 });
    expect(model.recommend(probe, 2).items[0]).toBe(3);
    const reversed = { ...probe, times: Float64Array.of(400 * DAY, 0) };
    expect(model.recommend(reversed, 2).items[0]).toBe(1);
    // Serialised and loaded, it keeps its half-life.
    const loaded = spec.deserialize(model.serialize());
    expect(loaded.params.halfLifeDays).toBe(30);
    expect(Array.from(loaded.recommend(probe, 2).items)).toEqual(Array.from(model.recommend(probe, 2).items));
  });
});
