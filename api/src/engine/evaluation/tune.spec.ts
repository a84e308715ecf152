import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AlgorithmSpec } from "../algorithms/recommender";
import { itemKnn } from "../algorithms/item-knn";
import { beyondEdge, tune } from "./evaluate";
import { FrozenConfiguration, loadFrozenTestSplit } from "./freeze";
import { runEvaluation, type ProgressEvent } from "./pipeline";
import { loadSplit } from "./split";

/**
 * A small split written here: two taste groups; each viewer's titles in time order, the latest
 * two held out as test, the one before as validation.
 */
function writeSplit(dir: string): void {
  const header = "user,item,weight,timestamp";
  const files: Record<string, string[]> = { "train.csv": [header], "test.csv": [header], "val/train.csv": [header], "val/test.csv": [header] };
  for (let u = 0; u < 60; u++) {
    const group = u % 3;
    for (let j = 0; j < 10; j++) {
      const line = `v${u},g${group}-${(u + j) % 14},1,${1000 + 60 * j}`;
      if (j >= 8) files["test.csv"].push(line);
      else {
        files["train.csv"].push(line);
        files[j === 7 ? "val/test.csv" : "val/train.csv"].push(line);
      }
    }
  }
  mkdirSync(join(dir, "val"), { recursive: true });
  for (const [f, lines] of Object.entries(files)) writeFileSync(join(dir, f), lines.join("\n") + "\n");
}

describe("beyondEdge", () => {
  it("continues a grid's last ratio past either end, integral grids staying integral above 1", () => {
    expect(beyondEdge([64, 128], true)).toBe(256);
    expect(beyondEdge([1, 10, 50], true)).toBe(250);
    expect(beyondEdge([1, 10, 50], false)).toBe(0.1);
    expect(beyondEdge([0.5, 1, 3, 10], false)).toBe(0.25);
    expect(beyondEdge([1, 2], false)).toBe(0.5); // below 1 as it is: validation rejects it for an integer parameter
    expect(beyondEdge([10, 20, 50], false)).toBe(5);
    expect(beyondEdge([0, 10], false)).toBeUndefined();
    expect(beyondEdge([7], true)).toBeUndefined();
  });
});

describe("tune", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "marquee-tune-"));
    writeSplit(join(dir, "split"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // item-kNN with a deliberately short grid: on this split more neighbours are better.
  const narrow = { ...itemKnn, grid: { k: [1, 2], shrinkage: [0] }, refine: { halfLifeDays: [0.01] } } as unknown as AlgorithmSpec;

  it("extends a parameter past its grid while the best sits at the edge, and refines the others", async () => {
    const val = loadSplit(join(dir, "split"), "val");
    const result = await tune(narrow, val, { maxExtensions: 2 });
    const stages = result.trials.map((t) => [t.stage, t.params.k, t.params.halfLifeDays]);
    expect(stages.slice(0, 2)).toEqual([["grid", 1, 0], ["grid", 2, 0]]);
    expect(stages).toContainEqual(["edge", 4, expect.any(Number)]);
    expect(stages.some(([stage, , h]) => stage === "refine" && h === 0.01)).toBe(true);
    // No configuration is fitted twice.
    const keys = result.trials.map((t) => JSON.stringify(t.params));
    expect(new Set(keys).size).toBe(keys.length);
    expect(result.ndcg10).toBe(Math.max(...result.trials.map((t) => t.ndcg10)));
  });

  it("runs only the grid when the budget is spent", async () => {
    const val = loadSplit(join(dir, "split"), "val");
    const result = await tune(narrow, val, { deadline: 0 });
    expect(result.trials.map((t) => t.stage)).toEqual(["grid", "grid"]);
  });
});

describe("freeze-then-score", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "marquee-freeze-"));
    writeSplit(join(dir, "split"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("writes the chosen configuration before test.csv is read, and scores exactly what it wrote", async () => {
    const freezePath = join(dir, "out", "frozen.json");
    const seen: { stage: string; message: string; frozenExists: boolean }[] = [];
    const onEvent = (e: ProgressEvent) => seen.push({ stage: e.stage, message: e.message, frozenExists: existsSync(freezePath) });
    const run = await runEvaluation(join(dir, "split"), { algorithms: ["popular", "itemknn", "rp3beta", "hybrid"], freezePath, budgetSeconds: 5, onEvent });
    const testLoad = seen.findIndex((e) => e.stage === "load" && e.message.includes("test.csv"));
    const freeze = seen.findIndex((e) => e.stage === "freeze");
    expect(freeze).toBeGreaterThan(-1);
    expect(testLoad).toBeGreaterThan(freeze);
    expect(seen[testLoad].frozenExists).toBe(true);
    // Nothing was tuned after the test split was opened.
    expect(seen.slice(testLoad).some((e) => e.stage === "tune")).toBe(false);
    const frozen = JSON.parse(readFileSync(freezePath, "utf8"));
    expect(frozen.best).toBe(run.best);
    for (const [name, a] of Object.entries(run.algorithms)) expect(a.params).toEqual(frozen.algorithms[name].params);
    expect(run.frozen.path).toBe(freezePath);
  });

  it("keeps the test split closed when the frozen file changed or is missing", () => {
    const path = join(dir, "frozen.json");
    const frozen = FrozenConfiguration.write(path, { split: join(dir, "split"), weights: "binary", seed: 1, best: "popular", algorithms: { popular: { params: {}, validationNdcg10: 0.1 } }, frozenAt: "now" });
    expect(loadFrozenTestSplit(join(dir, "split"), frozen).truth.test.nRows).toBeGreaterThan(0);
    writeFileSync(path, readFileSync(path, "utf8").replace('"popular"', '"itemknn"'));
    expect(() => loadFrozenTestSplit(join(dir, "split"), frozen)).toThrow(/changed after it was frozen/);
    rmSync(path);
    expect(() => loadFrozenTestSplit(join(dir, "split"), frozen)).toThrow(/is gone/);
  });
});
