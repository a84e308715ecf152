import "reflect-metadata";
import { existsSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import express, { type Express } from "express";
import type { DataSource } from "typeorm";
import type { MarqueeConfig } from "./config";
import { buildContext, type GraphQLContext } from "./graphql/context";
import { buildMarqueeSchema, type Services } from "./graphql/schema";
import { loadEventWeights, type EventWeights } from "./interactions/event-weights";
import { InteractionService } from "./interactions/interaction.service";
import { MovieService } from "./movies/movie.service";
import { ProfileService } from "./profiles/profile.service";
import { ModelServer } from "./models/model-server";
import { ModelService } from "./models/model.service";
import { CatalogCache } from "./recommendations/catalog-cache";
import { HomeService } from "./recommendations/home.service";
import { ImportService } from "./import/import.service";
import { PopularityRecommendationService, type RecommendationProvider } from "./recommendations/recommendation.service";

export interface CreateAppOptions {
  /** An initialised, migrated data source. The caller owns it: close() leaves it open. */
  readonly dataSource: DataSource;
  readonly config: MarqueeConfig;
  /** Weights in force; read from event_weights when omitted. */
  readonly weights?: EventWeights;
  /** Replaces the engine's Top picks for the `recommendations` field (tests of the foundation's ranking). */
  readonly recommendations?: RecommendationProvider;
  /** Where the engine's lifecycle messages go (default console.log). */
  readonly log?: (message: string) => void;
}

export interface MarqueeApp {
  readonly app: Express;
  readonly httpServer: http.Server;
  readonly apollo: ApolloServer<GraphQLContext>;
  readonly services: Services;
  /** Starts listening (port 0: a free port). Resolves with the base URL, e.g. http://127.0.0.1:4000. */
  listen(port?: number, host?: string): Promise<{ url: string; port: number }>;
  /** Stops accepting, drains in-flight requests, stops Apollo. */
  close(): Promise<void>;
}

function wantsHtml(req: express.Request): boolean {
  return req.method === "GET" && req.accepts(["application/json", "text/html"]) === "text/html";
}

/** Builds the API: Express + Apollo on one HTTP server, with services bound to `dataSource`. */
export async function createApp(options: CreateAppOptions): Promise<MarqueeApp> {
  const { dataSource, config } = options;
  const weights = options.weights ?? (await loadEventWeights(dataSource, config.eventWeightsFile));
  // The engine: the serving model (switched by LISTEN/NOTIFY), the catalog in memory, the rows.
  const modelServer = new ModelServer(dataSource, { log: options.log });
  await modelServer.start();
  const popularity = new PopularityRecommendationService(dataSource);
  const home = new HomeService(dataSource, modelServer, new CatalogCache(dataSource), popularity);
  const databaseUrl = (dataSource.options as { url?: string }).url ?? "";
  const models = new ModelService(dataSource, modelServer, {
    databaseUrl,
    autoTrain: config.autoTrain,
    retrainAfterEvents: config.retrainAfterEvents,
    retrainAfterMinutes: config.retrainAfterMinutes,
    checkEveryMs: 15_000,
    trainerHeapMb: config.trainerHeapMb,
    log: options.log,
  });
  const services: Services = {
    movies: new MovieService(dataSource),
    profiles: new ProfileService(dataSource),
    interactions: new InteractionService(dataSource, {
      weights,
      maxBatchSize: config.maxBatchSize,
      maxClockSkewMs: config.maxClockSkewMs,
    }),
    recommendations: options.recommendations ?? home,
    home,
    models,
    imports: new ImportService(dataSource),
  };

  const app = express();
  app.disable("x-powered-by");
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer<GraphQLContext>({
    schema: await buildMarqueeSchema(services),
    csrfPrevention: true,
    // main.ts owns SIGINT/SIGTERM (close the app, then the pool and Postgres); Apollo's own
    // handlers would race it and re-raise the signal into our handler, so shutdown never ended.
    stopOnTerminationSignals: false,
    introspection: true,
    includeStacktraceInErrorResponses: !config.production,
    // Our own GraphiQL page (bundled from npm, no CDN) replaces Apollo's landing page.
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginLandingPageDisabled()],
    formatError: (formatted) => {
      if (config.production && formatted.extensions?.code === "INTERNAL_SERVER_ERROR") {
        return { message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" } };
      }
      return formatted;
    },
  });
  await apollo.start();
  models.start();

  app.get("/healthz", async (_req, res) => {
    try {
      await dataSource.query("SELECT 1");
      res.json({ status: "ok" });
    } catch (error) {
      res.status(503).json({ status: "unavailable", reason: (error as Error).message });
    }
  });

  const playground = path.join(config.webDistDir, "playground.html");
  app.get("/graphql", (req, res, next) => {
    if (!wantsHtml(req)) return next();
    if (!existsSync(playground)) {
      res.status(503).type("text/plain").send("The GraphQL playground is not built yet: run `npm run build -w web` (npm start does it).");
      return;
    }
    res.sendFile(playground);
  });
  // A batch of 1,000 events is ~200 kB of JSON; 5 MB leaves room without inviting abuse.
  app.use("/graphql", express.json({ limit: "5mb" }), expressMiddleware(apollo, { context: async ({ req }) => buildContext(req) }));

  // The built web client, with SPA fallback to index.html for client-side routes.
  const index = path.join(config.webDistDir, "index.html");
  app.use(express.static(config.webDistDir, { index: false }));
  app.use((req, res, next) => {
    if (!wantsHtml(req)) return next();
    if (existsSync(index)) res.sendFile(index);
    else res.status(503).type("text/plain").send("The web client is not built yet: run `npm run build -w web` (npm start does it). The API is at /graphql.");
  });

  let listening = false;
  return {
    app,
    httpServer,
    apollo,
    services,
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
      if (listening && httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
