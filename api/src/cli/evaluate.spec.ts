import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "./evaluate";
import { loadSplit, readRecommendationsCsv } from "../engine/evaluation/split";
import { rankingMetrics } from "../engine/evaluation/metrics";

/**
 * The CLI end to end on a small split written here (string ids, play counts as weights): two
 * taste groups, each viewer's latest titles held out as test and validation.
 */
function writeSplit(dir: string): void {
  const header = "user,item,weight,timestamp";
  const train: string[] = [header];
  const test: string[] = [header];
  const valTrain: string[] = [header];
  const valTest: string[] = [header];
  for (let u = 0; u < 40; u++) {
    const group = u % 2;
    const titles = Array.from({ length: 10 }, (_, j) => `${group ? "comedy" : "drama"}-${(u + j) % 12}`);
    titles.forEach((t, j) => {
      const line = `viewer-${u},${t},${1 + ((u * j) % 5)},${1000 + j}`;
      if (j >= 8) test.push(line);
      else {
        train.push(line);
        (j >= 7 ? valTest : valTrain).push(line);
      }
    });
  }
  mkdirSync(join(dir, "val"), { recursive: true });
  writeFileSync(join(dir, "train.csv"), train.join("\n") + "\n");
  writeFileSync(join(dir, "test.csv"), test.join("\n") + "\n");
  writeFileSync(join(dir, "val", "train.csv"), valTrain.join("\n") + "\n");
  writeFileSync(join(dir, "val", "test.csv"), valTest.join("\n") + "\n");
}

describe("npm run evaluate", () => {
  let dir: string;
  let stderr: jest.SpyInstance;
  let stdout: jest.SpyInstance;
  const errors = () => stderr.mock.calls.map((c) => String(c[0])).join("");
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "marquee-eval-"));
    writeSplit(join(dir, "split"));
    stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    stdout = jest.spyOn(process.stdout, "write").mockImplementation(() => true);
  });
  afterEach(() => {
    stderr.mockRestore();
    stdout.mockRestore();
    rmSync(dir, { recursive: true, force: true });
  });

  it("tunes, scores and writes JSON, recommendations and a report with its plot", async () => {
    const out = (f: string) => join(dir, "out", f);
    const code = await main(["--split", join(dir, "split"), "--algorithms", "popular,itemknn,userknn,hybrid", "--weights", "raw",
      "--json", out("m.json"), "--recs-out", out("recs.csv"), "--report", out("report.md")]);
    expect(errors()).not.toMatch(/evaluate:/);
    expect(code).toBe(0);
    const json = JSON.parse(readFileSync(out("m.json"), "utf8"));
    // The hybrid is reported when a blend beats the best single model on validation, else skipped with why.
    expect(Object.keys(json.algorithms).filter((n) => n !== "hybrid").sort()).toEqual(["itemknn", "popular", "userknn"]);
    expect("hybrid" in json.algorithms || /hybrid: no blend beat/.test(json.skipped.hybrid)).toBe(true);
    expect(json.metrics).toEqual(json.algorithms[json.best].metrics);
    for (const a of Object.values(json.algorithms) as { params: object; metrics: Record<string, number>; fitSeconds: number }[]) {
      expect(a.metrics["NDCG@10"]).toBeGreaterThanOrEqual(0);
      expect(typeof a.fitSeconds).toBe("number");
    }
    // Personal models separate the two groups; popularity cannot.
    expect(json.algorithms.itemknn.metrics["Recall@10"]).toBeGreaterThan(json.algorithms.popular.metrics["Recall@10"]);
    const recs = readFileSync(out("recs.csv"), "utf8").trim().split("\n");
    expect(recs[0]).toBe("user,item,rank");
    expect(recs[1]).toMatch(/^viewer-\d+,(drama|comedy)-\d+,1$/);
    // An external scorer reading --recs-out gets the reported figures back.
    const split = loadSplit(join(dir, "split"), "test", "raw");
    const external = readRecommendationsCsv(out("recs.csv"), split.truth);
    const rescored = rankingMetrics(external.truth, external.lists).metrics;
    for (const [name, value] of Object.entries(json.metrics)) expect(rescored[name as keyof typeof rescored]).toBeCloseTo(value as number, 12);
    const report = readFileSync(out("report.md"), "utf8");
    expect(report).toContain("![NDCG@K over K](report-ndcg.svg)");
    expect(readFileSync(out("report-ndcg.svg"), "utf8")).toMatch(/^<svg[\s\S]*<polyline[\s\S]*<\/svg>\n$/);
  }, 60_000);

  it("fails clearly on a missing directory, a wrong header or an unknown algorithm", async () => {
    expect(await main(["--split", join(dir, "nowhere")])).toBe(2);
    expect(errors()).toMatch(/split directory not found: .*nowhere/);
    expect(await main(["--split", join(dir, "split"), "--algorithms", "itemknn,svd"])).toBe(2);
    expect(errors()).toMatch(/unknown algorithm "svd": known algorithms are/);
    writeFileSync(join(dir, "split", "val", "test.csv"), "viewer,title,weight,timestamp\nv,t,1,1\n");
    expect(await main(["--split", join(dir, "split"), "--algorithms", "popular"])).toBe(2);
    expect(errors()).toMatch(/val\/test\.csv: header must be "user,item,weight,timestamp", found "viewer,title,weight,timestamp"/);
    writeSplit(join(dir, "split"));
    rmSync(join(dir, "split", "train.csv"));
    expect(await main(["--split", join(dir, "split"), "--algorithms", "popular"])).toBe(2);
    expect(errors()).toMatch(/file not found: .*train\.csv/);
    expect(await main(["--algorithms", "popular"])).toBe(2);
    expect(errors()).toMatch(/--split <dir> is required/);
  });
});
