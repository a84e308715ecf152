import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./free-port";

/**
 * Postgres servers a test starts itself from Debian's PostgreSQL binaries (PG_BIN, else the
 * newest /usr/lib/postgresql/<version>/bin), as an operator would: initdb, pg_ctl, and
 * pg_basebackup -R for a streaming standby. As root (containers, CI) every command runs as the
 * `postgres` user through runuser, since Postgres refuses to run as root.
 */

function pgBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(path.join(root, v, "bin", "initdb"))) : [];
  if (versions.length === 0) throw new Error("No PostgreSQL server binaries in /usr/lib/postgresql/*/bin: install Debian's postgresql package (.ci/run does), or set PG_BIN");
  return path.join(root, versions.sort((a, b) => Number(b) - Number(a))[0], "bin");
}

const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL program (as the postgres user when we are root); throws with its output on failure. */
function run(program: string, args: readonly string[]): string {
  const file = path.join(pgBin(), program);
  const [command, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", file, ...args]] : [file, [...args]];
  const result = spawnSync(command, argv, { encoding: "utf8", timeout: 120_000 });
  if (result.status !== 0) throw new Error(`${program} ${args.join(" ")} failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

export interface PgServer {
  readonly port: number;
  readonly dataDir: string;
  /** postgres://postgres@127.0.0.1:<port>/<database> */
  url(database?: string): string;
  start(): void;
  /** pg_ctl stop -m fast (or immediate: a crash). */
  stop(mode?: "fast" | "immediate"): void;
  readonly running: boolean;
}

function server(dataDir: string, port: number): PgServer {
  const log = path.join(path.dirname(dataDir), `${path.basename(dataDir)}.log`);
  return {
    port,
    dataDir,
    url: (database = "postgres") => `postgres://postgres@127.0.0.1:${port}/${database}`,
    start() {
      try {
        run("pg_ctl", ["-D", dataDir, "-l", log, "-w", "-t", "120", "start"]);
      } catch (error) {
        throw new Error(`${(error as Error).message}\n${existsSync(log) ? readFileSync(log, "utf8").slice(-3000) : ""}`, { cause: error });
      }
    },
    stop(mode = "fast") {
      run("pg_ctl", ["-D", dataDir, "-m", mode, "-w", "-t", "120", "stop"]);
    },
    get running() {
      return spawnSync(asRoot ? "runuser" : path.join(pgBin(), "pg_ctl"), asRoot ? ["-u", "postgres", "--", path.join(pgBin(), "pg_ctl"), "-D", dataDir, "status"] : ["-D", dataDir, "status"]).status === 0;
    },
  };
}

/** A directory the postgres user may write (under /tmp, never under root's home). */
export function clusterRoot(label: string): string {
  const root = mkdtempSync(path.join(os.tmpdir(), `marquee-${label}-`));
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(root, uid, gid);
  }
  return root;
}

/** settings appended to postgresql.conf (the last setting of a name wins). */
function configure(dataDir: string, settings: Record<string, string | number>): void {
  const lines = Object.entries(settings).map(([name, value]) => `${name} = ${typeof value === "number" ? value : `'${value}'`}`);
  const file = path.join(dataDir, "postgresql.conf");
  if (asRoot) {
    // The file belongs to postgres; append through it so ownership stays.
    const result = spawnSync("runuser", ["-u", "postgres", "--", "tee", "-a", file], { input: `\n${lines.join("\n")}\n`, stdio: ["pipe", "ignore", "pipe"] });
    if (result.status !== 0) throw new Error(`cannot write ${file}: ${result.stderr}`);
  } else {
    appendFileSync(file, `\n${lines.join("\n")}\n`);
  }
}

/** A new primary on a free port (trust auth on 127.0.0.1, replication allowed), started. */
export async function startPrimary(root: string): Promise<PgServer> {
  const dataDir = path.join(root, "primary");
  run("initdb", ["-D", dataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale", "C", "--no-sync"]);
  const port = await freePort();
  configure(dataDir, {
    port,
    listen_addresses: "127.0.0.1",
    unix_socket_directories: root,
    // A test cluster: durability is not what is tested here, and fsync on a shared disk is slow.
    fsync: "off",
    max_connections: 60,
    shared_buffers: "32MB",
    wal_level: "replica",
    max_wal_senders: 4,
  });
  const primary = server(dataDir, port);
  primary.start();
  return primary;
}

/** A streaming standby of `primary` (pg_basebackup -R) on a free port, with extra settings, started. */
export async function startStandby(root: string, primary: PgServer, settings: Record<string, string | number>): Promise<PgServer> {
  const dataDir = path.join(root, "standby");
  run("pg_basebackup", ["-h", "127.0.0.1", "-p", String(primary.port), "-U", "postgres", "-D", dataDir, "-R", "-X", "stream", "--checkpoint=fast", "--no-sync"]);
  const port = await freePort();
  configure(dataDir, { port, hot_standby: "on", ...settings });
  const standby = server(dataDir, port);
  standby.start();
  return standby;
}

/** Stops whatever still runs and deletes the directory. */
export function removeCluster(root: string, servers: readonly (PgServer | undefined)[]): void {
  for (const s of servers) {
    if (s?.running) {
      try {
        s.stop("immediate");
      } catch {
        // already gone
      }
    }
  }
  rmSync(root, { recursive: true, force: true });
}
