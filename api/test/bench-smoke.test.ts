/**
 * `npm run bench -- --quick` is the CI smoke run of every benchmark (issue: "CI runs it, the
 * figures are not asserted"). It runs here against a scratch BENCHMARKS.md, so the suite's real
 * figures are never touched by a test run; what is asserted is that every benchmark ran to the
 * end and reported.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const API = path.resolve(__dirname, "..");
const REPO_BENCHMARKS = path.resolve(API, "..", "BENCHMARKS.md");

const digest = (file: string) => (existsSync(file) ? createHash("sha1").update(readFileSync(file)).digest("hex") : "absent");

function runQuickSuite(benchmarksFile: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "bench/run.ts", "--quick"], {
      cwd: API,
      env: { ...process.env, MARQUEE_BENCHMARKS_FILE: benchmarksFile, LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, output }));
  });
}

describe("npm run bench -- --quick (CI smoke run)", () => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), "marquee-bench-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it(
    "runs ingest, import, train, ease, home-ceiling, home and a 30-second soak to the end, reports each, and leaves BENCHMARKS.md alone",
    async () => {
      const before = digest(REPO_BENCHMARKS);
      const file = path.join(scratch, "BENCHMARKS.md");
      const { code, output } = await runQuickSuite(file);
      if (code !== 0) throw new Error(`the quick suite exited with ${code}; its output ends:\n${output.slice(-4000)}`);

      const report = readFileSync(file, "utf8");
      const suite = report.slice(report.indexOf("<!-- bench:suite-quick -->"), report.indexOf("<!-- /bench:suite-quick -->"));
      for (const step of ["ingest", "import", "train", "ease", "home-ceiling", "home", "soak"]) expect(suite).toMatch(new RegExp(`\\| ${step} \\|.*\\| ok \\|`));
      // Each benchmark printed its figures (the values themselves vary by machine: not asserted).
      expect(output).toMatch(/logInteractions` batches of 1000 over HTTP \| \d+ clients? \| [\d,]+/);
      expect(output).toMatch(/events\/s/);
      expect(output).toMatch(/\| ials \|/);
      expect(output).toMatch(/WebAssembly SIMD peak: [\d.]+ GFLOP\/s per thread/);
      expect(output).toMatch(/event-to-visible p50 \/ p99/);
      // The soak's half minute of mixed traffic: no request failed (its latency and memory are not asserted).
      expect(output).toMatch(/Errors: \*\*0\*\* of [1-9]\d* requests/);
      expect(digest(REPO_BENCHMARKS)).toBe(before);
    },
    10 * 60_000,
  );
});
