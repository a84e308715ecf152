import assert from "node:assert/strict";
import type { AlgorithmSpec, Recommender, ScoredItems } from "../algorithms/recommender";
import { deserializeModel } from "../algorithms/registry";
import type { SparseRow } from "../matrix/csr-matrix";
import { blockFixture, emptyMatrix, type BlockFixture } from "./fixtures";

/**
 * The contract every Marquee algorithm passes (as benfred/implicit's shared test case does for
 * its models), on the block fixture whose answers are known. Framework-free: each case is a
 * name and an async check that throws (node:assert) on a violation, so jest, a benchmark or a
 * CLI self-check can run it.
 */
export interface ContractOptions {
  /** Parameters for the fixture (small k etc.); merged over the spec's defaults. */
  readonly params?: Record<string, unknown>;
  /** Personal models must find each viewer's skipped title; popularity-like ones need not. */
  readonly personalized: boolean;
  /** Whether similar(item) must stay within the item's block. */
  readonly blockSimilar?: boolean;
}

export interface ContractCase {
  readonly name: string;
  run(): Promise<void>;
}

function checkRanking(r: ScoredItems, k: number, nItems: number, history?: SparseRow): void {
  assert.ok(r.items instanceof Int32Array && r.scores instanceof Float32Array, "recommendations are typed arrays");
  assert.equal(r.items.length, r.scores.length, "items and scores are parallel");
  assert.ok(r.items.length <= k, `at most k = ${k} titles, got ${r.items.length}`);
  assert.equal(new Set(r.items).size, r.items.length, "no title twice");
  for (let t = 0; t < r.items.length; t++) {
    assert.ok(r.items[t] >= 0 && r.items[t] < nItems, `title index ${r.items[t]} in range`);
    assert.ok(Number.isFinite(r.scores[t]), "finite scores");
    if (t > 0) assert.ok(r.scores[t] <= r.scores[t - 1], "scores non-increasing");
  }
  if (history) for (const i of history.indices) assert.ok(!r.items.includes(i), `history title ${i} is not recommended`);
}

export function recommenderContract(spec: AlgorithmSpec, options: ContractOptions): ContractCase[] {
  let fixture: BlockFixture | undefined;
  let fitted: Recommender | undefined;
  const params = () => spec.validate({ ...(options.params ?? {}) });
  const setup = async () => {
    fixture ??= blockFixture();
    fitted ??= await spec.fit(fixture.data, params(), { seed: 7, threads: 1 });
    return { f: fixture, model: fitted };
  };
  const cases: ContractCase[] = [
    {
      name: "fits the block matrix and returns well-formed rankings without the history",
      async run() {
        const { f, model } = await setup();
        assert.equal(model.algorithm, spec.name);
        assert.ok(model.itemIds.length >= f.data.items.size, "the catalog covers the matrix's titles");
        for (let i = 0; i < f.data.items.size; i++) assert.equal(model.itemIds[i], f.data.items.idAt(i), "matrix title indices are kept");
        for (let u = 0; u < f.data.users.size; u++) {
          const h = f.history(u);
          checkRanking(model.recommend(h, 5), 5, model.itemIds.length, h);
        }
      },
    },
    {
      name: "honours exclude and filter",
      async run() {
        const { f, model } = await setup();
        const h = f.history(0);
        const first = model.recommend(h, 3);
        assert.ok(first.items.length > 0, "something is recommended");
        const again = model.recommend(h, 3, { exclude: new Set([first.items[0]]), filter: (i) => i % 2 === first.items[0] % 2 || i !== 1 });
        assert.ok(!again.items.includes(first.items[0]), "an excluded title is not returned");
        assert.ok(!again.items.includes(1) || first.items[0] % 2 === 1, "a filtered-out title is not returned");
      },
    },
    {
      name: "rejects k <= 0 and a title outside the catalog",
      async run() {
        const { f, model } = await setup();
        assert.throws(() => model.recommend(f.history(0), 0), /k must be a positive integer/);
        assert.throws(() => model.recommend(f.history(0), -3), /k must be a positive integer/);
        assert.throws(() => model.similar(0, 0), /k must be a positive integer/);
        assert.throws(() => model.similar(model.itemIds.length + 5, 3), /outside the model's catalog/);
      },
    },
    {
      name: "refuses an empty matrix and unknown parameters",
      async run() {
        if (spec.name !== "content") await assert.rejects(spec.fit(emptyMatrix(), params()), /empty matrix/);
        else await assert.rejects(spec.fit(emptyMatrix(), params()), /needs itemFeatures/);
        assert.throws(() => spec.validate({ noSuchParameter: 1 }), /unknown parameter "noSuchParameter"/);
      },
    },
    {
      name: "round-trips through serialize and the registry's deserializeModel",
      async run() {
        const { f, model } = await setup();
        const bytes = model.serialize();
        assert.ok(bytes instanceof Uint8Array && bytes.length > 0);
        const loaded = deserializeModel(bytes);
        assert.equal(loaded.algorithm, model.algorithm);
        assert.deepEqual([...loaded.itemIds], [...model.itemIds]);
        for (let u = 0; u < f.data.users.size; u += 5) {
          const a = model.recommend(f.history(u), 6);
          const b = loaded.recommend(f.history(u), 6);
          assert.deepEqual([...b.items], [...a.items], `same ranking for viewer ${u}`);
          assert.deepEqual([...b.scores], [...a.scores], `same scores for viewer ${u}`);
        }
        assert.deepEqual([...loaded.similar(1, 4).items], [...model.similar(1, 4).items]);
        const again = spec.deserialize(bytes);
        assert.deepEqual([...again.recommend(f.history(0), 4).items], [...model.recommend(f.history(0), 4).items]);
      },
    },
    {
      name: "is deterministic for a seed",
      async run() {
        const { f, model } = await setup();
        const other = await spec.fit(f.data, params(), { seed: 7, threads: 1 });
        for (let u = 0; u < f.data.users.size; u += 3) {
          assert.deepEqual([...other.recommend(f.history(u), 5).items], [...model.recommend(f.history(u), 5).items]);
        }
      },
    },
  ];

  if (options.personalized) {
    cases.push(
      {
        name: "recommends each viewer's skipped title of its own block first",
        async run() {
          const { f, model } = await setup();
          for (let u = 0; u < f.data.users.size; u++) {
            const r = model.recommend(f.history(u), 3);
            assert.equal(r.items[0], f.skipped[u], `viewer ${u}: expected title ${f.skipped[u]}, got ${r.items[0]}`);
          }
        },
      },
      {
        name: "folds in a history that was never trained on",
        async run() {
          const { f, model } = await setup();
          const b = f.blockSize;
          const fresh: SparseRow = { indices: Int32Array.of(b, b + 1, b + 2), data: Float32Array.of(2, 1, 3) };
          const r = model.recommend(fresh, b - 3);
          assert.ok(r.items.length > 0);
          for (const i of r.items) assert.equal(f.itemBlock[i] ?? 1, 1, `title ${i} of a block-B history is from block B`);
        },
      },
      {
        name: "explains a recommendation by the viewer's own titles or neighbours",
        async run() {
          const { f, model } = await setup();
          const h = f.history(2);
          const target = model.recommend(h, 1).items[0];
          const why = model.explain(h, target, 3);
          assert.ok(why.length > 0, "at least one contribution");
          for (const c of why) {
            assert.ok(c.weight > 0, "positive weights");
            if (c.kind === "item") assert.ok(h.indices.includes(c.index), `contributing title ${c.index} is in the history`);
            else assert.equal(f.userBlock[c.index], f.userBlock[2], "a neighbour shares the viewer's taste");
          }
        },
      },
    );
  }
  if (options.blockSimilar ?? options.personalized) {
    cases.push({
      name: "similar(title) stays within the title's block and excludes it",
      async run() {
        const { f, model } = await setup();
        for (const item of [0, f.blockSize + 1]) {
          const r = model.similar(item, f.blockSize - 1);
          checkRanking(r, f.blockSize - 1, model.itemIds.length);
          assert.ok(r.items.length > 0, "similar titles found");
          assert.ok(!r.items.includes(item), "not the title itself");
          for (const j of r.items) assert.equal(f.itemBlock[j] ?? (model.itemIds[j] === "new-A" ? 0 : 1), f.itemBlock[item], `title ${j} shares title ${item}'s block`);
        }
      },
    });
  }
  return cases;
}
