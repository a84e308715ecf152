/**
 * The `npm start` path end to end: no DATABASE_URL, so main.ts initialises an embedded Postgres
 * in a fresh data directory, migrates, seeds the demo and serves; a restart reuses the data.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { demoProfileId } from "../../seeds/demo-audience";

const API_DIR = path.resolve(__dirname, "..");

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Started {
  child: ChildProcess;
  url: string;
  output: string[];
}

async function startMain(env: NodeJS.ProcessEnv): Promise<Started> {
  const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "src/main.ts"], { cwd: API_DIR, env, stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`main.ts did not start in time:\n${output.join("")}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      const match = /Marquee is running at (http:\/\/\S+)/.exec(output.join(""));
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => reject(new Error(`main.ts exited with ${code}:\n${output.join("")}`)));
  });
  return { child, url, output };
}

/** SIGTERM, then the exit code; "hung" if the process ignores it for 20 s (then SIGKILL). */
async function stop(started: Started): Promise<number | null | "hung"> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      started.child.kill("SIGKILL");
      resolve("hung");
    }, 20_000);
    started.child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    started.child.kill("SIGTERM");
  });
}

async function gql<T>(url: string, query: string): Promise<T> {
  const response = await fetch(`${url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
  const body = (await response.json()) as { data: T; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data;
}

describe("npm start on the embedded Postgres", () => {
  const dataRoot = mkdtempSync(path.join(os.tmpdir(), "marquee-start-"));
  chmodSync(dataRoot, 0o755); // the postgres system user must reach the data directory
  afterAll(() => rmSync(dataRoot, { recursive: true, force: true }));

  it("initialises, seeds and serves; a restart keeps the data", async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, MARQUEE_AUTO_TRAIN: "0", PORT: "0", HOST: "127.0.0.1", EMBEDDED_PG_PORT: String(await freePort()), EMBEDDED_PG_DIR: path.join(dataRoot, "pg") };
    delete env.DATABASE_URL;
    // As `npm start` runs it: not under jest's NODE_ENV=test (which changes Apollo's signal handling).
    delete env.NODE_ENV;

    const first = await startMain(env);
    try {
      expect(first.output.join("")).toMatch(/Initialising the embedded Postgres/);
      expect(first.output.join("")).toMatch(/Loaded the demo seed: \d+ titles, \d+ profiles/);
      const data = await gql<{ movies: { totalCount: number }; recommendations: { movie: { title: string } }[] }>(
        first.url,
        `{ movies(first: 1) { totalCount } recommendations(profileId: "${demoProfileId(0)}", first: 5) { movie { title } } }`,
      );
      expect(data.movies.totalCount).toBeGreaterThanOrEqual(1000);
      expect(data.recommendations).toHaveLength(5);
      await gql(first.url, `mutation { createProfile(name: "Survivor") { id } }`);
    } finally {
      expect(await stop(first)).toBe(0);
    }

    const second = await startMain(env);
    try {
      expect(second.output.join("")).not.toMatch(/Initialising|Loaded the demo seed/);
      const data = await gql<{ profiles: { name: string }[] }>(second.url, `{ profiles { name } }`);
      expect(data.profiles.map((p) => p.name)).toContain("Survivor");
    } finally {
      expect(await stop(second)).toBe(0);
    }
  }, 180_000);
});
