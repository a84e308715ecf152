import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseSimulateSplitArgs, simulateSplit, SPLIT_FILES } from "./simulate-split";

jest.setTimeout(60_000);

function readRows(file: string): number[][] {
  const [header, ...lines] = readFileSync(file, "utf8").trimEnd().split("\n");
  expect(header).toBe("user,item,weight,timestamp");
  return lines.map((l) => l.split(",").map(Number));
}

describe("simulate-split", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "simulate-split-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(["pairs", "events"] as const)("exports the split CSV layout of shared/splits (%s mode)", (mode) => {
    const out = path.join(dir, mode);
    const { matrix } = simulateSplit({ events: 20_000, viewers: 400, titles: 300, seed: 3, out, mode });
    const files = Object.fromEntries(SPLIT_FILES.map((f) => [f, readRows(path.join(out, f))]));
    let positives = 0;
    for (const v of matrix.scores.data) if (v > 0) positives++;
    expect(files["train.csv"].length + files["test.csv"].length).toBe(positives);
    expect(files["val/train.csv"].length + files["val/test.csv"].length).toBe(files["train.csv"].length);
    for (const rows of Object.values(files)) {
      let unordered = 0;
      let nonPositive = 0;
      for (let i = 1; i < rows.length; i++) {
        const [u0, i0, , t0] = rows[i - 1];
        const [u1, i1, w1, t1] = rows[i];
        // Sorted by user, timestamp, item; every row a positive.
        if (!(u1 > u0 || (u1 === u0 && (t1 > t0 || (t1 === t0 && i1 > i0))))) unordered++;
        if (!(w1 > 0)) nonPositive++;
      }
      expect(unordered).toBe(0);
      expect(nonPositive).toBe(0);
    }
    // Per user, every test row is at least as late as every train row, and test is floor(n/5).
    const byUser = new Map<number, { train: number[]; test: number[] }>();
    for (const [u, , , t] of files["train.csv"]) (byUser.get(u) ?? byUser.set(u, { train: [], test: [] }).get(u)!).train.push(t);
    for (const [u, , , t] of files["test.csv"]) (byUser.get(u) ?? byUser.set(u, { train: [], test: [] }).get(u)!).test.push(t);
    for (const { train, test } of byUser.values()) {
      const n = train.length + test.length;
      expect(test.length).toBe(n >= 5 ? Math.floor(n / 5) : 0);
      if (test.length > 0) expect(Math.min(...test)).toBeGreaterThanOrEqual(Math.max(...train));
    }
    const stats = JSON.parse(readFileSync(path.join(out, "stats.json"), "utf8"));
    expect(stats.files["test.csv"].rows).toBe(files["test.csv"].length);
    expect(stats.sha256["train.csv"]).toMatch(/^[0-9a-f]{64}$/);
  });

  it("writes byte-identical files for the same seed", () => {
    const a = path.join(dir, "a");
    const b = path.join(dir, "b");
    simulateSplit({ events: 5000, viewers: 100, titles: 200, seed: 9, out: a, mode: "pairs" });
    simulateSplit({ events: 5000, viewers: 100, titles: 200, seed: 9, out: b, mode: "pairs" });
    expect(readFileSync(path.join(a, "stats.json"), "utf8")).toBe(readFileSync(path.join(b, "stats.json"), "utf8"));
  });

  it("parses its flags and rejects bad ones with a hint", () => {
    expect(parseSimulateSplitArgs(["--events", "10", "--viewers", "2", "--titles", "3", "--seed", "4", "--out", "x"])).toEqual({
      events: 10,
      viewers: 2,
      titles: 3,
      seed: 4,
      out: "x",
      mode: "pairs",
    });
    expect(() => parseSimulateSplitArgs(["--events", "ten", "--viewers", "2", "--titles", "3", "--out", "x"])).toThrow(/--events must be an integer/);
    expect(() => parseSimulateSplitArgs(["--events", "10", "--viewers", "2", "--titles", "3"])).toThrow(/--out <dir> is required/);
    expect(() => parseSimulateSplitArgs(["--events", "10", "--viewers", "2", "--titles", "3", "--out", "x", "--mode", "x"])).toThrow(/--mode/);
  });
});
