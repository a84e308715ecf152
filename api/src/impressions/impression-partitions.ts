import type { DataSource } from "typeorm";

const DAY_MS = 86_400_000;
/** pg advisory lock key: one process at a time creates or drops impression partitions. */
const PARTITION_LOCK = 727_384_010;
const NAME = /^impressions_(\d{4})(\d{2})(\d{2})$/;

export interface ImpressionPartitionOptions {
  /** Days kept; partitions of older days are dropped whole. */
  readonly retentionDays: number;
  /** Days created ahead of today (default 7). */
  readonly aheadDays?: number;
  readonly log?: (message: string) => void;
}

/** The UTC day (midnight, ms) of a time. */
export function dayOf(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

function partitionName(day: number): string {
  return `impressions_${new Date(day).toISOString().slice(0, 10).replace(/-/g, "")}`;
}

/**
 * The daily partitions of `impressions` (and the hourly roll-ups' retention): created ahead by
 * the server, on demand for a day that has none, and dropped whole once older than the
 * retention (never deleted row by row). Every API process may run it; an advisory lock keeps
 * two from racing on the same DDL.
 */
export class ImpressionPartitions {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: ImpressionPartitionOptions,
  ) {}

  /** Maintains now, then every hour. */
  async start(): Promise<void> {
    await this.maintain();
    this.timer = setInterval(() => void this.maintain().catch((error: Error) => this.options.log?.(`impression partitions: ${error.message}`)), 3_600_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Yesterday to `aheadDays` ahead exist; days older than the retention are gone. */
  async maintain(now = Date.now()): Promise<{ created: string[]; dropped: string[] }> {
    const today = dayOf(now);
    const days: number[] = [];
    for (let d = -1; d <= (this.options.aheadDays ?? 7); d++) days.push(today + d * DAY_MS);
    const cutoff = today - this.options.retentionDays * DAY_MS;
    return this.locked(async (q) => {
      const created = await this.create(q, days.filter((day) => day >= cutoff));
      const dropped: string[] = [];
      for (const name of await this.existing(q)) {
        const [, y, m, d] = NAME.exec(name)!;
        if (Date.UTC(Number(y), Number(m) - 1, Number(d)) < cutoff) {
          await q(`DROP TABLE IF EXISTS "${name}"`);
          dropped.push(name);
        }
      }
      await q(`DELETE FROM impression_rollups WHERE hour < $1`, [new Date(cutoff)]);
      await q(`DELETE FROM impression_viewer_rollups WHERE hour < $1`, [new Date(cutoff)]);
      await q(`DELETE FROM impression_title_rollups WHERE day < $1`, [new Date(cutoff)]);
      if (dropped.length) this.options.log?.(`impressions: dropped ${dropped.length} partition(s) older than ${this.options.retentionDays} days (${dropped.join(", ")})`);
      return { created, dropped };
    });
  }

  /** Creates the partitions of these days (ms) if missing: for ids served on a day no partition was made for. */
  async ensure(days: Iterable<number>): Promise<void> {
    const wanted = [...new Set([...days].map(dayOf))];
    await this.locked((q) => this.create(q, wanted));
  }

  private async create(q: Query, days: readonly number[]): Promise<string[]> {
    const have = new Set(await this.existing(q));
    const created: string[] = [];
    for (const day of days) {
      const name = partitionName(day);
      if (have.has(name)) continue;
      await q(
        `CREATE TABLE IF NOT EXISTS "${name}" PARTITION OF impressions FOR VALUES FROM ('${new Date(day).toISOString()}') TO ('${new Date(day + DAY_MS).toISOString()}')`,
      );
      created.push(name);
    }
    return created;
  }

  private async existing(q: Query): Promise<string[]> {
    const rows = (await q(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'impressions'::regclass`,
    )) as { name: string }[];
    return rows.map((r) => r.name).filter((name) => NAME.test(name));
  }

  private async locked<T>(work: (q: Query) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock($1)`, [PARTITION_LOCK]);
      return work((sql, params) => manager.query(sql, params));
    });
  }
}

type Query = (sql: string, params?: unknown[]) => Promise<unknown[]>;
