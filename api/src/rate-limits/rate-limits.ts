import type { Request, RequestHandler, Response } from "express";
import { MemoryStore, rateLimit, type Logger as LimiterLogger, type Options, type Store } from "express-rate-limit";
import Redis from "ioredis";
import type { Logger } from "pino";
import { Counter, Gauge, type Registry } from "prom-client";
import { RedisStore, type RedisReply } from "rate-limit-redis";
import { redactedUrl } from "../common/redacted-url";

/** Where the limiters keep their counters: this process's memory, or a Redis every API process shares. */
export interface RateLimitSettings {
  /** `MARQUEE_REDIS_URL`; undefined keeps the counters in memory (each process counts alone). */
  readonly redisUrl?: string;
  /** Prefix of every Redis key (`MARQUEE_REDIS_PREFIX`, default `marquee:`), so deployments and tests sharing a Redis never mix counts. */
  readonly redisPrefix: string;
}

/** A limit: `perMinute` requests per key; requests whose key is undefined are not counted. */
export interface LimitSpec {
  readonly name: string;
  readonly perMinute: number;
  readonly keyOf: (req: Request) => string | undefined;
}

/** One count against a limit counted inside an operation: whether it is still within the limit. */
export interface LimitDecision {
  readonly allowed: boolean;
  /** Seconds until the window resets (when refused). */
  readonly retryAfterSeconds: number;
}

/** A limit counted by the code that knows what a request does (a resolver), not by a middleware. */
export interface KeyedLimit {
  readonly name: string;
  readonly perMinute: number;
  hit(key: string): Promise<LimitDecision>;
}

/** How a refusal is sent (the app's GraphQL-shaped error). */
export type RefusalSender = (res: Response, status: number, code: string, message: string, extra: Record<string, unknown>) => void;

/** A failed Redis command takes at most this long: a Redis that accepts connections but does not answer never holds a request. */
const COMMAND_TIMEOUT_MS = 500;
/** While Redis is unreachable, the "failing open" error is logged at most this often (the metric counts every request). */
const LOG_EVERY_MS = 10_000;

/**
 * A rate-limit-redis store that can load its Lua scripts again. It loads them once, when the
 * limiter is created; if Redis is not connected then (down, or still connecting: there is no
 * offline queue), their SHA1 promises stay rejected and every count fails for the life of the
 * process, even with Redis back. RateLimits reloads them whenever the connection becomes ready
 * (a Redis restarted empty is covered by the store itself: NOSCRIPT makes it load them again).
 */
class ReloadingRedisStore extends RedisStore {
  /** express-rate-limit calls this once; a failed load waits for the connection instead of being logged as a broken store. */
  override async init(options: Options): Promise<void> {
    this.windowMs = options.windowMs;
    this.reloadScripts();
  }

  reloadScripts(): void {
    this.incrementScriptSha = this.load(() => this.loadIncrementScript());
    this.getScriptSha = this.load(() => this.loadGetScript());
  }

  private load(script: () => Promise<string>): Promise<string> {
    const loading = script();
    // Awaited by the next count; a failure until then must not count as an unhandled rejection.
    loading.catch(() => undefined);
    return loading;
  }
}

/**
 * The rate limiters of one API process, with their counters in memory or in Redis. With Redis,
 * every limiter has its own store (own key prefix); a store error lets the request through
 * (`passOnStoreError`), counted by `marquee_rate_limit_store_errors_total` and logged loudly.
 * The client has no offline queue and a short command timeout, so an unreachable or hung Redis
 * costs a request at most that timeout, never a hang or an error page.
 */
export class RateLimits {
  private readonly redis?: Redis;
  private readonly stores: ReloadingRedisStore[] = [];
  private readonly storeErrors: Counter<"limiter">;
  private readonly lastLogged = new Map<string, number>();
  private readonly suppressed = new Map<string, number>();

  constructor(
    private readonly settings: RateLimitSettings,
    private readonly logger: Logger,
    registry: Registry,
  ) {
    this.storeErrors = new Counter({
      name: "marquee_rate_limit_store_errors_total",
      help: "Requests let through without rate limiting because the limit store (Redis) failed, by limiter.",
      labelNames: ["limiter"] as const,
      registers: [registry],
    });
    if (!settings.redisUrl) {
      logger.info("Rate limits are counted in this process's memory (MARQUEE_REDIS_URL is not set): with N API processes, a client gets N times each limit.");
      new Gauge({ name: "marquee_rate_limit_store_up", help: "1 when the shared rate-limit store (Redis) is connected; -1 without one.", registers: [registry] }).set(-1);
      return;
    }
    const where = redactedUrl(settings.redisUrl, "MARQUEE_REDIS_URL");
    const redis = new Redis(settings.redisUrl, {
      // Never queue commands while disconnected: a count fails at once and the request goes on.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: COMMAND_TIMEOUT_MS,
      connectTimeout: 2_000,
      // Keep trying to reconnect, at most every 2 s.
      retryStrategy: (times) => Math.min(times * 200, 2_000),
    });
    this.redis = redis;
    let up = false;
    redis.on("ready", () => {
      up = true;
      for (const store of this.stores) store.reloadScripts();
      logger.info({ redis: where }, "Rate limits are shared through Redis");
    });
    redis.on("error", (error: Error) => {
      if (!up && this.lastLogged.has("connection")) return; // still down: the per-request log says so
      up = false;
      this.lastLogged.set("connection", Date.now());
      logger.error({ err: error, redis: where }, "RATE LIMITS NOT ENFORCED: Redis is unreachable, so requests pass without rate limiting until it is back");
    });
    new Gauge({
      name: "marquee_rate_limit_store_up",
      help: "1 when the shared rate-limit store (Redis) is connected; -1 without one.",
      registers: [registry],
      collect() {
        this.set(redis.status === "ready" ? 1 : 0);
      },
    });
  }

  /** An Express middleware enforcing `spec`, answering 429 through `refuse`. */
  limiter(spec: LimitSpec, refuse: RefusalSender): RequestHandler {
    return rateLimit({
      windowMs: 60_000,
      limit: spec.perMinute,
      standardHeaders: "draft-8",
      legacyHeaders: false,
      skip: (req) => spec.keyOf(req) === undefined,
      keyGenerator: (req) => spec.keyOf(req) ?? "",
      store: this.storeFor(spec.name),
      passOnStoreError: true,
      logger: this.limiterLogger(spec.name),
      handler: (_req, res) => {
        const retryAfter = Number(res.getHeader("Retry-After") ?? 60);
        refuse(res, 429, "RATE_LIMITED", `Too many requests (${spec.name} limit: ${spec.perMinute} a minute). Retry after ${retryAfter} s.`, {
          retryAfterSeconds: retryAfter,
        });
      },
    });
  }

  /**
   * A limit counted where the operation runs (a resolver calls `hit`), with the same store as the
   * middleware limiters (memory, or its own prefix in Redis). A middleware cannot see which field
   * a request calls once aliases, several fields or persisted queries are in play; a resolver
   * counts every call. A store failure lets the call through, counted and logged as for the others.
   */
  counter(name: string, perMinute: number): KeyedLimit {
    const windowMs = 60_000;
    const store = this.storeFor(name) ?? new MemoryStore();
    void Promise.resolve(store.init?.({ windowMs } as Options)).catch(() => undefined);
    const logger = this.limiterLogger(name);
    return {
      name,
      perMinute,
      async hit(key) {
        try {
          const { totalHits, resetTime } = await store.increment(key);
          const retryAfterSeconds = Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + windowMs) - Date.now()) / 1000));
          return { allowed: totalHits <= perMinute, retryAfterSeconds };
        } catch (error) {
          logger.error(error, "error from store");
          return { allowed: true, retryAfterSeconds: 0 };
        }
      },
    };
  }

  /** Closes the Redis connection (the app's close()). */
  async close(): Promise<void> {
    if (!this.redis) return;
    await this.redis.quit().catch(() => this.redis!.disconnect());
  }

  private storeFor(limiter: string): Store | undefined {
    const redis = this.redis;
    if (!redis) return undefined; // express-rate-limit's MemoryStore, one per limiter
    const store = new ReloadingRedisStore({
      prefix: `${this.settings.redisPrefix}rl:${limiter}:`,
      sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply>,
    });
    this.stores.push(store);
    return store;
  }

  /** express-rate-limit's logger: store errors count and log (throttled); anything else logs as it comes. */
  private limiterLogger(limiter: string): LimiterLogger {
    return {
      error: (error, message) => {
        const storeFailure = typeof message === "string" && /error from store/.test(message);
        if (!storeFailure) {
          this.logger.error({ err: error, limiter }, message ?? "rate limiter error");
          return;
        }
        this.storeErrors.inc({ limiter });
        const now = Date.now();
        if (now - (this.lastLogged.get(limiter) ?? 0) < LOG_EVERY_MS) {
          this.suppressed.set(limiter, (this.suppressed.get(limiter) ?? 0) + 1);
          return;
        }
        const alsoPassed = this.suppressed.get(limiter) ?? 0;
        this.lastLogged.set(limiter, now);
        this.suppressed.set(limiter, 0);
        this.logger.error(
          { err: error, limiter, unlimitedSinceLastLog: alsoPassed + 1 },
          `RATE LIMIT NOT ENFORCED (${limiter}): the limit store failed, so the request passed without rate limiting`,
        );
      },
      warn: (error, message) => this.logger.warn({ err: error, limiter }, message ?? "rate limiter warning"),
    };
  }
}
