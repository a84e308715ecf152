import { Writable } from "node:stream";
import pino from "pino";
import { createApp, type MarqueeApp } from "../src/app";
import { loadConfig, type MarqueeConfig } from "../src/config";
import { startApiProcess, type ApiProcess } from "./api-process";
import { createTestDatabase, type TestDatabase } from "./database";
import { insertProfile } from "./factories";
import { SHARED_REDIS_URL, deleteRedisKeys, redisAnswers, redisKeys, startOwnRedis, uniqueRedisPrefix, type OwnRedis } from "./redis";

/**
 * Rate limits shared through a real Redis: two API processes enforce one limit; a Redis that
 * dies, freezes or is down at start lets requests through (fail open, logged and counted), and
 * the limits hold again once it is back. The shared Redis (127.0.0.1:6379) is only read and
 * written under this run's own prefixes; the failures are done to a redis-server of our own.
 */

const GENRES = JSON.stringify({ query: "{ genres }" });

/** POSTs `{ genres }`; resolves with the status (a request that hangs past 10 s fails the test). */
async function ask(url: string, headers: Record<string, string> = {}): Promise<{ status: number; code?: string }> {
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: GENRES,
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
  return { status: res.status, code: body.errors?.[0]?.extensions?.code };
}

/** Sends `n` requests alternating between `urls`, one at a time; returns the statuses. */
async function alternate(urls: readonly string[], n: number, headers: Record<string, string> = {}): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) {
    const { status, code } = await ask(urls[i % urls.length], headers);
    if (status === 429) expect(code).toBe("RATE_LIMITED");
    statuses.push(status);
  }
  return statuses;
}

const count = (statuses: readonly number[], status: number) => statuses.filter((s) => s === status).length;

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await check()); ) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The shared Redis, or (on a machine without one) a redis-server of this file's own. */
async function someRedis(): Promise<{ url: string; own?: OwnRedis }> {
  if (await redisAnswers(SHARED_REDIS_URL)) return { url: SHARED_REDIS_URL };
  const own = await startOwnRedis();
  return { url: own.url, own };
}

describe("two API processes sharing a Redis", () => {
  const LIMIT = 12;
  let db: TestDatabase;
  let redis: { url: string; own?: OwnRedis };
  const prefix = uniqueRedisPrefix("two-processes");
  const apis: ApiProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = await someRedis();
    const env = {
      MARQUEE_REDIS_URL: redis.url,
      MARQUEE_REDIS_PREFIX: prefix,
      MARQUEE_RATE_LIMIT_IP_PER_MINUTE: String(LIMIT),
      MARQUEE_RATE_LIMIT_SESSION_PER_MINUTE: String(LIMIT / 2),
      LOG_LEVEL: "info",
    };
    apis.push(...(await Promise.all([startApiProcess(db.url, env), startApiProcess(db.url, env)])));
  }, 120_000);
  afterAll(async () => {
    for (const api of apis) {
      api.child.kill("SIGTERM");
      await api.exited;
    }
    await deleteRedisKeys(redis.url, prefix);
    await redis.own?.kill();
    await db.drop();
  });

  it("a per-IP limit of L a minute holds across both (L answered, the rest 429), counted under its own prefix", async () => {
    for (const api of apis) await until("the process to connect to Redis", async () => /Rate limits are shared through Redis/.test(api.output()));
    const statuses = await alternate(apis.map((api) => api.url), 3 * LIMIT);
    expect(count(statuses, 200)).toBe(LIMIT);
    expect(count(statuses, 429)).toBe(2 * LIMIT);
    // Both processes refused: the count is one, not one per process.
    expect(statuses.slice(LIMIT)).toEqual(Array(2 * LIMIT).fill(429));
    const keys = await redisKeys(redis.url, prefix);
    expect(keys).toEqual([`${prefix}rl:per-IP:127.0.0.1`]);
  });

  it("the per-session limit has its own store and holds across both too", async () => {
    await deleteRedisKeys(redis.url, prefix); // a fresh per-IP window, so only the session limit bites
    const profileId = await insertProfile(db.dataSource, "Limited");
    const select = await fetch(`${apis[0].url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `mutation { selectProfile(profileId: "${profileId}") { token } }` }),
    });
    const { data } = (await select.json()) as { data: { selectProfile: { token: string } } };
    const statuses = await alternate(apis.map((api) => api.url), LIMIT, { authorization: `Bearer ${data.selectProfile.token}` });
    expect(count(statuses, 200)).toBe(LIMIT / 2);
    expect(count(statuses, 429)).toBe(LIMIT / 2);
    const keys = await redisKeys(redis.url, prefix);
    expect(keys).toEqual([`${prefix}rl:per-IP:127.0.0.1`, `${prefix}rl:per-session:${profileId}`]);
  });
});

describe("without MARQUEE_REDIS_URL", () => {
  it("each process counts alone, in memory, and says so", async () => {
    const db = await createTestDatabase();
    const lines: string[] = [];
    const apps: MarqueeApp[] = [];
    try {
      for (let i = 0; i < 2; i++) apps.push(await appWith(db, { rateLimitPerIpPerMinute: 4 }, lines));
      const urls = await Promise.all(apps.map(async (app) => (await app.listen(0)).url));
      const statuses = await alternate(urls, 12);
      expect(count(statuses, 200)).toBe(8); // 4 per process: the reason to share the count
      expect(lines.join("\n")).toMatch(/counted in this process's memory \(MARQUEE_REDIS_URL is not set\)/);
    } finally {
      for (const app of apps) await app.close();
      await db.drop();
    }
  });
});

/** An in-process app whose log lines (pino JSON) are collected in `lines`. */
async function appWith(db: TestDatabase, overrides: Partial<MarqueeConfig>, lines: string[]): Promise<MarqueeApp> {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split("\n").filter(Boolean));
      done();
    },
  });
  const logger = pino({ level: "info" }, sink);
  return createApp({ dataSource: db.dataSource, config: { ...loadConfig({}), autoTrain: false, ...overrides }, logger, log: () => undefined });
}

/** A metric's value on `url`/metrics, summed over its labels. */
async function metricOf(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, "gm"))].reduce((sum, m) => sum + Number(m[1]), 0);
}

describe("when Redis fails", () => {
  const LIMIT = 5;
  let db: TestDatabase;
  let redis: OwnRedis;
  let app: MarqueeApp;
  let url: string;
  const lines: string[] = [];

  const metric = (name: string) => metricOf(url, name);
  /** Requests until the first 429, at most 3 L: how many passed. */
  const passedBeforeRefusal = async (): Promise<number> => {
    for (let i = 0; i < 3 * LIMIT; i++) if ((await ask(url)).status === 429) return i;
    return Infinity;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = await startOwnRedis();
    app = await appWith(db, { redisUrl: redis.url, redisPrefix: uniqueRedisPrefix("fail-open"), rateLimitPerIpPerMinute: LIMIT, rateLimitPerSessionPerMinute: 0 }, lines);
    ({ url } = await app.listen(0));
    await until("the limiter's Redis connection", async () => (await metric("marquee_rate_limit_store_up")) === 1);
  });
  afterAll(async () => {
    await app?.close();
    await redis?.kill();
    await db?.drop();
  });

  it("enforces the limit while Redis is up", async () => {
    expect(await passedBeforeRefusal()).toBe(LIMIT);
    expect(await metric("marquee_rate_limit_store_errors_total")).toBe(0);
  });

  it("a frozen Redis (accepting, never answering) costs each request the command timeout, never a hang", async () => {
    redis.signal("SIGSTOP");
    try {
      const statuses = await Promise.all([ask(url), ask(url), ask(url)]);
      expect(statuses.map((s) => s.status)).toEqual([200, 200, 200]); // over the limit, yet let through
      expect(await metric("marquee_rate_limit_store_errors_total")).toBe(3);
    } finally {
      redis.signal("SIGCONT");
    }
  });

  it("a dead Redis: every request passes (fail open), counted and logged loudly; back, the limit holds again", async () => {
    await redis.kill();
    const before = await metric("marquee_rate_limit_store_errors_total");
    const statuses = await alternate([url], 3 * LIMIT);
    expect(statuses).toEqual(Array(3 * LIMIT).fill(200));
    expect(await metric("marquee_rate_limit_store_errors_total")).toBe(before + 3 * LIMIT);
    expect(await metric("marquee_rate_limit_store_up")).toBe(0);
    expect(lines.join("\n")).toMatch(/RATE LIMITS? NOT ENFORCED/);
    // Restarted empty (its script cache too): the limiter reconnects and counts from zero.
    await redis.restart();
    await until("the limiter to reconnect", async () => (await metric("marquee_rate_limit_store_up")) === 1);
    expect(await passedBeforeRefusal()).toBe(LIMIT);
  });

  it("a Redis that is down when the API starts: requests pass, and the limit holds once Redis comes up", async () => {
    await redis.kill();
    const lateLines: string[] = [];
    const late = await appWith(db, { redisUrl: redis.url, redisPrefix: uniqueRedisPrefix("late"), rateLimitPerIpPerMinute: LIMIT, rateLimitPerSessionPerMinute: 0 }, lateLines);
    const { url: lateUrl } = await late.listen(0);
    try {
      const down = await alternate([lateUrl], 2 * LIMIT);
      expect(down).toEqual(Array(2 * LIMIT).fill(200));
      expect(lateLines.join("\n")).toMatch(/RATE LIMITS? NOT ENFORCED/);
      await redis.restart();
      await until("the late limiter to reconnect", async () => (await metricOf(lateUrl, "marquee_rate_limit_store_up")) === 1);
      const up = await alternate([lateUrl], 2 * LIMIT);
      expect(count(up, 200)).toBe(LIMIT);
      expect(up.slice(LIMIT)).toEqual(Array(LIMIT).fill(429));
    } finally {
      await late.close();
    }
  });
});
