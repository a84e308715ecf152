import "reflect-metadata";
import { createApp } from "./app";
import { loadConfig, type MarqueeConfig } from "./config";
import { openDatabase } from "./database/data-source";
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from "./database/embedded-postgres";
import { loadEventWeights } from "./interactions/event-weights";
import { seedIfEmpty } from "./seeding/demo-seed";

/**
 * `npm start`: Postgres (DATABASE_URL, or the embedded one in <repo>/.data/pg), migrations, the
 * demo seed when the catalog is empty, then the API, playground and web client on PORT.
 */
async function main(): Promise<void> {
  let config: MarqueeConfig;
  try {
    config = loadConfig();
  } catch (error) {
    // A configuration mistake (e.g. production without MARQUEE_SESSION_SECRET): the message says what to set.
    console.error(`Marquee cannot start: ${(error as Error).message}`);
    process.exit(1);
  }
  let embedded: EmbeddedPostgresHandle | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({ dataDir: config.embeddedPostgresDir, port: config.embeddedPostgresPort });
    url = embedded.url;
    console.log(`Embedded Postgres on port ${config.embeddedPostgresPort}, data in ${config.embeddedPostgresDir}`);
  }
  const dataSource = await openDatabase({ url });
  const weights = await loadEventWeights(dataSource, config.eventWeightsFile);
  if (config.seedWhenEmpty) {
    const seeded = await seedIfEmpty(dataSource, weights);
    if (seeded) {
      console.log(`Loaded the demo seed: ${seeded.movies} titles, ${seeded.profiles} profiles, ${seeded.events} events in ${seeded.millis} ms`);
    }
  }
  const marquee = await createApp({ dataSource, config, weights });
  const { url: base } = await marquee.listen(config.port, config.host);
  console.log(`Marquee is running at ${base}  (GraphQL API and playground: ${base}/graphql)`);
  if (config.host === "127.0.0.1" && !process.env.HOST) {
    console.log("Listening on 127.0.0.1 only (development mode is open to any caller): set HOST=0.0.0.0 to accept other machines.");
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down`);
    try {
      await marquee.close();
      await dataSource.destroy();
      await embedded?.stop();
      process.exit(0);
    } catch (error) {
      console.error(error);
      process.exit(1);
    }
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
