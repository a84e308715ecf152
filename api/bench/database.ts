/**
 * A throwaway database for one benchmark: created on DATABASE_URL's server (default the local
 * test server postgres://postgres@127.0.0.1:5432/test), dropped afterwards.
 */
import { Client } from "pg";

export const DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/test";

export interface BenchDatabase {
  readonly url: string;
  readonly name: string;
  /** `SELECT version()` of the server, short ("15.20"). */
  readonly postgresVersion: string;
  drop(): Promise<void>;
}

export async function createBenchDatabase(prefix: string): Promise<BenchDatabase> {
  const server = process.env.DATABASE_URL ?? DEFAULT_SERVER;
  const name = `${prefix}_${Date.now()}`;
  const admin = new Client({ connectionString: server, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`Cannot reach Postgres at ${server} (${(error as Error).message}): set DATABASE_URL to a server where we may create databases`, { cause: error });
  }
  const [{ server_version: version }] = (await admin.query<{ server_version: string }>(`SHOW server_version`)).rows;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    postgresVersion: version.split(" ")[0],
    async drop() {
      const client = new Client({ connectionString: server });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
