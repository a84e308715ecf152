import { fromCoo } from "../matrix/csr-matrix";
import { IdIndex } from "../matrix/id-index";
import type { InteractionMatrix } from "../matrix/interaction-matrix";
import { rp3beta, rp3betaWeights } from "./rp3beta";

function data(rows: number[][]): InteractionMatrix {
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  rows.forEach((values, u) => values.forEach((x, i) => x !== 0 && (r.push(u), c.push(i), v.push(x))));
  const nCols = rows[0].length;
  return {
    users: IdIndex.from(rows.map((_, u) => `u${u}`)),
    items: IdIndex.from(Array.from({ length: nCols }, (_, i) => `i${i}`)),
    scores: fromCoo(rows.length, nCols, Int32Array.from(r), Int32Array.from(c), Float32Array.from(v)),
  };
}

/** W straight from the definition, dense, in float64: the walk i -> v -> j, penalised by deg(j)^beta. */
function definition(x: number[][], power: number, beta: number): number[][] {
  const nU = x.length;
  const nI = x[0].length;
  const rowSum = x.map((r) => r.reduce((s, v) => s + v, 0));
  const colSum = Array.from({ length: nI }, (_, i) => x.reduce((s, r) => s + r[i], 0));
  const degree = Array.from({ length: nI }, (_, i) => x.filter((r) => r[i] > 0).length);
  return Array.from({ length: nI }, (_, i) =>
    Array.from({ length: nI }, (_, j) => {
      if (i === j) return 0;
      let s = 0;
      for (let u = 0; u < nU; u++) if (x[u][i] > 0 && x[u][j] > 0) s += Math.pow(x[u][i] / colSum[i], power) * Math.pow(x[u][j] / rowSum[u], power);
      return s / Math.pow(degree[j], beta);
    }),
  );
}

describe("RP3beta", () => {
  const x = [
    [1, 1, 0, 0, 1],
    [1, 0, 1, 0, 0],
    [0, 1, 1, 1, 0],
    [1, 1, 1, 0, 0],
    [0, 0, 0, 1, 1],
    [2, 0, 0, 3, 0],
  ];

  it.each([
    [1, 0],
    [1, 0.5],
    [0.5, 0.8],
    [2, 0.25],
  ])("computes W = P(v|i)^a P(j|v)^a / deg(j)^beta exactly (power %p, beta %p)", async (power, beta) => {
    const w = await rp3betaWeights(data(x).scores, 10, power, beta);
    const expected = definition(x, power, beta);
    for (let i = 0; i < 5; i++) {
      for (let j = 0; j < 5; j++) {
        let got = 0;
        for (let p = w.indptr[i]; p < w.indptr[i + 1]; p++) if (w.indices[p] === j) got = w.data[p];
        expect(got).toBeCloseTo(expected[i][j], 6);
      }
      // Kept columns ascending (explain looks them up by binary search).
      const cols = Array.from(w.indices.subarray(w.indptr[i], w.indptr[i + 1]));
      expect(cols).toEqual([...cols].sort((a, b) => a - b));
    }
  });

  it("keeps each title's k strongest weights", async () => {
    const w = await rp3betaWeights(data(x).scores, 2, 1, 0);
    const expected = definition(x, 1, 0);
    for (let i = 0; i < 5; i++) {
      const kept = Array.from(w.indices.subarray(w.indptr[i], w.indptr[i + 1]));
      const strongest = expected[i].map((v, j) => ({ v, j })).filter((e) => e.v > 0).sort((a, b) => b.v - a.v || a.j - b.j).slice(0, 2).map((e) => e.j);
      expect(kept).toEqual(strongest.sort((a, b) => a - b));
    }
  });

  it("penalises popular titles more as beta grows", async () => {
    // Title 0 is everyone's, title 2 has two viewers; from title 1 the walk reaches both equally.
    const m = data([
      [1, 1, 1],
      [1, 0, 1],
      [1, 0, 0],
      [1, 0, 0],
      [1, 0, 0],
    ]);
    const history = { indices: Int32Array.of(1), data: Float32Array.of(1) };
    const plain = await rp3beta.fit(m, rp3beta.validate({ beta: 0 }));
    const penalised = await rp3beta.fit(m, rp3beta.validate({ beta: 1 }));
    const share = (model: typeof plain) => {
      const r = model.recommend(history, 3, { excludeHistory: false });
      const score = (j: number) => r.scores[Array.from(r.items).indexOf(j)] ?? 0;
      return score(0) / score(2);
    };
    expect(share(plain)).toBeCloseTo(1, 6);
    expect(share(penalised)).toBeCloseTo(2 / 5, 6);
  });
});
