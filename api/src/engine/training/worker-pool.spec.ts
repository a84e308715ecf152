import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ts from "typescript";
import * as fixtures from "./fixture-kernels";
import { AbortError, KernelError, sharedFloat64, sharedInt32, sumResults, WorkerPool } from "./worker-pool";

// Worker threads start ts-node in each thread: seconds on a loaded 2-core machine.
jest.setTimeout(120_000);

const KERNELS = require.resolve("./fixture-kernels");

describe("WorkerPool", () => {
  const pool = new WorkerPool(2);
  afterAll(() => pool.close());

  function squares(n: number) {
    const input = sharedFloat64(n);
    for (let i = 0; i < n; i++) input[i] = Math.sin(i) * 1000;
    return { input, output: sharedFloat64(n) };
  }

  it("runs a kernel over every row in shared memory, with identical results on 2, 1 and 0 threads", async () => {
    const n = 10_000;
    const ctx2 = squares(n);
    const r2 = await pool.run({ module: KERNELS, kernel: "squareInto", context: ctx2, items: n, blockSize: 64 });
    const single = new WorkerPool(1);
    const ctx1 = squares(n);
    const r1 = await single.run({ module: KERNELS, kernel: "squareInto", context: ctx1, items: n, blockSize: 64 });
    await single.close();
    const ctx0 = squares(n);
    const r0 = await new WorkerPool(0).run({ module: KERNELS, kernel: "squareInto", context: ctx0, items: n, blockSize: 64 });
    const expected = Float64Array.from(ctx2.input, (v) => v * v);
    expect(Buffer.from(ctx2.output.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
    expect(Buffer.from(ctx1.output.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
    expect(Buffer.from(ctx0.output.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
    expect(r2.results.length).toBe(Math.ceil(n / 64));
    expect(sumResults(r2)).toBe(sumResults(r1));
    expect(sumResults(r2)).toBe(sumResults(r0));
    expect(sumResults(r2)).toBeCloseTo(expected.reduce((a, b) => a + b, 0), 0);
  });

  it("uses both workers and covers each row by exactly the block the row belongs to", async () => {
    const n = 1000;
    const blocks = sharedInt32(n).fill(-1);
    await pool.run({ module: KERNELS, kernel: "recordBlock", context: { blocks }, items: n, blockSize: 10 });
    for (let i = 0; i < n; i += 97) expect(blocks[i]).toBe(Math.floor(i / 10));
    expect(blocks.every((b, i) => b === Math.floor(i / 10))).toBe(true);
  });

  it("reports progress up to the total", async () => {
    const seen: number[] = [];
    await pool.run({
      module: KERNELS,
      kernel: "squareInto",
      context: squares(2000),
      items: 2000,
      blockSize: 100,
      onProgress: (done, total) => {
        expect(total).toBe(2000);
        seen.push(done);
      },
    });
    expect(seen.length).toBe(20);
    expect(seen[seen.length - 1]).toBe(2000);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]);
  });

  it("aborts a run on signal, then keeps serving", async () => {
    const controller = new AbortController();
    let progressed = 0;
    const run = pool.run({
      module: KERNELS,
      kernel: "spin",
      context: { ms: 20 },
      items: 1000,
      blockSize: 1,
      signal: controller.signal,
      onProgress: (done) => {
        progressed = done;
        if (done >= 4) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(AbortError);
    expect(progressed).toBeLessThan(100); // stopped long before the 1000 blocks (20 s) were done
    const again = await pool.run({ module: KERNELS, kernel: "squareInto", context: squares(10), items: 10 });
    expect(sumResults(again)).toBeGreaterThan(0);
  });

  it("surfaces a kernel's error as a KernelError and stays usable", async () => {
    await expect(pool.run({ module: KERNELS, kernel: "failOnRow", context: { badRow: 77 }, items: 500, blockSize: 10 })).rejects.toThrow(
      KernelError,
    );
    await expect(pool.run({ module: KERNELS, kernel: "failOnRow", context: { badRow: 77 }, items: 500, blockSize: 10 })).rejects.toThrow(
      /row 77 is bad/,
    );
    await expect(pool.run({ module: KERNELS, kernel: "noSuchKernel", context: {}, items: 5 })).rejects.toThrow(/noSuchKernel is not a function/);
    const ok = await pool.run({ module: KERNELS, kernel: "squareInto", context: squares(10), items: 10 });
    expect(sumResults(ok)).toBeGreaterThan(0);
  });

  it("rejects bad arguments clearly", async () => {
    expect(() => new WorkerPool(-1)).toThrow(/threads must be an integer >= 0/);
    await expect(pool.run({ module: KERNELS, kernel: "squareInto", context: squares(1), items: 1, blockSize: 0 })).rejects.toThrow(/blockSize/);
    const empty = await pool.run({ module: KERNELS, kernel: "squareInto", context: squares(1), items: 0 });
    expect(empty.results.length).toBe(0);
  });

  it("loads its workers from compiled JavaScript too (the dist build)", () => {
    // Transpile the pool, its worker entry and the fixture kernels into a temp dir, then run a
    // kernel there from a plain `node` process: no ts-node involved.
    const dir = mkdtempSync(path.join(tmpdir(), "worker-pool-js-"));
    try {
      for (const name of ["worker-pool", "worker-entry", "fixture-kernels"]) {
        const source = readFileSync(path.join(__dirname, `${name}.ts`), "utf8");
        const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } });
        writeFileSync(path.join(dir, `${name}.js`), js.outputText);
      }
      const script = `
        const { WorkerPool, sharedFloat64, sumResults } = require("./worker-pool.js");
        const pool = new WorkerPool(2);
        const input = sharedFloat64(100).fill(3), output = sharedFloat64(100);
        pool.run({ module: require.resolve("./fixture-kernels.js"), kernel: "squareInto", context: { input, output }, items: 100, blockSize: 7 })
          .then((r) => { console.log(JSON.stringify({ sum: sumResults(r), last: output[99] })); return pool.close(); });`;
      const out = execFileSync(process.execPath, ["-e", script], { cwd: dir, encoding: "utf8" });
      expect(JSON.parse(out)).toEqual({ sum: 900, last: 9 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("fixture kernels behave as the tests assume", () => {
    const input = Float64Array.of(1, 2, 3);
    const output = new Float64Array(3);
    expect(fixtures.squareInto({ input, output }, 0, 3)).toBe(14);
  });
});
