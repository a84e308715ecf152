import { fromCoo, type SparseRow } from "../matrix/csr-matrix";
import { IdIndex } from "../matrix/id-index";
import type { InteractionMatrix } from "../matrix/interaction-matrix";
import { applyConfidence, confidence, validateConfidence } from "../matrix/transforms";
import { ease, type EaseModel } from "./ease";
import { spdInverse } from "../dense/spd-reference";
import { cosineNeighbours, itemKnn, type ItemKnnModel } from "./item-knn";
import { userKnn, type UserKnnModel } from "./user-knn";
import { popularity, StaticRanking } from "./popularity";
import { exclusionMask, selectTopK } from "./common";
import { trending } from "./trending";
import { content } from "./content";
import { getAlgorithm, deserializeModel, algorithmNames } from "./registry";
import { encodeModel } from "./model-container";
import { fromGenreBitmasks } from "../matrix/item-features";

function matrix(rows: number[][], times?: number[][]): InteractionMatrix {
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  const t: number[] = [];
  const nCols = Math.max(...rows.map((x) => x.length));
  rows.forEach((values, u) =>
    values.forEach((x, i) => {
      if (x !== 0) {
        r.push(u);
        c.push(i);
        v.push(x);
        t.push(times?.[u][i] ?? 0);
      }
    }),
  );
  const scores = fromCoo(rows.length, nCols, Int32Array.from(r), Int32Array.from(c), Float32Array.from(v));
  return {
    users: IdIndex.from(rows.map((_, u) => `u${u}`)),
    items: IdIndex.from(Array.from({ length: nCols }, (_, i) => `i${i}`)),
    scores,
    lastEventAt: Float64Array.from(t),
  };
}

const hist = (items: number[], values?: number[]): SparseRow => ({
  indices: Int32Array.from(items),
  data: Float32Array.from(values ?? items.map(() => 1)),
});

/** Gauss-Jordan on a dense copy: an independent inverse to check the Cholesky path against. */
function gaussJordanInverse(a: number[][]): number[][] {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    const d = m[c][c];
    for (let j = 0; j < 2 * n; j++) m[c][j] /= d;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c];
      for (let j = 0; j < 2 * n; j++) m[r][j] -= f * m[c][j];
    }
  }
  return m.map((row) => row.slice(n));
}

describe("confidence transforms", () => {
  it("maps scores as documented and never turns a dislike into a positive", () => {
    const lin = validateConfidence({ kind: "linear", alpha: 2 });
    const log = validateConfidence({ kind: "log", alpha: 3, eps: 0.5 });
    const bin = validateConfidence({ kind: "binary" });
    expect(confidence(4, lin)).toBe(9);
    expect(confidence(4, log)).toBeCloseTo(1 + 3 * Math.log(1 + 8), 12);
    expect(confidence(7, bin)).toBe(1);
    for (const t of [lin, log, bin]) {
      expect(confidence(-3, t)).toBe(0);
      expect(confidence(0, t)).toBe(0);
    }
    const m = applyConfidence(matrix([[2, -1, 0], [0, 3, -5]]).scores, { kind: "linear", alpha: 1 });
    expect(Array.from(m.indices)).toEqual([0, 1]);
    expect(Array.from(m.data)).toEqual([3, 4]);
    expect(() => validateConfidence({ kind: "cubic" as never })).toThrow(/unknown confidence transform "cubic"/);
    expect(() => validateConfidence({ kind: "log", eps: 0 })).toThrow(/eps must be/);
  });
});

describe("EASE", () => {
  it("inverts an SPD matrix like Gauss-Jordan does", async () => {
    const n = 37; // not a multiple of the block size
    const a = new Float64Array(n * n);
    let seed = 3;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) - 0.5;
    const r = Array.from({ length: n }, () => Array.from({ length: n }, rnd));
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let s = i === j ? n : 0;
      for (let k = 0; k < n; k++) s += r[i][k] * r[j][k];
      a[i * n + j] = s;
    }
    const dense = Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * n, (i + 1) * n)));
    const expected = gaussJordanInverse(dense);
    const inv = await spdInverse(a, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(Math.abs(inv[i * n + j] - expected[i][j])).toBeLessThan(1e-10);
  });

  it("matches B = I - P/diag(P) with P from a direct inverse on a tiny matrix", async () => {
    const data = matrix([
      [1, 1, 0, 0],
      [1, 0, 1, 0],
      [0, 1, 1, 1],
      [1, 1, 1, 0],
      [0, 0, 1, 1],
    ]);
    const lambda = 0.5;
    const model = (await ease.fit(data, ease.validate({ lambda }))) as EaseModel;
    const x = [[1, 1, 0, 0], [1, 0, 1, 0], [0, 1, 1, 1], [1, 1, 1, 0], [0, 0, 1, 1]];
    const g = [0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => x.reduce((s, row) => s + row[i] * row[j], 0) + (i === j ? lambda : 0)));
    const p = gaussJordanInverse(g);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) {
      const expected = i === j ? 0 : -p[i][j] / p[j][j];
      expect(model.weight(i, j)).toBeCloseTo(expected, 5);
    }
    // A viewer with titles 0 and 1 scores title j by B[0][j] + B[1][j].
    const r = model.recommend(hist([0, 1]), 2);
    const byHand = [2, 3].map((j) => ({ j, s: -p[0][j] / p[j][j] - p[1][j] / p[j][j] })).sort((a, b) => b.s - a.s);
    expect(Array.from(r.items)).toEqual(byHand.map((h) => h.j));
    expect(r.scores[0]).toBeCloseTo(byHand[0].s, 5);
  });

  it("refuses a catalog above maxItems with a clear error", async () => {
    const data = matrix([[1, 1, 1]]);
    await expect(ease.fit(data, ease.validate({ maxItems: 2 }))).rejects.toThrow(/3 titles, above maxItems = 2.*use itemknn or ials/);
    expect(() => ease.validate({ lambda: 0 })).toThrow(/lambda must be a finite number > 0/);
  });
});

describe("item-kNN", () => {
  // Titles 0 and 1 are always watched together; 2 with 0 once; 3 alone.
  const data = matrix([
    [1, 1, 0, 0],
    [1, 1, 1, 0],
    [1, 1, 0, 0],
    [0, 0, 0, 1],
  ]);

  it("finds cosine neighbours with shrinkage as computed by hand", async () => {
    const model = (await itemKnn.fit(data, itemKnn.validate({ k: 2, shrinkage: 1 }))) as ItemKnnModel;
    const sim = (i: number, j: number) => model.similar(i, 3).scores[Array.from(model.similar(i, 3).items).indexOf(j)];
    // sim(0,1) = 3 / (sqrt3 sqrt3 + 1) = 0.75; sim(0,2) = 1 / (sqrt3 * 1 + 1)
    expect(Array.from(model.similar(0, 3).items)).toEqual([1, 2]);
    expect(sim(0, 1)).toBeCloseTo(0.75, 6);
    expect(sim(0, 2)).toBeCloseTo(1 / (Math.sqrt(3) + 1), 6);
    expect(model.similar(3, 3).items.length).toBe(0);
  });

  it("keeps only the top-k neighbours per title", async () => {
    const model = (await itemKnn.fit(data, itemKnn.validate({ k: 1, shrinkage: 0 }))) as ItemKnnModel;
    expect(Array.from(model.similar(0, 5).items)).toEqual([1]);
    expect(Array.from(model.similar(2, 5).items)).toEqual([0]); // tie with 1 broken by index
  });

  it("explains 'because you watched' with the viewer's contributing titles", async () => {
    const model = (await itemKnn.fit(data, itemKnn.validate({ k: 3, shrinkage: 0 }))) as ItemKnnModel;
    const why = model.explain(hist([0, 1, 3]), 2);
    expect(why.map((c) => c.index)).toEqual([0, 1]);
    expect(why[0].weight).toBeCloseTo(1 / Math.sqrt(3), 6);
    expect(why.every((c) => c.kind === "item")).toBe(true);
  });

  it("gives identical neighbours on the worker pool and inline", async () => {
    let seed = 11;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const rows = Array.from({ length: 300 }, () => Array.from({ length: 120 }, () => (rnd() < 0.08 ? 1 + Math.floor(rnd() * 3) : 0)));
    const x = matrix(rows).scores;
    const inline = await cosineNeighbours(x, 15, 5, { threads: 1 });
    const pooled = await cosineNeighbours(x, 15, 5, { threads: 2 }, "similarities", 0);
    expect(Array.from(pooled.indptr)).toEqual(Array.from(inline.indptr));
    expect(Array.from(pooled.indices)).toEqual(Array.from(inline.indices));
    expect(Array.from(pooled.data)).toEqual(Array.from(inline.data));
    expect(inline.indices.length).toBeGreaterThan(120 * 10);
    // Worker start-up compiles TypeScript under ts-jest: allow for it (jest ignores a project's testTimeout).
  }, 60_000);

  it("rejects k <= 0", () => {
    expect(() => itemKnn.validate({ k: 0 })).toThrow(/k must be an integer >= 1, got 0/);
    expect(() => itemKnn.validate({ k: -2 })).toThrow(/k must be an integer >= 1/);
    expect(() => itemKnn.validate({ shrinkage: -1 })).toThrow(/shrinkage must be a finite number >= 0/);
  });
});

describe("user-kNN", () => {
  // u0 and u1 share titles 0,1 and u1 also has 2; u2 is unrelated (3, 4).
  const data = matrix([
    [1, 1, 0, 0, 0],
    [1, 1, 1, 0, 0],
    [0, 0, 0, 1, 1],
    [0, 1, 0, 0, 1],
  ]);

  it("scores a fold-in history through its nearest training viewers", async () => {
    const model = (await userKnn.fit(data, userKnn.validate({ k: 1, shrinkage: 0 }))) as UserKnnModel;
    // New viewer with titles 0,1: nearest is u0 (cos 1) but u0 is the identical twin and is
    // skipped; next is u1 (2 / (sqrt2 sqrt3)), who brings title 2.
    const nb = model.neighbours(hist([0, 1]));
    expect(Array.from(nb.users)).toEqual([1]);
    expect(nb.sims[0]).toBeCloseTo(2 / (Math.sqrt(2) * Math.sqrt(3)), 6);
    expect(Array.from(model.recommend(hist([0, 1]), 1).items)).toEqual([2]);
  });

  it("keeps the k most similar viewers, ties to the lower viewer index, as a full sort would", async () => {
    // Binary rows over few titles: many viewers tie on similarity.
    let seed = 11;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const rows = Array.from({ length: 300 }, () => Array.from({ length: 8 }, () => (next() < 0.35 ? 1 : 0)));
    rows[0][0] = 1;
    for (const k of [1, 5, 40]) {
      const model = (await userKnn.fit(matrix(rows), userKnn.validate({ k, shrinkage: 2 }))) as UserKnnModel;
      for (const titles of [[0], [0, 3], [1, 2, 5, 7]]) {
        const h = hist(titles);
        const x = model.x;
        const expected: { u: number; sim: number }[] = [];
        for (let u = 0; u < x.nRows; u++) {
          let dot = 0;
          let norm = 0;
          for (let p = x.indptr[u]; p < x.indptr[u + 1]; p++) {
            norm += x.data[p] * x.data[p];
            if (titles.includes(x.indices[p])) dot += x.data[p];
          }
          const twin = x.indptr[u + 1] - x.indptr[u] === titles.length && dot === titles.length;
          const sim = dot / (Math.sqrt(titles.length) * Math.sqrt(norm) + 2);
          if (!twin && sim > 0) expected.push({ u, sim });
        }
        expected.sort((a, b) => b.sim - a.sim || a.u - b.u);
        const nb = model.neighbours(h);
        expect(Array.from(nb.users)).toEqual(expected.slice(0, k).map((e) => e.u));
      }
    }
  });

  it("explains with the neighbouring viewers and the viewer's titles", async () => {
    const model = (await userKnn.fit(data, userKnn.validate({ k: 2, shrinkage: 0 }))) as UserKnnModel;
    const why = model.explain(hist([0, 1]), 2);
    expect(why.filter((c) => c.kind === "user").map((c) => model.userIds[c.index])).toEqual(["u1"]);
    expect(why.filter((c) => c.kind === "item").map((c) => c.index).sort()).toEqual([0, 1]);
  });
});

describe("popularity and trending by hand", () => {
  const data = matrix(
    [
      [1, 1, 0, -1],
      [1, 0, 1, -1],
      [1, 0, 1, -1],
    ],
    [
      [0, 86400 * 10, 0, 0],
      [0, 0, 86400 * 3, 0],
      [0, 0, 86400 * 3, 0],
    ],
  );

  it("counts positive viewers per title; dislikes do not count, unwatched titles are not popular", async () => {
    const model = await popularity.fit(data, {});
    const r = model.recommend(hist([]), 4);
    expect(Array.from(r.items)).toEqual([0, 2, 1]);
    expect(Array.from(r.scores)).toEqual([3, 2, 1]);
  });

  it("decays counts with the half-life from the latest event", async () => {
    const model = await trending.fit(data, trending.validate({ halfLifeDays: 14 }));
    const r = model.recommend(hist([]), 3);
    // now = day 10: title 1 (1 viewer, age 0) = 1; title 2: 2 * 2^(-7/14); title 0: 3 * 2^(-10/14)
    const expected = [3 * 2 ** (-10 / 14), 1, 2 * 2 ** (-7 / 14)];
    expect(Array.from(r.items)).toEqual([0, 2, 1]);
    r.items.forEach((item, t) => expect(r.scores[t]).toBeCloseTo(expected[item], 5));
    expect(() => trending.validate({ halfLifeDays: 0 })).toThrow(/halfLifeDays must be a finite number > 0/);
  });

  it("walks its presorted ranking to the same answer as a top-k pass, with exclusions and filters", () => {
    const n = 500;
    const scores = new Float32Array(n);
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    // Many ties, zeros and negatives: the order of equal scores must match too.
    for (let i = 0; i < n; i++) scores[i] = Math.floor(next() * 12) - 2;
    const model = new StaticRanking("popular", {}, Array.from({ length: n }, (_, i) => String(i)), scores);
    for (let trial = 0; trial < 20; trial++) {
      const k = 1 + Math.floor(next() * 60);
      const exclude = new Set(Array.from({ length: 40 }, () => Math.floor(next() * n)));
      const modulus = 2 + trial % 3;
      const filter = trial % 2 ? (i: number) => i % modulus !== 0 : undefined;
      const history = hist([...new Set(Array.from({ length: 5 }, () => Math.floor(next() * n)))].sort((a, b) => a - b));
      const got = model.recommend(history, k, { exclude, filter });
      const want = selectTopK(scores, k, exclusionMask(n, history, { exclude }), filter, 0);
      expect(Array.from(got.items)).toEqual(Array.from(want.items));
      expect(Array.from(got.scores)).toEqual(Array.from(want.scores));
      const item = Math.floor(next() * n);
      expect(Array.from(model.similar(item, k, { filter }).items)).toEqual(Array.from(selectTopK(scores, k, exclusionMask(n, undefined, {}, item), filter, 0).items));
    }
  });

  it("trending needs timestamps", async () => {
    await expect(trending.fit({ ...data, lastEventAt: undefined }, trending.validate({}))).rejects.toThrow(/no lastEventAt/);
  });
});

describe("content similarity", () => {
  it("ranks titles nobody watched by shared genres", async () => {
    const data = matrix([[1, 1, 0]]);
    const features = fromGenreBitmasks(["i0", "i1", "i2", "fresh"], Uint32Array.of(0b011, 0b001, 0b100, 0b011), ["Drama", "Crime", "Comedy"]);
    const model = await content.fit({ ...data, itemFeatures: features }, content.validate({ weighting: "none" }));
    expect(model.itemIds).toEqual(["i0", "i1", "i2", "fresh"]);
    expect(Array.from(model.similar(0, 2).items)).toEqual([3, 1]);
    expect(model.explain(hist([0, 1]), 3).map((c) => c.index)).toEqual([0, 1]);
  });
});

describe("registry", () => {
  it("lists every algorithm and rejects an unknown one with the known names", () => {
    expect(algorithmNames()).toEqual(expect.arrayContaining(["popular", "trending", "itemknn", "userknn", "ease", "hybrid", "content"]));
    expect(() => getAlgorithm("svd")).toThrow(/unknown algorithm "svd": known algorithms are popular, trending/);
  });

  it("refuses an artifact of an unknown algorithm or a corrupt one", () => {
    const bytes = encodeModel({ algorithm: "mystery", params: {}, itemIds: [] }, {});
    expect(() => deserializeModel(bytes)).toThrow(/unknown algorithm "mystery"/);
    expect(() => deserializeModel(new Uint8Array([1, 2, 3]))).toThrow(/corrupt model artifact/);
  });

  it("rejects a hybrid of unknown or repeated components", async () => {
    const hybrid = getAlgorithm("hybrid");
    expect(() => hybrid.validate({ components: ["ease", "ease"] })).toThrow(/must not repeat/);
    expect(() => hybrid.validate({ components: ["ease", "itemknn"], weights: [1] })).toThrow(/weights must be 2 finite numbers/);
    await expect(hybrid.fit(matrix([[1, 1]]), hybrid.validate({ components: ["ease", "nope"] }))).rejects.toThrow(/unknown algorithm "nope"/);
  });
});
