import { row, type CsrMatrix, type SparseRow } from "../matrix/csr-matrix";
import { IdIndex } from "../matrix/id-index";
import type { InteractionMatrix } from "../matrix/interaction-matrix";
import { generatePairs } from "../synthetic/audience";
import { buildIalsWasm } from "./ials-kernel";
import { ials, IalsModel, ialsLoss, trainIals, validateIalsParams, type IalsParams } from "./ials";
import { deserializeModel, getAlgorithm } from "./registry";

// Worker threads start ts-node in each thread: seconds on a loaded 2-core machine.
jest.setTimeout(120_000);

const data = generatePairs({ viewers: 300, titles: 120, pairs: 6000, seed: 4 });
const small = (over: Partial<IalsParams> = {}) => validateIalsParams({ factors: 8, iterations: 10, regularization: 1, alpha: 2, ...over });

function sameBits(a: Float32Array, b: Float32Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

describe("iALS training (WebAssembly CG kernel in worker threads)", () => {
  it("decreases the loss at every iteration", async () => {
    const params = small({ iterations: 12 });
    const losses: number[] = [];
    await trainIals(data.scores, params, {
      seed: 1,
      threads: 2,
      onIteration: (_, s) => losses.push(ialsLoss(data.scores, params, s.userFactors, s.itemFactors, s.stride)),
    });
    expect(losses).toHaveLength(12);
    for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1] * (1 + 1e-6));
    // And it decreases by a lot overall: the factors explain the data.
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] * 0.9);
  });

  it("gives identical factors for a seed on 0 (inline), 1 and 2 threads, and different ones for another seed", async () => {
    const params = small({ factors: 12, iterations: 4 });
    const inline = await trainIals(data.scores, params, { seed: 3, threads: 0 });
    const one = await trainIals(data.scores, params, { seed: 3, threads: 1 });
    const two = await trainIals(data.scores, params, { seed: 3, threads: 2 });
    expect(sameBits(inline.itemFactors, one.itemFactors)).toBe(true);
    expect(sameBits(inline.itemFactors, two.itemFactors)).toBe(true);
    expect(sameBits(inline.userFactors, two.userFactors)).toBe(true);
    const other = await trainIals(data.scores, params, { seed: 4, threads: 0 });
    expect(sameBits(inline.itemFactors, other.itemFactors)).toBe(false);
  });

  it("folds a training viewer in to (nearly) its trained factors once converged", async () => {
    // factors not a multiple of 4 also checks the kernel's padding.
    const params = small({ factors: 6, iterations: 60, regularization: 2 });
    const trained = await trainIals(data.scores, params, { seed: 2, threads: 0 });
    const model = (await ials.fit(data, params, { seed: 2, threads: 0 })) as IalsModel;
    expect(sameBits(model.itemFactors, trained.itemFactors)).toBe(true);
    let worst = 0;
    for (let u = 0; u < 40; u++) {
      const x = model.foldIn(row(data.scores, u));
      if (!x) continue;
      let diff = 0;
      let norm = 0;
      for (let a = 0; a < 6; a++) {
        diff += (x[a] - trained.userFactors[u * 6 + a]) ** 2;
        norm += x[a] ** 2;
      }
      worst = Math.max(worst, Math.sqrt(diff / norm));
    }
    expect(worst).toBeLessThan(0.02);
  });

  it("scales each row's regularization by its total weight (frequency): trained viewers and their fold-ins agree", async () => {
    // alpha large, so the rows' weights differ a lot; a strong λ, so its scaling matters.
    const params = small({ factors: 6, iterations: 60, regularization: 20, alpha: 30, regularizationScaling: "frequency" });
    const trained = await trainIals(data.scores, params, { seed: 2, threads: 2 });
    const model = (await ials.fit(data, params, { seed: 2, threads: 2 })) as IalsModel;
    expect(sameBits(model.itemFactors, trained.itemFactors)).toBe(true);
    expect(model.meanViewerWeight).toBeGreaterThan(data.scores.nCols);
    const worstFoldIn = (m: IalsModel, userFactors: Float32Array) => {
      let worst = 0;
      for (let u = 0; u < 40; u++) {
        const x = m.foldIn(row(data.scores, u));
        if (!x) continue;
        let diff = 0;
        let norm = 0;
        for (let a = 0; a < 6; a++) {
          diff += (x[a] - userFactors[u * 6 + a]) ** 2;
          norm += x[a] ** 2;
        }
        worst = Math.max(worst, Math.sqrt(diff / norm));
      }
      return worst;
    };
    // The fold-in solves with the same per-viewer λ the kernel used...
    expect(worstFoldIn(model, trained.userFactors)).toBeLessThan(0.02);
    // ...which is not the constant λ: a constant-λ fold-in of the same factors is further off.
    const constant = new IalsModel({ ...params, regularizationScaling: "constant" }, model.itemIds, model.itemFactors, model.gram);
    expect(worstFoldIn(constant, trained.userFactors)).toBeGreaterThan(0.05);
    // And it survives serialisation.
    const loaded = deserializeModel(model.serialize()) as IalsModel;
    expect(loaded.meanViewerWeight).toBe(model.meanViewerWeight);
  });

  it("treats a dislike as an observed zero, never a positive", async () => {
    const model = (await ials.fit(data, small(), { seed: 1, threads: 0 })) as IalsModel;
    const base = row(data.scores, 0);
    const target = model.recommend(base, 1).items[0];
    const all = { excludeHistory: false };
    const scoreOf = (h: SparseRow) => {
      const r = model.recommend(h, 120, all);
      return r.scores[Array.from(r.items).indexOf(target)];
    };
    const withDislike: SparseRow = appendEntry(base, target, -4);
    const withLike: SparseRow = appendEntry(base, target, 4);
    expect(scoreOf(withDislike)).toBeLessThan(scoreOf(base));
    expect(scoreOf(withLike)).toBeGreaterThan(scoreOf(base));
    // Only dislikes: no taste at all, so nothing to recommend; and a dislike never explains.
    expect(model.recommend({ indices: Int32Array.of(3), data: Float32Array.of(-4) }, 5).items.length).toBe(0);
    expect(model.explain(withDislike, target, 50).some((c) => c.index === target)).toBe(false);
  });

  it("explains a score by the history's own titles, which sum to the score when all contribute", async () => {
    const model = (await ials.fit(data, small(), { seed: 1, threads: 0 })) as IalsModel;
    const h = row(data.scores, 5);
    const r = model.recommend(h, 1);
    const why = model.explain(h, r.items[0], 1000);
    expect(why.length).toBeGreaterThan(0);
    for (const c of why) expect(Array.from(h.indices)).toContain(c.index);
    for (let i = 1; i < why.length; i++) expect(why[i].weight).toBeLessThanOrEqual(why[i - 1].weight);
    // The decomposition is exact: the positive contributions are at least the score.
    const total = why.reduce((s, c) => s + c.weight, 0);
    expect(total).toBeGreaterThanOrEqual(r.scores[0] - 1e-4);
  });

  it("round-trips through serialize, the registry and deserialize", async () => {
    const model = await ials.fit(data, small({ confidence: "log", eps: 2 }), { seed: 1, threads: 0 });
    const bytes = model.serialize();
    const loaded = deserializeModel(bytes);
    expect(loaded).toBeInstanceOf(IalsModel);
    expect(loaded.params).toEqual(model.params);
    expect(Buffer.from(loaded.serialize()).equals(Buffer.from(bytes))).toBe(true);
    const h = row(data.scores, 7);
    expect(Array.from(loaded.recommend(h, 10).items)).toEqual(Array.from(model.recommend(h, 10).items));
    expect(Array.from(loaded.similar(3, 5).items)).toEqual(Array.from(model.similar(3, 5).items));
    expect(getAlgorithm("ials")).toBe(ials);
    const corrupt = bytes.slice(0, bytes.length - 64);
    expect(() => ials.deserialize(corrupt)).toThrow(/corrupt model artifact/);
  });

  it("rejects bad parameters with clear errors", () => {
    expect(() => validateIalsParams({ factors: 0 })).toThrow(/factors must be an integer >= 1, got 0/);
    expect(() => validateIalsParams({ factors: -3 })).toThrow(/factors must be an integer >= 1/);
    expect(() => validateIalsParams({ factors: 2.5 })).toThrow(/factors must be an integer/);
    expect(() => validateIalsParams({ factors: 4096 })).toThrow(/factors must be at most 512/);
    expect(() => validateIalsParams({ regularization: 0 })).toThrow(/regularization must be a finite number > 0/);
    expect(() => validateIalsParams({ alpha: Number.NaN })).toThrow(/alpha must be a finite number >= 0/);
    expect(() => validateIalsParams({ iterations: 0 })).toThrow(/iterations must be an integer >= 1/);
    expect(() => validateIalsParams({ cgSteps: 0 })).toThrow(/cgSteps must be an integer >= 1/);
    expect(() => validateIalsParams({ confidence: "cubic" as never })).toThrow(/confidence must be one of linear, log/);
    expect(() => validateIalsParams({ factor: 3 } as never)).toThrow(/unknown parameter "factor"/);
    expect(validateIalsParams({})).toEqual(ials.defaults);
  });

  it("fails loudly on NaN scores and on divergence, and refuses an empty matrix", async () => {
    const nan = withData(data, (d) => {
      d[10] = Number.NaN;
    });
    await expect(ials.fit(nan, small(), { threads: 0 })).rejects.toThrow(/score 10 is NaN/);
    // A confidence beyond float32 range overflows the solve: it must not return a NaN model.
    await expect(ials.fit(data, small({ alpha: 1e38 }), { threads: 0 })).rejects.toThrow(/diverged/);
    const empty: InteractionMatrix = {
      users: new IdIndex(),
      items: new IdIndex(),
      scores: { nRows: 0, nCols: 0, indptr: new Int32Array(1), indices: new Int32Array(0), data: new Float32Array(0) },
    };
    await expect(ials.fit(empty, small(), { threads: 0 })).rejects.toThrow(/empty matrix/);
  });

  it("reads 16-bit title indices below 65,536 titles and 32-bit ones above", async () => {
    // Two taste groups; in the wide catalog their titles sit above 65,536, where a 16-bit index
    // would wrap onto other titles.
    const fixture = (offset: number, nCols: number): CsrMatrix => {
      const indptr = [0];
      const indices: number[] = [];
      for (let u = 0; u < 40; u++) {
        const group = u % 2 === 0 ? [0, 1, 2, 3] : [4, 5, 6, 7];
        for (const t of group) if ((u + t) % 5 !== 0) indices.push(offset + t);
        indptr.push(indices.length);
      }
      return { nRows: 40, nCols, indptr: Int32Array.from(indptr), indices: Int32Array.from(indices), data: new Float32Array(indices.length).fill(1) };
    };
    const params = small({ factors: 4, iterations: 6 });
    const narrow = await trainIals(fixture(0, 8), params, { seed: 5, threads: 0, keepUserFactors: true });
    const wide = await trainIals(fixture(65_536 + 100, 65_536 + 108), params, { seed: 5, threads: 0, keepUserFactors: true });
    // Untouched titles end at zero factors; the 8 used ones match the narrow run's viewer factors.
    const used = wide.itemFactors.subarray((65_536 + 100) * 4, (65_536 + 108) * 4);
    expect(Array.from(used).some((v) => v !== 0)).toBe(true);
    for (let i = 0; i < 65_536 + 100; i += 997) expect(wide.itemFactors[i * 4]).toBe(0);
    // Both learn the two groups: each viewer's best title (of the 8) is one of its own group's.
    for (const [trained, offset] of [[narrow, 0], [wide, 65_536 + 100]] as const) {
      for (let u = 0; u < 40; u++) {
        const score = (t: number) => {
          let s = 0;
          for (let f = 0; f < 4; f++) s += trained.userFactors[u * 4 + f] * trained.itemFactors[(offset + t) * 4 + f];
          return s;
        };
        const best = [0, 1, 2, 3, 4, 5, 6, 7].sort((a, b) => score(b) - score(a))[0];
        expect(best < 4).toBe(u % 2 === 0);
      }
    }
  });

  it("stops when aborted", async () => {
    const controller = new AbortController();
    const run = trainIals(data.scores, small({ iterations: 500 }), {
      threads: 1,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.fraction > 0.01) controller.abort();
      },
    });
    await expect(run).rejects.toThrow(/aborted/);
  });

  it("generates a valid kernel module for several factor counts", () => {
    for (const F of [4, 8, 64, 128]) {
      const bytes = buildIalsWasm(F, 3);
      expect((globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly.validate(bytes)).toBe(true);
    }
    expect(() => buildIalsWasm(6, 3)).toThrow(/multiple of 4/);
  });
});

function appendEntry(h: SparseRow, item: number, score: number): SparseRow {
  const at = Array.from(h.indices).indexOf(item);
  if (at >= 0) {
    const data = Float32Array.from(h.data);
    data[at] = score;
    return { indices: h.indices, data };
  }
  const pairs = [...Array.from(h.indices, (i, n) => [i, h.data[n]] as const), [item, score] as const].sort((a, b) => a[0] - b[0]);
  return { indices: Int32Array.from(pairs.map((p) => p[0])), data: Float32Array.from(pairs.map((p) => p[1])) };
}

function withData(m: InteractionMatrix, edit: (d: Float32Array) => void): InteractionMatrix {
  const d = Float32Array.from(m.scores.data);
  edit(d);
  const scores: CsrMatrix = { ...m.scores, data: d };
  return { ...m, scores };
}
