import type { DataSource } from "typeorm";
import { loadConfig } from "../config";
import { openDatabase } from "../database/data-source";
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from "../database/embedded-postgres";

/** The database `npm start` uses (DATABASE_URL, else the embedded one), migrated. */
export async function openCliDatabase(): Promise<{ dataSource: DataSource; close(): Promise<void> }> {
  const config = loadConfig();
  let embedded: EmbeddedPostgresHandle | undefined;
  if (!config.databaseUrl) embedded = await startEmbeddedPostgres({ dataDir: config.embeddedPostgresDir, port: config.embeddedPostgresPort });
  const dataSource = await openDatabase({ url: config.databaseUrl ?? embedded!.url });
  return {
    dataSource,
    async close() {
      await dataSource.destroy();
      await embedded?.stop();
    },
  };
}
