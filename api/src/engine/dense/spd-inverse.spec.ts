import { ParameterError } from "../algorithms/common";
import { kthLargest } from "../algorithms/ease-kernel";
import { ease, type EaseModel } from "../algorithms/ease";
import { fromCoo } from "../matrix/csr-matrix";
import { syntheticIds } from "../synthetic/audience";
import { Random } from "../synthetic/random";
import { NB } from "./dense-kernel";
import { denseWorkspace, invertSpd, releaseWorkspace, type DenseWorkspace } from "./spd-inverse";
import { spdInverse } from "./spd-reference";

/**
 * An EASE-like Gram matrix: XᵀX + lambda I for a binary X with skewed title popularity (a few
 * titles in most rows), the shape whose conditioning matters in practice.
 */
function gram(viewers: number, n: number, lambda: number, seed: number): Float64Array {
  const random = new Random(seed, 1);
  const g = new Float64Array(n * n);
  for (let u = 0; u < viewers; u++) {
    const items: number[] = [];
    for (let i = 0; i < n; i++) if (random.float() < 0.3 / Math.sqrt(1 + i)) items.push(i);
    for (const a of items) for (const b of items) g[a * n + b] += 1;
  }
  for (let i = 0; i < n; i++) g[i * n + i] += lambda;
  return g;
}

function load(g: Float64Array, n: number): DenseWorkspace {
  const ws = denseWorkspace(n);
  const A = ws.at.A / 4;
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) ws.f[A + i * ws.N + j] = g[i * n + j];
  return ws;
}

/** max |a - ref| / max |ref|. */
function relativeError(a: ArrayLike<number>, ref: ArrayLike<number>): number {
  let maxErr = 0;
  let maxRef = 0;
  for (let e = 0; e < ref.length; e++) {
    maxErr = Math.max(maxErr, Math.abs(a[e] - ref[e]));
    maxRef = Math.max(maxRef, Math.abs(ref[e]));
  }
  return maxErr / maxRef;
}

function inverseOf(ws: DenseWorkspace): Float32Array {
  const out = new Float32Array(ws.n * ws.n);
  const A = ws.at.A / 4;
  for (let i = 0; i < ws.n; i++) out.set(ws.f.subarray(A + i * ws.N, A + i * ws.N + ws.n), i * ws.n);
  return out;
}

describe("float32 WebAssembly SPD inverse", () => {
  // 300 titles pad to 384 (three panels), so padding and every step of the blocked algorithm run.
  const n = 300;
  const g = gram(2000, n, 10, 7);
  let reference: Float64Array;
  let inline: Float32Array;

  beforeAll(async () => {
    reference = await spdInverse(g, n);
    const ws = load(g, n);
    await invertSpd(ws, { threads: 0 });
    inline = inverseOf(ws);
  });

  it("matches the float64 reference to 2e-5 of its largest entry (measured: about 1e-6)", () => {
    expect(relativeError(inline, reference)).toBeLessThan(2e-5);
    // and P G = I to float32 precision
    let residual = 0;
    for (let i = 0; i < n; i += 7) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += inline[i * n + k] * g[k * n + j];
        residual = Math.max(residual, Math.abs(s - (i === j ? 1 : 0)));
      }
    }
    expect(residual).toBeLessThan(1e-3);
  });

  it("gives EASE weights B = -P/diag(P) within 1e-4 of float64's largest weight", () => {
    let maxErr = 0;
    let maxW = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const b64 = -reference[i * n + j] / reference[j * n + j];
        const b32 = -inline[i * n + j] / inline[j * n + j];
        maxErr = Math.max(maxErr, Math.abs(b64 - b32));
        maxW = Math.max(maxW, Math.abs(b64));
      }
    }
    expect(maxErr / maxW).toBeLessThan(1e-4);
  });

  it("is symmetric and identical on 2 worker threads and inline", async () => {
    const ws = load(g, n);
    await invertSpd(ws, { threads: 2 });
    const threaded = inverseOf(ws);
    await releaseWorkspace(ws, 2);
    expect(Buffer.from(threaded.buffer).equals(Buffer.from(inline.buffer))).toBe(true);
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(inline[i * n + j]).toBe(inline[j * n + i]);
  });

  it("inverts an exact multiple of the panel width and a one-panel matrix", async () => {
    for (const size of [NB, 2 * NB, 5]) {
      const m = gram(300, size, 5, size);
      const ref = await spdInverse(m, size);
      const ws = load(m, size);
      await invertSpd(ws, { threads: 0 });
      expect(relativeError(inverseOf(ws), ref)).toBeLessThan(2e-5);
    }
  });

  it("refuses a matrix that is not positive definite, saying what to do", async () => {
    const m = gram(50, 20, 1, 3);
    m[5 * 20 + 5] = -1;
    const ws = load(m, 20);
    await expect(invertSpd(ws, { threads: 0 })).rejects.toThrow(ParameterError);
    await expect(invertSpd(load(m, 20), { threads: 0 })).rejects.toThrow(/not positive definite .* at row 5; add to its diagonal/);
  });

  it("refuses an order whose workspace exceeds the 4 GiB WebAssembly memory", () => {
    expect(() => denseWorkspace(30_000)).toThrow(/needs 6\.\d GiB of WebAssembly memory.*limit is 4 GiB, about 2\d,\d{3} titles/);
  });
});

describe("EASE pruned to topK", () => {
  const random = new Random(11, 1);
  const rows: number[] = [];
  const cols: number[] = [];
  for (let u = 0; u < 600; u++) {
    for (let i = 0; i < 150; i++) {
      if (random.float() < 0.4 / Math.sqrt(1 + i)) {
        rows.push(u);
        cols.push(i);
      }
    }
  }
  const scores = fromCoo(600, 150, Int32Array.from(rows), Int32Array.from(cols), new Float32Array(rows.length).fill(1));
  const data = { users: syntheticIds(600), items: syntheticIds(150), scores };

  it("keeps each title's k strongest weights of the dense model, strongest first", async () => {
    const dense = (await ease.fit(data, ease.validate({ lambda: 20, topK: 0 }))) as EaseModel;
    const pruned = (await ease.fit(data, ease.validate({ lambda: 20, topK: 10 }))) as EaseModel;
    expect(pruned.weights).toBeNull();
    for (let i = 0; i < 150; i++) {
      const strongest = Array.from({ length: 150 }, (_, j) => j)
        .filter((j) => j !== i)
        .sort((a, b) => Math.abs(dense.weight(i, b)) - Math.abs(dense.weight(i, a)) || a - b)
        .slice(0, 10);
      const kept = Array.from(pruned.pruned!.neighbors.subarray(i * 10, i * 10 + 10));
      expect(kept).toEqual(strongest);
      for (const j of kept) expect(pruned.weight(i, j)).toBeCloseTo(dense.weight(i, j), 6);
    }
  });

  it("serves the same rankings after a serialize round trip, and a smaller topK truncates the cached fit", async () => {
    const model = (await ease.fit(data, ease.validate({ lambda: 20, topK: 40 }))) as EaseModel;
    const back = ease.deserialize(model.serialize()) as EaseModel;
    const history = { indices: Int32Array.of(0, 3, 9), data: Float32Array.of(1, 1, 1) };
    expect(back.recommend(history, 10)).toEqual(model.recommend(history, 10));
    const smaller = (await ease.fit(data, ease.validate({ lambda: 20, topK: 5 }))) as EaseModel;
    expect(Array.from(smaller.pruned!.neighbors.subarray(0, 5))).toEqual(Array.from(model.pruned!.neighbors.subarray(0, 5)));
  });

  it("kthLargest finds the k-th largest value", () => {
    const r = new Random(5, 1);
    for (let trial = 0; trial < 50; trial++) {
      const a = Float32Array.from({ length: 1 + trial * 7 }, () => Math.round(r.float() * 20));
      const k = 1 + (trial % a.length);
      const sorted = Array.from(a).sort((x, y) => y - x);
      expect(kthLargest(a.slice(), k)).toBe(sorted[k - 1]);
    }
  });
});
