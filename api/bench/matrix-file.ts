/**
 * Shared by the benchmarks that fit models in child processes: the binary matrix file they hand
 * to their children (so every fit sees the very same matrix) and the plain-JavaScript copy of
 * the engine the children run (no ts-node in the measured processes).
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { CsrMatrix } from "../src/engine/matrix/csr-matrix";
import type { InteractionMatrix } from "../src/engine/matrix/interaction-matrix";
import { syntheticIds } from "../src/engine/synthetic/audience";

/** Header (3 x int32: rows, cols, nnz), then indptr, indices, data. */
export function writeMatrix(file: string, m: CsrMatrix): void {
  const nnz = m.indptr[m.nRows];
  const header = Int32Array.of(m.nRows, m.nCols, nnz);
  const parts = [header, m.indptr, m.indices.subarray(0, nnz), m.data.subarray(0, nnz)];
  writeFileSync(file, Buffer.concat(parts.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength))));
}

/** Pair timestamps live in their own file: only Trending reads them (they would inflate every RSS). */
export const timesFile = (file: string) => file.replace(/\.bin$/, ".times.bin");

export function readMatrix(file: string, withTimes: boolean): InteractionMatrix {
  const bytes = readFileSync(file);
  // Copy into an aligned buffer only if the file's buffer is not 4-byte aligned.
  const buf = bytes.byteOffset % 4 === 0 ? bytes : Buffer.from(bytes);
  const at = (offset: number) => buf.byteOffset + offset;
  const [nRows, nCols, nnz] = new Int32Array(buf.buffer, at(0), 3);
  let offset = 12;
  const indptr = new Int32Array(buf.buffer, at(offset), nRows + 1);
  offset += (nRows + 1) * 4;
  const indices = new Int32Array(buf.buffer, at(offset), nnz);
  offset += nnz * 4;
  const data = new Float32Array(buf.buffer, at(offset), nnz);
  const scores = { nRows, nCols, indptr, indices, data };
  if (!withTimes) return { users: syntheticIds(nRows), items: syntheticIds(nCols), scores };
  const t = readFileSync(timesFile(file));
  const lastEventAt = new Float64Array(nnz);
  new Uint8Array(lastEventAt.buffer).set(t.subarray(0, nnz * 8));
  return { users: syntheticIds(nRows), items: syntheticIds(nCols), scores, lastEventAt };
}

/**
 * When run from source, transpiles the benchmark scripts and the engine to plain JavaScript (as `tsc` would
 * for dist) so that children and their worker threads run without ts-node: its compiler would
 * add ~100 MiB per thread to every RSS and seconds of start-up. Returns the script to fork.
 */
export function compiledScript(script: string): string {
  if (path.extname(script) !== ".ts") return script;
  // Loaded lazily: only needed when running from source.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require("typescript") as typeof import("typescript");
  const apiRoot = path.resolve(__dirname, "..");
  // One copy per checkout: two worktrees benchmarking at once must not run each other's engine.
  const outRoot = path.join(os.tmpdir(), `marquee-bench-js-${createHash("sha1").update(apiRoot).digest("hex").slice(0, 10)}`);
  const emit = (file: string) => {
    const js = ts.transpileModule(readFileSync(file, "utf8"), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      fileName: file,
    });
    const out = path.join(outRoot, path.relative(apiRoot, file)).replace(/\.ts$/, ".js");
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, js.outputText);
  };
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".spec.ts")) emit(full);
    }
  };
  walk(path.join(apiRoot, "src", "engine"));
  emit(path.join(apiRoot, "src", "models", "holdout.ts")); // engine-only imports; bench:ease uses it
  for (const entry of readdirSync(__dirname)) if (entry.endsWith(".ts")) emit(path.join(__dirname, entry));
  return path.join(outRoot, "bench", path.basename(script).replace(/\.ts$/, ".js"));
}
