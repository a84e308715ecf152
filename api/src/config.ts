import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { developmentSessionSecret } from "./auth/session-secret";

/** Where the repository lives, found by walking up to the root package.json (works from src and dist). */
export function findRepoRoot(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    const manifest = path.join(dir, "package.json");
    if (existsSync(manifest)) {
      const parsed = JSON.parse(readFileSync(manifest, "utf8")) as { name?: string };
      if (parsed.name === "marquee") return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the Marquee repository root above ${start}`);
    dir = parent;
  }
}

/** Runtime configuration, read once from the environment at start. */
/** Bounds of an event-weight search (see Config.learnWeights). */
export interface LearnWeightsSettings {
  readonly budgetSeconds: number;
  readonly maxTrials: number;
}

/** Bounds of a hyperparameter search (see Config.tuning). */
export interface TuningSettings {
  readonly budgetSeconds: number;
  readonly maxTrials: number;
}

export interface MarqueeConfig {
  /** HTTP port (`PORT`, default 4000; 0 picks a free port). */
  readonly port: number;
  /**
   * Address to listen on (`HOST`). Default: 127.0.0.1 in the open development mode (any caller
   * may act for any profile there, so only this machine may call), 0.0.0.0 once the rules apply.
   */
  readonly host: string;
  /** `DATABASE_URL`; undefined means "start the embedded Postgres". */
  readonly databaseUrl?: string;
  /**
   * `DATABASE_READ_URL`: a streaming standby of DATABASE_URL for reads that tolerate a little lag
   * (browse, search, admin charts). Unset: every read goes to the primary.
   */
  readonly databaseReadUrl?: string;
  /** Port of the embedded Postgres (`EMBEDDED_PG_PORT`, default 5433, away from a system Postgres on 5432). */
  readonly embeddedPostgresPort: number;
  /** Data directory of the embedded Postgres (`EMBEDDED_PG_DIR`, default <repo>/.data/pg). */
  readonly embeddedPostgresDir: string;
  /** `NODE_ENV=production` hides stack traces in GraphQL errors. */
  readonly production: boolean;
  /** JSON file `{ "LIKE": 5, ... }` whose weights replace those in `event_weights` at start (`MARQUEE_EVENT_WEIGHTS_FILE`). */
  readonly eventWeightsFile?: string;
  /** How far in the future a client's `occurredAt` may be (clock skew), in ms (`MARQUEE_MAX_CLOCK_SKEW_MS`, default 5 min). */
  readonly maxClockSkewMs: number;
  /** Largest `logInteractions` batch. */
  readonly maxBatchSize: number;
  /** Built web client (static files and the GraphiQL page), default <repo>/web/dist. */
  readonly webDistDir: string;
  /** Load the demo seed when the catalog is empty (`MARQUEE_SEED=0` disables). */
  readonly seedWhenEmpty: boolean;
  /** Train in the background: at start when no model exists, then on the schedule below (`MARQUEE_AUTO_TRAIN=0` disables). */
  readonly autoTrain: boolean;
  /** Retrain after this many new events (`MARQUEE_RETRAIN_EVENTS`, default 1000). */
  readonly retrainAfterEvents: number;
  /** ...or when the model is this many minutes old and events arrived (`MARQUEE_RETRAIN_MINUTES`, default 60; fractions allowed). */
  readonly retrainAfterMinutes: number;
  /**
   * Event-weight learning on scheduled retrains (`MARQUEE_LEARN_WEIGHTS=0`: the hand-set weights
   * only): a search of at most `MARQUEE_LEARN_WEIGHTS_SECONDS` (default 120) and
   * `MARQUEE_LEARN_WEIGHTS_TRIALS` (default 40) refits.
   */
  readonly learnWeights: LearnWeightsSettings | null;
  /**
   * Hyperparameter tuning of the Top picks algorithm on scheduled retrains: a random search of
   * at most `MARQUEE_TUNING_SECONDS` (default 120; 0 = off) and `MARQUEE_TUNING_TRIALS` (default 30) refits.
   */
  readonly tuning: TuningSettings | null;
  /** How often the retraining schedule is checked, in seconds (`MARQUEE_RETRAIN_CHECK_SECONDS`, default 15; fractions allowed). */
  readonly retrainCheckSeconds: number;
  /**
   * Safety poll of the active model, in seconds (`MARQUEE_MODEL_POLL_SECONDS`, default 30; 0 = off):
   * processes switch models on the LISTEN/NOTIFY signal, and this catches one that was missed.
   */
  readonly modelPollSeconds: number;
  /** Heap limit of the trainer process in MiB (`MARQUEE_TRAINER_HEAP_MB`, default 4096). */
  readonly trainerHeapMb: number;
  /**
   * Memory limit of the trainer process in MiB (`MARQUEE_TRAINER_MEMORY_MB`, default 0 = none), as
   * RLIMIT_DATA through util-linux `prlimit` (Linux). The heap limit alone does not bound a fit: its
   * matrices are typed arrays and WebAssembly memory, outside V8's heap. A trainer over the limit
   * dies (FAILED, "ran out of memory"); the API and Postgres keep their memory.
   */
  readonly trainerMemoryMb: number;
  /** Admin/ingest key (`MARQUEE_ADMIN_KEY`), sent as the `x-admin-key` header. No default: unset means no admin access once auth is enforced. */
  readonly adminKey?: string;
  /** Whether access rules apply: true in production or whenever an admin key is set. False: the insecure demo mode. */
  readonly authEnforced: boolean;
  /** Session token signing secret (`MARQUEE_SESSION_SECRET`; required in production, else random and kept in <repo>/.data/session-secret). */
  readonly sessionSecret: string;
  /** Session lifetime in seconds (`MARQUEE_SESSION_TTL_HOURS`, default 720 = 30 days). */
  readonly sessionTtlSeconds: number;
  /** Introspection and the GraphiQL page in production (`MARQUEE_ENABLE_PLAYGROUND=1`); always on in development. */
  readonly enablePlayground: boolean;
  /** Requests per minute per client IP (`MARQUEE_RATE_LIMIT_IP_PER_MINUTE`, default 60000; 0 = off). */
  readonly rateLimitPerIpPerMinute: number;
  /** Requests per minute per session token (`MARQUEE_RATE_LIMIT_SESSION_PER_MINUTE`, default 30000; 0 = off). */
  readonly rateLimitPerSessionPerMinute: number;
  /** Days an anonymous session's profile lives unless claimed (`MARQUEE_ANONYMOUS_TTL_DAYS`, default 30): then it is deleted with its events and impressions. */
  readonly anonymousTtlDays: number;
  /** anonymousSession calls per minute per client IP (`MARQUEE_RATE_LIMIT_ANONYMOUS_PER_MINUTE`, default 10; 0 = off), so one address cannot mint thousands of profiles. */
  readonly rateLimitAnonymousPerMinute: number;
  /** Redis shared by every API process for the rate limits' counters (`MARQUEE_REDIS_URL`, e.g. redis://127.0.0.1:6379). Unset: in memory, per process. */
  readonly redisUrl?: string;
  /** Prefix of Marquee's Redis keys (`MARQUEE_REDIS_PREFIX`, default `marquee:`). */
  readonly redisPrefix: string;
  /** Deepest selection accepted (`MARQUEE_MAX_QUERY_DEPTH`, default 10). */
  readonly maxQueryDepth: number;
  /** Most aliases one operation may use, fragments included (`MARQUEE_MAX_QUERY_ALIASES`, default 30). */
  readonly maxQueryAliases: number;
  /** Most times one selection set may select the same field or spread the same fragment (`MARQUEE_MAX_REPEATED_FIELDS`, default 5). */
  readonly maxRepeatedFields: number;
  /** Most lexical tokens a query document may have (`MARQUEE_MAX_QUERY_TOKENS`, default 10000): bounds the work of parsing and validating it. */
  readonly maxQueryTokens: number;
  /** Largest estimated query cost (`MARQUEE_MAX_QUERY_COMPLEXITY`, default 20000: a field costs 1, a list multiplies by its page size). */
  readonly maxQueryComplexity: number;
  /**
   * Express "trust proxy" (`MARQUEE_TRUST_PROXY`, e.g. `loopback` or `1`): behind a reverse proxy,
   * lets per-IP limits and secure cookies see the client's address and scheme. Unset: trust none.
   */
  readonly trustProxy?: string;
  /**
   * Mark the session cookie `Secure` on every response (`MARQUEE_SECURE_COOKIES=1`). Otherwise it
   * is Secure whenever the request is HTTPS: a TLS socket, or `X-Forwarded-Proto: https` from a
   * proxy that MARQUEE_TRUST_PROXY trusts.
   */
  readonly forceSecureCookies: boolean;
  /**
   * Whole months of events kept in `interactions` besides the current one
   * (`MARQUEE_EVENT_RETENTION_MONTHS`, default unset: keep all). Older monthly partitions are
   * folded into `interaction_scores_archived` and dropped whole; serving never reads them.
   */
  readonly eventRetentionMonths: number | null;
  /** Days an impression is kept (`MARQUEE_IMPRESSION_RETENTION_DAYS`, default 90): older daily partitions are dropped whole, older ids are counted as expired. */
  readonly impressionRetentionDays: number;
  /** A title shown this many times without a click sinks in the viewer's rows (`MARQUEE_IMPRESSION_DISCOUNT_SHOWS`, default 3; 0 = off). */
  readonly impressionDiscountShows: number;
  /** ...counting the shows of this many days (`MARQUEE_IMPRESSION_DISCOUNT_DAYS`, default 14, fractions allowed; 0 = off). */
  readonly impressionDiscountDays: number;
  /** A click or play counts for an impression within this many minutes of it (`MARQUEE_ATTRIBUTION_WINDOW_MINUTES`, default 30, fractions allowed). */
  readonly attributionWindowMinutes: number;
  /** Share of Top picks' slots explored by Thompson sampling (`MARQUEE_EXPLORATION_RATE`, default 0.1; 0 = off). */
  readonly explorationRate: number;
  /** An experiment arm whose p95 latency in one process goes above this (ms) stops its experiment (`MARQUEE_GUARDRAIL_P95_MS`, default 2000). */
  readonly guardrailP95Ms: number;
  /** ...or whose share of failed requests goes above this (`MARQUEE_GUARDRAIL_ERROR_RATE`, default 0.05). */
  readonly guardrailErrorRate: number;
  /** ...judged over its last `MARQUEE_GUARDRAIL_WINDOW` (500) requests, once it has `MARQUEE_GUARDRAIL_MIN_REQUESTS` (50). */
  readonly guardrailWindow: number;
  readonly guardrailMinRequests: number;
  /** Viewers whose scored candidate pool home keeps between requests (`MARQUEE_HOME_POOL_CACHE`, default 10000; 0 = off). */
  readonly homePoolCacheSize: number;
  /** experimentResults' mSPRT mixture scale, in the primary metric's units (`MARQUEE_EXPERIMENT_MSPRT_TAU`, default 0.02: two points of a rate). */
  readonly experimentMsprtTau: number;
  /** offPolicyEstimate clips importance weights at this (`MARQUEE_OPE_MAX_WEIGHT`, default 20). */
  readonly opeMaxWeight: number;
  /** pino log level (`LOG_LEVEL`, default info). */
  readonly logLevel: string;
}

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

function positiveIntFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = intFromEnv(env, name, fallback);
  if (value === 0) throw new Error(`${name} must be at least 1, got "${env[name]}"`);
  return value;
}

/** MARQUEE_EVENT_RETENTION_MONTHS: unset keeps every event; else at least one month. */
function retentionMonthsFromEnv(env: NodeJS.ProcessEnv): number | null {
  const months = intFromEnv(env, "MARQUEE_EVENT_RETENTION_MONTHS", -1);
  if (months === -1) return null;
  if (months < 1) throw new Error(`MARQUEE_EVENT_RETENTION_MONTHS must be at least 1 (unset keeps every event), got "${env.MARQUEE_EVENT_RETENTION_MONTHS}"`);
  return months;
}

/** A non-negative number, fractions allowed (a simulation compresses the day-long windows to seconds). */
function numberFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return value;
}

/** A share between 0 and 1. */
function rateFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = numberFromEnv(env, name, fallback);
  if (value > 1) throw new Error(`${name} must be a share between 0 and 1, got "${env[name]}"`);
  return value;
}

/** Refuses a production start without a signing secret: a default would let anyone forge sessions. */
function sessionSecretFrom(env: NodeJS.ProcessEnv, production: boolean, root: string): string {
  const secret = env.MARQUEE_SESSION_SECRET;
  if (secret) {
    if (secret.length < 16) throw new Error("MARQUEE_SESSION_SECRET must be at least 16 characters (e.g. `openssl rand -base64 32`)");
    return secret;
  }
  if (production) {
    throw new Error(
      "NODE_ENV=production needs MARQUEE_SESSION_SECRET (the key that signs session tokens): set it to a long random value, e.g. `openssl rand -base64 32`.",
    );
  }
  return developmentSessionSecret(path.join(root, ".data"));
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): MarqueeConfig {
  const root = findRepoRoot();
  const production = env.NODE_ENV === "production";
  const adminKey = env.MARQUEE_ADMIN_KEY || undefined;
  const authEnforced = production || adminKey !== undefined;
  return {
    port: intFromEnv(env, "PORT", 4000),
    host: env.HOST || (authEnforced ? "0.0.0.0" : "127.0.0.1"),
    databaseUrl: env.DATABASE_URL || undefined,
    databaseReadUrl: env.DATABASE_READ_URL || undefined,
    embeddedPostgresPort: intFromEnv(env, "EMBEDDED_PG_PORT", 5433),
    embeddedPostgresDir: env.EMBEDDED_PG_DIR || path.join(root, ".data", "pg"),
    production,
    eventWeightsFile: env.MARQUEE_EVENT_WEIGHTS_FILE || undefined,
    maxClockSkewMs: intFromEnv(env, "MARQUEE_MAX_CLOCK_SKEW_MS", 5 * 60 * 1000),
    maxBatchSize: 1000,
    webDistDir: env.MARQUEE_WEB_DIST || path.join(root, "web", "dist"),
    seedWhenEmpty: env.MARQUEE_SEED !== "0",
    autoTrain: env.MARQUEE_AUTO_TRAIN !== "0",
    retrainAfterEvents: intFromEnv(env, "MARQUEE_RETRAIN_EVENTS", 1000),
    retrainAfterMinutes: numberFromEnv(env, "MARQUEE_RETRAIN_MINUTES", 60),
    retrainCheckSeconds: numberFromEnv(env, "MARQUEE_RETRAIN_CHECK_SECONDS", 15),
    trainerHeapMb: intFromEnv(env, "MARQUEE_TRAINER_HEAP_MB", 4096),
    learnWeights:
      env.MARQUEE_LEARN_WEIGHTS === "0"
        ? null
        : { budgetSeconds: intFromEnv(env, "MARQUEE_LEARN_WEIGHTS_SECONDS", 120), maxTrials: intFromEnv(env, "MARQUEE_LEARN_WEIGHTS_TRIALS", 40) },
    tuning:
      intFromEnv(env, "MARQUEE_TUNING_SECONDS", 120) === 0
        ? null
        : { budgetSeconds: intFromEnv(env, "MARQUEE_TUNING_SECONDS", 120), maxTrials: intFromEnv(env, "MARQUEE_TUNING_TRIALS", 30) },
    trainerMemoryMb: intFromEnv(env, "MARQUEE_TRAINER_MEMORY_MB", 0),
    modelPollSeconds: numberFromEnv(env, "MARQUEE_MODEL_POLL_SECONDS", 30),
    adminKey,
    authEnforced,
    sessionSecret: sessionSecretFrom(env, production, root),
    sessionTtlSeconds: intFromEnv(env, "MARQUEE_SESSION_TTL_HOURS", 720) * 3600,
    enablePlayground: env.MARQUEE_ENABLE_PLAYGROUND === "1",
    rateLimitPerIpPerMinute: intFromEnv(env, "MARQUEE_RATE_LIMIT_IP_PER_MINUTE", 60_000),
    rateLimitPerSessionPerMinute: intFromEnv(env, "MARQUEE_RATE_LIMIT_SESSION_PER_MINUTE", 30_000),
    anonymousTtlDays: positiveIntFromEnv(env, "MARQUEE_ANONYMOUS_TTL_DAYS", 30),
    rateLimitAnonymousPerMinute: intFromEnv(env, "MARQUEE_RATE_LIMIT_ANONYMOUS_PER_MINUTE", 10),
    redisUrl: env.MARQUEE_REDIS_URL || undefined,
    redisPrefix: env.MARQUEE_REDIS_PREFIX || "marquee:",
    maxQueryDepth: intFromEnv(env, "MARQUEE_MAX_QUERY_DEPTH", 10),
    maxQueryComplexity: intFromEnv(env, "MARQUEE_MAX_QUERY_COMPLEXITY", 20_000),
    maxQueryAliases: intFromEnv(env, "MARQUEE_MAX_QUERY_ALIASES", 30),
    maxRepeatedFields: intFromEnv(env, "MARQUEE_MAX_REPEATED_FIELDS", 5),
    maxQueryTokens: intFromEnv(env, "MARQUEE_MAX_QUERY_TOKENS", 10_000),
    trustProxy: env.MARQUEE_TRUST_PROXY || undefined,
    forceSecureCookies: env.MARQUEE_SECURE_COOKIES === "1",
    eventRetentionMonths: retentionMonthsFromEnv(env),
    impressionRetentionDays: intFromEnv(env, "MARQUEE_IMPRESSION_RETENTION_DAYS", 90),
    impressionDiscountShows: intFromEnv(env, "MARQUEE_IMPRESSION_DISCOUNT_SHOWS", 3),
    impressionDiscountDays: numberFromEnv(env, "MARQUEE_IMPRESSION_DISCOUNT_DAYS", 14),
    attributionWindowMinutes: numberFromEnv(env, "MARQUEE_ATTRIBUTION_WINDOW_MINUTES", 30),
    explorationRate: rateFromEnv(env, "MARQUEE_EXPLORATION_RATE", 0.1),
    guardrailP95Ms: numberFromEnv(env, "MARQUEE_GUARDRAIL_P95_MS", 2000),
    guardrailErrorRate: rateFromEnv(env, "MARQUEE_GUARDRAIL_ERROR_RATE", 0.05),
    guardrailWindow: intFromEnv(env, "MARQUEE_GUARDRAIL_WINDOW", 500),
    guardrailMinRequests: intFromEnv(env, "MARQUEE_GUARDRAIL_MIN_REQUESTS", 50),
    homePoolCacheSize: intFromEnv(env, "MARQUEE_HOME_POOL_CACHE", 10_000),
    experimentMsprtTau: numberFromEnv(env, "MARQUEE_EXPERIMENT_MSPRT_TAU", 0.02),
    opeMaxWeight: numberFromEnv(env, "MARQUEE_OPE_MAX_WEIGHT", 20),
    // Under jest, request logs would bury test output: errors only, unless LOG_LEVEL says otherwise.
    logLevel: env.LOG_LEVEL || process.env.LOG_LEVEL || (process.env.JEST_WORKER_ID ? "error" : "info"),
  };
}
