import "reflect-metadata";
import { existsSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { unwrapResolverError } from "@apollo/server/errors";
import { expressMiddleware } from "@as-integrations/express5";
import express, { type Express } from "express";
import { ipKeyGenerator } from "express-rate-limit";
import helmet from "helmet";
import type { Logger } from "pino";
import type { DataSource } from "typeorm";
import { AdminService } from "./admin/admin.service";
import { viewerOf, type AuthSettings } from "./auth/viewer";
import type { MarqueeConfig } from "./config";
import { complexityPlugin, depthRule, isDatabaseUnavailable, selectionLimitCode, selectionLimitsRule } from "./graphql/limits";
import { MarqueeMetrics } from "./observability/metrics";
import { createLogger, requestLogger } from "./observability/logger";
import { ModelStatus } from "./models/model-status";
import { buildContext, type GraphQLContext } from "./graphql/context";
import { buildMarqueeSchema, type Services } from "./graphql/schema";
import { textInputPlugin } from "./graphql/text-input";
import { loadEventWeights, type EventWeights } from "./interactions/event-weights";
import { InteractionService } from "./interactions/interaction.service";
import { MovieService } from "./movies/movie.service";
import { ProfileService } from "./profiles/profile.service";
import { AnonymousProfileService } from "./profiles/anonymous-profile.service";
import { ModelServer } from "./models/model-server";
import { ModelService } from "./models/model.service";
import { CatalogCache } from "./recommendations/catalog-cache";
import { CatalogRepository } from "./recommendations/catalog.repository";
import { MyListService } from "./my-list/my-list.service";
import { HomeService } from "./recommendations/home.service";
import { ImportService } from "./import/import.service";
import { ImpressionPartitions } from "./impressions/impression-partitions";
import { InteractionPartitions } from "./interactions/interaction-partitions";
import { ImpressionRepository } from "./impressions/impression.repository";
import { ImpressionService } from "./impressions/impression.service";
import { TitleImpressionStats } from "./impressions/title-stats";
import { OffPolicyService } from "./experiments/off-policy.service";
import { DEFAULT_ROW_SETTINGS } from "./recommendations/row-settings";
import { OnlineMetricsRepository } from "./online-metrics/online-metrics.repository";
import { OnlineMetricsService } from "./online-metrics/online-metrics.service";
import { PopularityRecommendationService } from "./recommendations/recommendation.service";
import { ServingIdSigner } from "./recommendations/serving-ids";
import { RateLimits } from "./rate-limits/rate-limits";
import { ReadReplica } from "./database/read-replica";
import { ExperimentRepository } from "./experiments/experiment.repository";
import { ExperimentService } from "./experiments/experiment.service";
import { RunningExperiments } from "./experiments/running-experiments";

export interface CreateAppOptions {
  /** An initialised, migrated data source. The caller owns it: close() leaves it open. */
  readonly dataSource: DataSource;
  readonly config: MarqueeConfig;
  /** Weights in force; read from event_weights when omitted. */
  readonly weights?: EventWeights;
  /** Where the engine's lifecycle messages go (default console.log). */
  readonly log?: (message: string) => void;
  /** Structured logger for requests and warnings (default: pino on stdout at config.logLevel). */
  readonly logger?: Logger;
}

export interface MarqueeApp {
  readonly app: Express;
  readonly httpServer: http.Server;
  readonly apollo: ApolloServer<GraphQLContext>;
  readonly services: Services;
  readonly metrics: MarqueeMetrics;
  /** Starts listening (port 0: a free port). Resolves with the base URL, e.g. http://127.0.0.1:4000. */
  listen(port?: number, host?: string): Promise<{ url: string; port: number }>;
  /** Stops accepting, drains in-flight requests, stops Apollo. */
  close(): Promise<void>;
}

let warnedInsecure = false;

/** Sends a refusal in the GraphQL response shape, so every client parses it the same way. */
function sendGraphQLError(res: express.Response, status: number, code: string, message: string, extra: Record<string, unknown> = {}): void {
  res.status(status).json({ errors: [{ message, extensions: { code, ...extra } }] });
}

/** GET /graphql: the playground for a browser, the API for anything that does not prefer HTML (curl's `*\/*` included). */
function wantsHtml(req: express.Request): boolean {
  return req.method === "GET" && req.accepts(["application/json", "text/html"]) === "text/html";
}

/** Where the web build keeps its files (Vite's assets, the bundled media), and the API's own path. */
const NOT_CLIENT_PAGES = /^\/(assets|media|graphql)(\/|$)/;

/**
 * Whether a GET is a page of the client (/, /title/42, /genre/Film-Noir, /search?q=…, /my-list,
 * /admin, …), so every client URL can be shared and reloaded: `/` whatever the Accept header (so
 * `curl /` gets the page), any other page unless the caller prefers JSON. Not /graphql, and not
 * one of the build's files: those are under /assets/ or /media/, or top-level names with an
 * extension (/favicon.ico), and a missing one stays a 404, never HTML. Deeper paths may hold dots
 * (/genre/Dr.%20Who). Unknown pages get the client too, which says so.
 */
function wantsClientPage(req: express.Request): boolean {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  if (req.path === "/") return true;
  if (NOT_CLIENT_PAGES.test(req.path) || /^\/[^/]*\.[^/]*$/.test(req.path)) return false;
  return req.accepts(["text/html", "application/json"]) !== "application/json";
}

/**
 * The Content-Security-Policy: what the built client needs and no more. Scripts, styles, fonts,
 * workers and requests stay on this origin; images and trailers may come from any HTTPS host,
 * since an imported catalog's poster_url and trailer_url point wherever the operator keeps them.
 * No page may frame Marquee (its one-click thumbs and My List buttons invite clickjacking).
 */
const CSP_DIRECTIVES = {
  "default-src": ["'self'"],
  "script-src": ["'self'"],
  "style-src": ["'self'"],
  "font-src": ["'self'", "data:"],
  "img-src": ["'self'", "data:", "blob:", "https:"],
  "media-src": ["'self'", "blob:", "https:"],
  "connect-src": ["'self'"],
  "worker-src": ["'self'", "blob:"],
  "frame-ancestors": ["'none'"],
  // Served over plain HTTP on a laptop or a LAN, upgrading subresources would break the page.
  "upgrade-insecure-requests": null,
};

/** Security headers (helmet) for every response: the CSP above, no framing, nosniff, a Referrer-Policy. */
function securityHeaders(): express.RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: true, directives: CSP_DIRECTIVES },
    frameguard: { action: "deny" },
    referrerPolicy: { policy: "strict-origin-when-cross-origin" },
  });
}

/** The GraphiQL page's editor (Monaco) injects <style> elements and style attributes: its page alone allows inline styles. */
const playgroundPolicy = helmet.contentSecurityPolicy({ useDefaults: true, directives: { ...CSP_DIRECTIVES, "style-src": ["'self'", "'unsafe-inline'"] } });

/** Builds the API: Express + Apollo on one HTTP server, with services bound to `dataSource`. */
export async function createApp(options: CreateAppOptions): Promise<MarqueeApp> {
  const { dataSource, config } = options;
  const logger = options.logger ?? createLogger(config.logLevel);
  const auth: AuthSettings = {
    enforced: config.authEnforced,
    adminKey: config.adminKey,
    sessionSecret: config.sessionSecret,
    sessionTtlSeconds: config.sessionTtlSeconds,
    forceSecureCookies: config.forceSecureCookies,
  };
  if (!auth.enforced && !warnedInsecure) {
    warnedInsecure = true;
    logger.warn(
      "INSECURE DEVELOPMENT MODE: no NODE_ENV=production and no MARQUEE_ADMIN_KEY, so any caller may act for any profile and run admin operations. " +
        "Set MARQUEE_ADMIN_KEY (and NODE_ENV=production with MARQUEE_SESSION_SECRET) before exposing this server.",
    );
  }
  const playgroundOn = !config.production || config.enablePlayground;
  const weights = options.weights ?? (await loadEventWeights(dataSource, config.eventWeightsFile));
  // The engine: the serving model (switched by LISTEN/NOTIFY), the catalog in memory, the rows.
  const modelServer = new ModelServer(dataSource, { log: options.log, pollMs: config.modelPollSeconds * 1000 });
  await modelServer.start();
  const metrics = new MarqueeMetrics(modelServer);
  const servingIds = new ServingIdSigner(config.sessionSecret);
  const runningExperiments = new RunningExperiments(dataSource, modelServer, {
    log: options.log,
    guardrails: { maxP95Ms: config.guardrailP95Ms, maxErrorRate: config.guardrailErrorRate, window: config.guardrailWindow, minRequests: config.guardrailMinRequests },
  });
  await runningExperiments.start();
  const home = new HomeService(dataSource, modelServer, new CatalogCache(new CatalogRepository(dataSource)), new PopularityRecommendationService(dataSource), servingIds, new TitleImpressionStats(dataSource), {
    discountShows: config.impressionDiscountShows,
    discountDays: config.impressionDiscountDays,
    explorationRate: config.explorationRate,
  }, runningExperiments, config.homePoolCacheSize);
  const databaseUrl = (dataSource.options as { url?: string }).url ?? "";
  const models = new ModelService(dataSource, modelServer, {
    databaseUrl,
    autoTrain: config.autoTrain,
    retrainAfterEvents: config.retrainAfterEvents,
    retrainAfterMinutes: config.retrainAfterMinutes,
    checkEveryMs: Math.max(100, config.retrainCheckSeconds * 1000),
    trainerHeapMb: config.trainerHeapMb,
    trainerMemoryMb: config.trainerMemoryMb,
    log: options.log,
  });
  // Events: monthly partitions made ahead (and, with a retention, archived and dropped) by every process.
  const interactionPartitions = new InteractionPartitions(dataSource, { retentionMonths: config.eventRetentionMonths, log: (m) => logger.info(m) });
  await interactionPartitions.start();
  const interactions = new InteractionService(dataSource, {
    weights,
    partitions: interactionPartitions,
    maxBatchSize: config.maxBatchSize,
    maxClockSkewMs: config.maxClockSkewMs,
    servingIds,
    attributionWindowMs: config.attributionWindowMinutes * 60_000,
    onAttributed: (events) => {
      for (const e of events) metrics.attributedEvents.inc({ row_kind: e.rowKind, type: e.type });
    },
  });
  // Impressions: daily partitions made ahead (and dropped past the retention) by every process.
  const impressionPartitions = new ImpressionPartitions(dataSource, { retentionDays: config.impressionRetentionDays, log: (m) => logger.info(m) });
  await impressionPartitions.start();
  const impressions = new ImpressionService(new ImpressionRepository(dataSource), impressionPartitions, servingIds, {
    maxBatchSize: 5000,
    retentionDays: config.impressionRetentionDays,
    maxClockSkewMs: config.maxClockSkewMs,
    onStored: (byRowKind) => {
      for (const [rowKind, n] of byRowKind) metrics.impressionsStored.inc({ row_kind: rowKind }, n);
    },
  });
  const profiles = new ProfileService(dataSource);
  // Reads that tolerate a little lag go to DATABASE_READ_URL's standby when there is one; a
  // read-only service opts in by taking `Reads` and being given `laggingReads` below. The
  // viewer's history on home, writes and LISTEN stay on the primary.
  const laggingReads = new ReadReplica(dataSource, { url: config.databaseReadUrl, logger, registry: metrics.registry });
  const rateLimits = new RateLimits({ redisUrl: config.redisUrl, redisPrefix: config.redisPrefix }, logger, metrics.registry);
  // Visitors without a profile: counted per IP inside anonymousSession itself, swept when expired.
  const anonymousProfiles = new AnonymousProfileService(profiles, {
    ttlDays: config.anonymousTtlDays,
    limit: config.rateLimitAnonymousPerMinute > 0 ? rateLimits.counter("anonymous-session", config.rateLimitAnonymousPerMinute) : undefined,
    logger,
  });
  const services: Services = {
    movies: new MovieService(laggingReads),
    profiles,
    anonymousProfiles,
    interactions,
    recommendations: home,
    home,
    models,
    imports: new ImportService(dataSource),
    admin: new AdminService(laggingReads, modelServer),
    myList: new MyListService(dataSource, profiles, interactions),
    impressions,
    onlineMetrics: new OnlineMetricsService(new OnlineMetricsRepository(laggingReads)),
    offPolicy: new OffPolicyService(laggingReads, { rowSize: DEFAULT_ROW_SETTINGS.rowSize, maxWeight: config.opeMaxWeight, maxSlots: 200_000 }),
    experiments: new ExperimentService(new ExperimentRepository(dataSource), runningExperiments, { train: (algorithm) => models.train(algorithm, {}, { activate: false }), tau: config.experimentMsprtTau }),
  };


  const app = express();
  app.disable("x-powered-by");
  // GraphQL answers are POSTs: an ETag (a SHA-1 of every body) would cost time and never be used.
  app.disable("etag");
  if (config.trustProxy) app.set("trust proxy", /^\d+$/.test(config.trustProxy) ? Number(config.trustProxy) : config.trustProxy);
  app.use(requestLogger(logger));
  app.use(securityHeaders());
  const httpServer = http.createServer(app);
  const schema = await buildMarqueeSchema(services);
  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    csrfPrevention: true,
    // One operation per request: arrays of operations would multiply every limit below.
    allowBatchedHttpRequests: false,
    // A document's size bounds the work of parsing and validating it, before any limit below runs.
    parseOptions: { maxTokens: config.maxQueryTokens },
    validationRules: [selectionLimitsRule({ maxAliases: config.maxQueryAliases, maxRepeatedFields: config.maxRepeatedFields }), depthRule(config.maxQueryDepth)],
    // main.ts owns SIGINT/SIGTERM (close the app, then the pool and Postgres); Apollo's own
    // handlers would race it and re-raise the signal into our handler, so shutdown never ended.
    stopOnTerminationSignals: false,
    introspection: playgroundOn,
    includeStacktraceInErrorResponses: !config.production,
    // Our own GraphiQL page (bundled from npm, no CDN) replaces Apollo's landing page.
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // No cache hints are used; the default cache-control plugin would hook every resolved field.
      ApolloServerPluginCacheControlDisabled(),
      complexityPlugin<GraphQLContext>(schema, config.maxQueryComplexity),
      textInputPlugin<GraphQLContext>(),
      metrics.plugin(),
    ],
    formatError: (formatted, error) => {
      const limitCode = selectionLimitCode(error);
      if (limitCode) return { ...formatted, extensions: { ...formatted.extensions, code: limitCode } };
      const cause = unwrapResolverError(error);
      if (formatted.extensions?.code === "INTERNAL_SERVER_ERROR" && isDatabaseUnavailable(cause)) {
        return {
          message: "The database is unavailable right now (restarting or unreachable); retry in a few seconds.",
          path: formatted.path,
          extensions: { code: "SERVICE_UNAVAILABLE" },
        };
      }
      if (formatted.extensions?.code === "INTERNAL_SERVER_ERROR") logger.error({ err: cause, path: formatted.path }, "resolver failed");
      if (config.production && formatted.extensions?.code === "INTERNAL_SERVER_ERROR") {
        return { message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" } };
      }
      return formatted;
    },
  });
  await apollo.start();
  models.start();
  anonymousProfiles.startSweeping();

  app.get("/readyz", async (_req, res) => {
    try {
      await dataSource.query("SELECT 1");
    } catch (error) {
      res.status(503).json({ status: "unavailable", reason: `database: ${(error as Error).message}` });
      return;
    }
    if (modelServer.current) {
      res.json({ status: "ready", model: modelServer.current.record.id });
      return;
    }
    // Training in progress: a TRAINING row, or a trainer holding the training lock while it still
    // loads events (before its row exists). 727384001 is TRAINING_LOCK in models/trainer.ts.
    const training: unknown[] = await dataSource
      .query(
        `SELECT 1 FROM models WHERE status = $1
         UNION ALL
         SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = 0 AND objid = 727384001 AND objsubid = 1
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
         LIMIT 1`,
        [ModelStatus.TRAINING],
      )
      .catch(() => []);
    if (training.length > 0) res.json({ status: "ready", model: null, training: true });
    else res.status(503).json({ status: "unavailable", reason: "no model is loaded and none is training: run trainModel or `npm run train`" });
  });

  app.get("/metrics", async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  app.get("/healthz", async (_req, res) => {
    try {
      await dataSource.query("SELECT 1");
      res.json({ status: "ok" });
    } catch (error) {
      res.status(503).json({ status: "unavailable", reason: (error as Error).message });
    }
  });

  const playground = path.join(config.webDistDir, "playground.html");
  app.get(
    "/graphql",
    // Anything but a browser asking for the page goes on to the API ("route" skips this route's handlers).
    (req, _res, next) => next(wantsHtml(req) && playgroundOn ? undefined : "route"),
    playgroundPolicy,
    (_req, res) => {
      if (!existsSync(playground)) {
        res.status(503).type("text/plain").send("The GraphQL playground is not built yet: run `npm run build -w web` (npm start does it).");
        return;
      }
      res.sendFile(playground);
    },
  );
  const limiters: express.RequestHandler[] = [];
  if (config.rateLimitPerIpPerMinute > 0) {
    limiters.push(rateLimits.limiter({ name: "per-IP", perMinute: config.rateLimitPerIpPerMinute, keyOf: (req) => ipKeyGenerator(req.ip ?? "unknown") }, sendGraphQLError));
  }
  if (config.rateLimitPerSessionPerMinute > 0) {
    limiters.push(rateLimits.limiter({ name: "per-session", perMinute: config.rateLimitPerSessionPerMinute, keyOf: (req) => viewerOf(req, auth).profileId }, sendGraphQLError));
  }
  // A batch of 1,000 events is ~200 kB of JSON; 5 MB leaves room without inviting abuse.
  app.use(
    "/graphql",
    ...limiters,
    express.json({ limit: "5mb" }),
    expressMiddleware(apollo, { context: async ({ req, res }) => buildContext(req, res, auth) }),
  );
  // Unparseable or oversized bodies: a GraphQL-shaped error, never Express's HTML page with a stack.
  app.use("/graphql", (error: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) return next(error);
    const { status, type } = error as { status?: number; type?: string };
    if (type === "entity.too.large") return sendGraphQLError(res, 413, "PAYLOAD_TOO_LARGE", "The request body is larger than 5 MB: send smaller batches.");
    if (type === "entity.parse.failed") return sendGraphQLError(res, 400, "BAD_REQUEST", "The request body is not valid JSON.");
    if (status && status >= 400 && status < 500) return sendGraphQLError(res, status, "BAD_REQUEST", "The request could not be read.");
    logger.error({ err: error }, "request failed");
    sendGraphQLError(res, 500, "INTERNAL_SERVER_ERROR", "Internal server error");
  });

  // The built web client; every client page is its index.html (React Router takes it from there).
  const index = path.join(config.webDistDir, "index.html");
  app.use(express.static(config.webDistDir, { index: false }));
  app.use((req, res, next) => {
    if (!wantsClientPage(req)) return next();
    if (existsSync(index)) res.sendFile(index);
    else res.status(503).type("text/plain").send("The web client is not built yet: run `npm run build -w web` (npm start does it). The API is at /graphql.");
  });

  let listening = false;
  return {
    app,
    httpServer,
    apollo,
    services,
    metrics,
    listen(port = 0, host = "127.0.0.1") {
      return new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(port, host, () => {
          listening = true;
          httpServer.off("error", reject);
          const actual = (httpServer.address() as AddressInfo).port;
          resolve({ url: `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${actual}`, port: actual });
        });
      });
    },
    async close() {
      // apollo.stop() drains the HTTP server through the drain plugin.
      await apollo.stop();
      await models.stop();
      await modelServer.stop();
      await runningExperiments.stop();
      impressionPartitions.stop();
      anonymousProfiles.stop();
      interactionPartitions.stop();
      metrics.detach();
      await rateLimits.close();
      await laggingReads.close();
      if (listening && httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
