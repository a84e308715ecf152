import { Pool, type PoolConfig } from "pg";
import type { Logger } from "pino";
import { Counter, type Registry } from "prom-client";
import type { DataSource } from "typeorm";
import { redactedUrl } from "../common/redacted-url";
import { isDatabaseUnavailable } from "../graphql/limits";

/**
 * What a read-only service needs of a database: DataSource's `query`, so the service can be given
 * the primary or the lag-tolerant replica reads without knowing which.
 */
export type Reads = Pick<DataSource, "query">;

export interface ReadReplicaSettings {
  /** `DATABASE_READ_URL`: a streaming standby of the primary. Undefined: every read goes to the primary. */
  readonly url?: string;
  readonly logger: Logger;
  readonly registry: Registry;
  /** After the standby fails to answer, reads go to the primary for this long before it is tried again (default 5 s). */
  readonly retryStandbyAfterMs?: number;
  /** Connections to the standby (default 10). */
  readonly poolSize?: number;
}

/** A statement the standby cancelled because replaying the primary's changes needed what it held. */
function isRecoveryConflict(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === "40001" || code === "40P01" || (typeof message === "string" && /conflict with recovery/i.test(message));
}

/**
 * Read-only work that tolerates a little lag (browse, search, admin charts) runs on the standby;
 * anything else keeps using the primary DataSource. A query the standby cancels for a recovery
 * conflict is retried on the primary; a standby that is down, restarting or unreachable sends
 * reads to the primary (tried again every few seconds), so callers never see its failures. Reads
 * that must see the caller's own writes (the viewer's history on home) and LISTEN (a standby
 * cannot) never come here.
 *
 * A new read-only service opts in with one line: it takes `Reads` and app.ts gives it this
 * object instead of the DataSource.
 */
export class ReadReplica implements Reads {
  private readonly standby?: Pool;
  private readonly retryStandbyAfterMs: number;
  /** The standby failed to answer; it is tried again from retryStandbyAt on. */
  private standbyDown = false;
  private retryStandbyAt = 0;
  private readonly queries: Counter<"target" | "reason">;

  constructor(
    private readonly primary: Reads,
    private readonly settings: ReadReplicaSettings,
  ) {
    this.retryStandbyAfterMs = settings.retryStandbyAfterMs ?? 5_000;
    this.queries = new Counter({
      name: "marquee_read_queries_total",
      help: "Lag-tolerant reads by where they ran (standby, primary) and why (replica: served by it; no_replica; standby_down; recovery_conflict).",
      labelNames: ["target", "reason"] as const,
      registers: [settings.registry],
    });
    if (!settings.url) return;
    const config: PoolConfig = {
      connectionString: settings.url,
      max: settings.poolSize ?? 10,
      // A standby that does not answer costs a read this long, then reads go to the primary.
      connectionTimeoutMillis: 2_000,
      application_name: "marquee-api-reads",
    };
    this.standby = new Pool(config);
    // An idle connection dropped by a stopping standby: the next read reconnects or falls back.
    this.standby.on("error", () => undefined);
    settings.logger.info({ standby: redactedUrl(settings.url, "DATABASE_READ_URL") }, "Lag-tolerant reads (browse, search, admin charts) go to the standby in DATABASE_READ_URL");
  }

  async query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T> {
    if (!this.standby) return this.onPrimary(sql, parameters, "no_replica");
    if (this.standbyDown && Date.now() < this.retryStandbyAt) return this.onPrimary(sql, parameters, "standby_down");
    let rows: T;
    try {
      rows = (await this.standby.query(sql, parameters)).rows as T;
    } catch (error) {
      if (isRecoveryConflict(error)) return this.onPrimary(sql, parameters, "recovery_conflict");
      if (!isDatabaseUnavailable(error)) throw error;
      if (!this.standbyDown) {
        this.settings.logger.error({ err: error }, "The read replica (DATABASE_READ_URL) is unavailable: lag-tolerant reads go to the primary until it answers again");
      }
      this.standbyDown = true;
      this.retryStandbyAt = Date.now() + this.retryStandbyAfterMs;
      return this.onPrimary(sql, parameters, "standby_down");
    }
    if (this.standbyDown) {
      this.standbyDown = false;
      this.settings.logger.info("The read replica answers again: lag-tolerant reads go to it");
    }
    this.queries.inc({ target: "standby", reason: "replica" });
    return rows;
  }

  async close(): Promise<void> {
    await this.standby?.end();
  }

  private async onPrimary<T>(sql: string, parameters: unknown[] | undefined, reason: "no_replica" | "standby_down" | "recovery_conflict"): Promise<T> {
    const rows = (await this.primary.query(sql, parameters)) as T;
    this.queries.inc({ target: "primary", reason });
    return rows;
  }
}
