import type { DataSource } from "typeorm";

/** Runs SQL inside the maintenance transaction. */
export type Query = (sql: string, params?: unknown[]) => Promise<unknown[]>;

export type PartitionUnit = "day" | "month";

/** One partition of a table partitioned by range of a time column: [from, to) in ms; `from` null is MINVALUE. */
export interface TimePartition {
  readonly name: string;
  readonly from: number | null;
  readonly to: number;
}

export interface TimePartitionOptions {
  /** The partitioned table (its partitions are `<table>_YYYYMMDD` or `<table>_YYYYMM`, plus `<table>_until_...` from MINVALUE). */
  readonly table: string;
  readonly unit: PartitionUnit;
  /** pg advisory lock key: one process at a time creates or drops this table's partitions. */
  readonly lockKey: number;
  /** Units kept besides the current one: a partition that ends before (current unit - retention) is dropped whole. null keeps everything. */
  readonly retention: number | null;
  /** Units created ahead of the current one. */
  readonly ahead: number;
  /** Units created before the current one (a late event of yesterday). */
  readonly behind?: number;
  /** In a transaction of its own, just before the dropping one (bulk work that should not hold row locks while the drop waits for the parent's lock). */
  readonly prepareDrop?: (q: Query, partition: TimePartition) => Promise<void>;
  /** In the dropping transaction, before the DROP (e.g. fold the partition's rows into an archive). */
  readonly beforeDrop?: (q: Query, partition: TimePartition) => Promise<void>;
  /** After the drops, in a transaction of its own, with the retention cutoff (e.g. forget roll-ups older than it). */
  readonly afterDrops?: (q: Query, cutoff: Date) => Promise<void>;
  readonly log?: (message: string) => void;
}

const DAY_MS = 86_400_000;

/** The start (UTC) of the unit holding `ms`, moved by `n` units. */
export function unitStart(ms: number, unit: PartitionUnit, n = 0): number {
  if (unit === "day") return Math.floor(ms / DAY_MS) * DAY_MS + n * DAY_MS;
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1);
}

function stamp(ms: number, unit: PartitionUnit): string {
  const iso = new Date(ms).toISOString();
  return unit === "day" ? iso.slice(0, 10).replace(/-/g, "") : iso.slice(0, 7).replace("-", "");
}

function parseStamp(text: string): number {
  return Date.UTC(Number(text.slice(0, 4)), Number(text.slice(4, 6)) - 1, text.length > 6 ? Number(text.slice(6, 8)) : 1);
}

/**
 * The partitions of a table partitioned by a time column, by day or by month: created ahead by
 * the server, on demand for a time that has none (an id served on a day no partition was made
 * for, an event queued offline for months), and dropped whole once older than the retention
 * (never deleted row by row). Every API process may run it; an advisory lock keeps two from
 * racing on the same DDL. Used for `impressions` (days) and `interactions` (months).
 */
export class TimePartitions {
  private timer: NodeJS.Timeout | null = null;
  private readonly unitName: RegExp;
  private readonly untilName: RegExp;

  constructor(
    private readonly dataSource: DataSource,
    readonly options: TimePartitionOptions,
  ) {
    const digits = options.unit === "day" ? 8 : 6;
    this.unitName = new RegExp(`^${options.table}_(\\d{${digits}})$`);
    this.untilName = new RegExp(`^${options.table}_until_(\\d{6}|\\d{8})$`);
  }

  /** Maintains now, then every hour. */
  async start(): Promise<void> {
    await this.maintain();
    this.timer = setInterval(() => void this.maintain().catch((error: Error) => this.options.log?.(`${this.options.table} partitions: ${error.message}`)), 3_600_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The retention cutoff at `now`: partitions that end at or before it are dropped (null: none is). */
  cutoff(now = Date.now()): number | null {
    return this.options.retention === null ? null : unitStart(now, this.options.unit, -this.options.retention);
  }

  /** The units from `behind` to `ahead` exist (those after the cutoff); partitions that end by the cutoff are gone. */
  async maintain(now = Date.now()): Promise<{ created: string[]; dropped: string[] }> {
    const { unit, ahead, behind = 0 } = this.options;
    const cutoff = this.cutoff(now);
    const wanted: number[] = [];
    for (let n = -behind; n <= ahead; n++) wanted.push(unitStart(now, unit, n));
    const created = await this.locked((q) => this.create(q, wanted.filter((start) => cutoff === null || start >= cutoff)));
    const dropped: string[] = [];
    if (cutoff !== null) {
      // One transaction per partition: a drop holds the parent's exclusive lock until it commits.
      for (const partition of await this.existing((sql, params) => this.dataSource.query(sql, params))) {
        if (partition.to > cutoff) continue;
        const { prepareDrop } = this.options;
        if (prepareDrop) await this.locked((q) => prepareDrop(q, partition));
        const gone = await this.locked(async (q) => {
          if (!(await this.existing(q)).some((p) => p.name === partition.name)) return false; // another process dropped it
          await this.options.beforeDrop?.(q, partition);
          await q(`DROP TABLE "${partition.name}"`);
          return true;
        });
        if (gone) dropped.push(partition.name);
      }
      const { afterDrops } = this.options;
      if (afterDrops) await this.locked((q) => afterDrops(q, new Date(cutoff)));
      if (dropped.length) this.options.log?.(`${this.options.table}: dropped ${dropped.length} partition(s) older than the retention (${dropped.join(", ")})`);
    }
    return { created, dropped };
  }

  /** Creates the partitions holding these times (ms) if missing. Cheap when they all exist (one catalog read, no lock). */
  async ensure(times: Iterable<number>): Promise<string[]> {
    const starts = [...new Set([...times].map((t) => unitStart(t, this.options.unit)))];
    const covered = (have: readonly TimePartition[]) => starts.every((s) => have.some((p) => (p.from === null || p.from <= s) && s < p.to));
    if (covered(await this.existing((sql, params) => this.dataSource.query(sql, params)))) return [];
    return this.locked((q) => this.create(q, starts));
  }

  /** The table's partitions that this manager knows by name, oldest first. */
  async partitions(): Promise<TimePartition[]> {
    return this.existing((sql, params) => this.dataSource.query(sql, params));
  }

  private async create(q: Query, starts: readonly number[]): Promise<string[]> {
    const have = await this.existing(q);
    const created: string[] = [];
    for (const start of starts) {
      const end = unitStart(start, this.options.unit, 1);
      // Skip a unit that an existing partition overlaps (the first partition covers everything before its bound).
      if (have.some((p) => (p.from === null || p.from < end) && start < p.to)) continue;
      const name = `${this.options.table}_${stamp(start, this.options.unit)}`;
      await q(`CREATE TABLE "${name}" PARTITION OF "${this.options.table}" FOR VALUES FROM ('${new Date(start).toISOString()}') TO ('${new Date(end).toISOString()}')`);
      have.push({ name, from: start, to: end });
      created.push(name);
    }
    return created;
  }

  private async existing(q: Query): Promise<TimePartition[]> {
    const rows = (await q(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass`,
      [this.options.table],
    )) as { name: string }[];
    const found: TimePartition[] = [];
    for (const { name } of rows) {
      const unit = this.unitName.exec(name);
      if (unit) {
        const from = parseStamp(unit[1]);
        found.push({ name, from, to: unitStart(from, this.options.unit, 1) });
        continue;
      }
      const until = this.untilName.exec(name);
      if (until) found.push({ name, from: null, to: parseStamp(until[1]) });
    }
    return found.sort((a, b) => (a.from ?? -Infinity) - (b.from ?? -Infinity));
  }

  private async locked<T>(work: (q: Query) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      // A DDL statement waits at most this long for the table's lock (writers queue behind it
      // meanwhile); past that the pass fails and the next one retries.
      await manager.query(`SET LOCAL lock_timeout = '30s'`);
      await manager.query(`SELECT pg_advisory_xact_lock($1)`, [this.options.lockKey]);
      return work((sql, params) => manager.query(sql, params));
    });
  }
}

/** Postgres's "no partition of relation ... found for row": the time needs a partition made on demand. */
export function isMissingPartition(error: unknown): boolean {
  return (error as { code?: string }).code === "23514" && /no partition/.test((error as Error).message);
}
