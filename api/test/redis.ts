import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import Redis from "ioredis";
import { freePort } from "./free-port";

/** The machine's Redis (`MARQUEE_TEST_REDIS_URL`, default redis://127.0.0.1:6379), shared with other engineers' runs: tests use unique key prefixes there and never stop it. */
export const SHARED_REDIS_URL = process.env.MARQUEE_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** A key prefix no other test run uses. */
export function uniqueRedisPrefix(label: string): string {
  return `marquee-test:${label}:${randomUUID()}:`;
}

/** Whether a Redis answers PING at `url` within a second. */
export async function redisAnswers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: 1000, retryStrategy: () => null });
  client.on("error", () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** Deletes every key under `prefix` (a test's own). */
export async function deleteRedisKeys(url: string, prefix: string): Promise<number> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    const keys = await client.keys(`${prefix}*`);
    if (keys.length) await client.del(...keys);
    return keys.length;
  } finally {
    client.disconnect();
  }
}

/** The keys under `prefix`, sorted. */
export async function redisKeys(url: string, prefix: string): Promise<string[]> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    return (await client.keys(`${prefix}*`)).sort();
  } finally {
    client.disconnect();
  }
}

/** A redis-server of the test's own on a free port: it may be stopped, frozen and killed. */
export interface OwnRedis {
  readonly url: string;
  readonly port: number;
  /** Sends a signal to the server (SIGSTOP freezes it, SIGCONT thaws it). */
  signal(signal: NodeJS.Signals): void;
  /** kill -9, then waits for the exit. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty: nothing is persisted). */
  restart(): Promise<void>;
}

/** Starts Debian's redis-server (REDIS_SERVER, else redis-server on PATH) on a free loopback port, persisting nothing. */
export async function startOwnRedis(port?: number): Promise<OwnRedis> {
  const chosen = port ?? (await freePort());
  const url = `redis://127.0.0.1:${chosen}`;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const start = async () => {
    const started = spawn(process.env.REDIS_SERVER ?? "redis-server", ["--port", String(chosen), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    started.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    started.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    exited = new Promise((resolve) => started.once("exit", () => resolve()));
    const failed = new Promise<never>((_, reject) => started.once("error", (error) => reject(new Error(`redis-server did not start (install Debian's redis-server): ${error.message}`))));
    child = started;
    for (const deadline = Date.now() + 10_000; ; ) {
      if (started.exitCode !== null) throw new Error(`redis-server exited: ${output}`);
      if (await Promise.race([redisAnswers(url), failed])) return;
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on ${url}: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  await start();
  return {
    url,
    port: chosen,
    signal(signal) {
      child?.kill(signal);
    },
    async kill() {
      child?.kill("SIGCONT");
      child?.kill("SIGKILL");
      await exited;
    },
    restart: start,
  };
}
