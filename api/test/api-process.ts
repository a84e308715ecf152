import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

/** `npm start`'s entry point (src/main.ts) in a child process, so tests can SIGKILL or SIGTERM it. */
export interface ApiProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Resolves when the process ends, with how. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything it printed, for failure messages. */
  output(): string;
}

const API_DIR = path.resolve(__dirname, "..");

export async function startApiProcess(databaseUrl: string, env: Record<string, string> = {}): Promise<ApiProcess> {
  const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "src/main.ts"], {
    cwd: API_DIR,
    env: {
      ...process.env,
      NODE_ENV: "",
      DATABASE_URL: databaseUrl,
      PORT: "0",
      HOST: "127.0.0.1",
      MARQUEE_SEED: "0",
      MARQUEE_AUTO_TRAIN: "0",
      MARQUEE_ADMIN_KEY: "",
      LOG_LEVEL: "error",
      TS_NODE_PROJECT: path.join(API_DIR, "tsconfig.json"),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the API did not start within 180 s:\n${output}`)), 180_000);
    const onData = () => {
      const match = /Marquee is running at (http:\/\/[\d.:]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off("data", onData);
        resolve(match[1]);
      }
    };
    child.stdout!.on("data", onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the API exited during start (${code ?? signal}):\n${output}`));
    });
  });
  return { url, child, exited, output: () => output };
}

/** POSTs one GraphQL operation; network failures reject (the caller decides what "not acknowledged" means). */
export async function postGraphQL<T>(url: string, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}): Promise<{ status: number; data?: T; errors?: { message: string; extensions?: { code?: string } }[] }> {
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  return { status: res.status, ...body };
}
