import "reflect-metadata";
import type { DataSource } from "typeorm";
import { createDataSource } from "../src/database/data-source";
import { quoteIdent, withAdmin, withDatabase } from "./postgres";

export interface TestDatabase {
  readonly dataSource: DataSource;
  readonly url: string;
  readonly name: string;
  /** Closes the data source and drops the database. */
  drop(): Promise<void>;
}

let counter = 0;

/**
 * A fresh, migrated, empty database for one test file: a clone of the run's template
 * (CREATE DATABASE ... TEMPLATE, milliseconds), so files never see each other's rows.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.MARQUEE_TEST_ADMIN_URL;
  const template = process.env.MARQUEE_TEST_TEMPLATE;
  if (!adminUrl || !template) throw new Error("The jest global setup did not run: start tests with `npm test` (or jest from the repo root)");
  const name = `${template}_${process.pid}_${++counter}`;
  await withAdmin(adminUrl, async (client) => {
    // Concurrent clones of one template can collide briefly ("being accessed by other users").
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template)}`);
        return;
      } catch (error) {
        if (attempt >= 20 || !/being accessed by other users/.test((error as Error).message)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
      }
    }
  });
  const url = withDatabase(adminUrl, name);
  const dataSource = createDataSource({ url, poolSize: 10 });
  await dataSource.initialize();
  return {
    dataSource,
    url,
    name,
    async drop() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
    },
  };
}
