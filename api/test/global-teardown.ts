import { rmSync } from "node:fs";
import type { EmbeddedForRun } from "./global-setup";
import { quoteIdent, withAdmin } from "./postgres";

/** Drops this run's template and any clone a crashed test file left behind. */
export default async function globalTeardown(): Promise<void> {
  const adminUrl = process.env.MARQUEE_TEST_ADMIN_URL;
  const template = process.env.MARQUEE_TEST_TEMPLATE;
  if (adminUrl && template) {
    await withAdmin(adminUrl, async (client) => {
      const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`, [
        template,
        `${template}\\_%`,
      ]);
      for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)} WITH (FORCE)`);
    });
  }
  const embedded = (globalThis as EmbeddedForRun).__marqueeEmbedded;
  if (embedded) {
    await embedded.handle.stop();
    rmSync(embedded.dataDir, { recursive: true, force: true });
  }
}
