import type { PoolClient } from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { DataSource } from "typeorm";
import { COPY_NULL, copyText } from "../database/copy-text";
import type { RowKind } from "../recommendations/row-kind";
import type { Surface } from "../recommendations/surface";
import { InteractionType } from "../interactions/interaction-type";

/** One impression, validated, as stored. */
export interface ImpressionRow {
  readonly profileId: string;
  readonly movieId: number;
  readonly servedAt: Date;
  readonly shownAt: Date;
  readonly surface: Surface;
  readonly rowKind: RowKind;
  readonly rowPosition: number;
  readonly itemPosition: number;
  readonly modelId: number | null;
  readonly experimentId: number | null;
  readonly arm: number | null;
  readonly propensity: number;
  readonly clientEventId: string | null;
}

/** An attributed event, as it may settle an impression's outcome (click, play, watched in full). */
export interface AttributedEvent {
  readonly profileId: string;
  readonly movieId: number;
  readonly type: InteractionType;
  readonly occurredAt: Date;
  readonly servedAt: Date;
  readonly rowPosition: number;
}

interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** The roll-ups' key columns, and how each is read from a source with impression columns. */
const ROLLUP_DIMS = `date_trunc('hour', served_at, 'UTC'), surface, row_kind`;
const ROLLUP_TAIL = `coalesce(model_id, 0), coalesce(experiment_id, 0), coalesce(arm, -1)`;
const SLOT_KEY = "hour, surface, row_kind, row_position, item_position, model_id, experiment_id, arm";
const VIEWER_KEY = "hour, surface, row_kind, profile_id, model_id, experiment_id, arm";
const TITLE_KEY = "day, movie_id";

/** A SELECT of a roll-up's key columns then a count `n`, per roll-up (`title` only for impressions and clicks). */
interface RollupSources {
  readonly slot: string;
  readonly viewer: string;
  readonly title?: string;
}

/**
 * CTEs adding `sources`' counts to the roll-ups' `column` (per slot, per viewer, and per title),
 * in key order (concurrent writers then lock shared roll-up rows in the same order).
 */
function addToRollups(sources: RollupSources, column: "impressions" | "clicks" | "plays" | "watched_full"): string {
  const upsert = (name: string, table: string, key: string, source: string) => `
  ${name} AS (
    INSERT INTO ${table} (${key}, ${column})
    SELECT * FROM (${source}) s ORDER BY ${key.split(", ").map((_, i) => i + 1).join(", ")}
    ON CONFLICT (${key}) DO UPDATE SET ${column} = ${table}.${column} + EXCLUDED.${column})`;
  return [
    upsert("slot_rollup", "impression_rollups", SLOT_KEY, sources.slot),
    upsert("viewer_rollup", "impression_viewer_rollups", VIEWER_KEY, sources.viewer),
    ...(sources.title ? [upsert("title_rollup", "impression_title_rollups", TITLE_KEY, sources.title)] : []),
  ].join(",");
}

/** Roll-up sources aggregated in SQL from a relation with impression columns and a count `n`. */
function groupedSources(relation: string, withTitle: boolean): RollupSources {
  return {
    slot: `SELECT ${ROLLUP_DIMS}, row_position, item_position, ${ROLLUP_TAIL}, sum(n) FROM ${relation} GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`,
    viewer: `SELECT ${ROLLUP_DIMS}, profile_id, ${ROLLUP_TAIL}, sum(n) FROM ${relation} GROUP BY 1, 2, 3, 4, 5, 6, 7`,
    title: withTitle ? `SELECT (served_at AT TIME ZONE 'UTC')::date, movie_id, sum(n) FROM ${relation} GROUP BY 1, 2` : undefined,
  };
}

const IMPRESSION_COLUMNS = "profile_id, movie_id, served_at, shown_at, surface, row_kind, row_position, item_position, model_id, experiment_id, arm, propensity, client_event_id";
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** unique_violation: a row of the batch was stored before (a retried batch). */
const UNIQUE_VIOLATION = "23505";

function copyLine(r: ImpressionRow): string {
  const nullable = (v: number | null) => (v === null ? COPY_NULL : String(v));
  return `${r.profileId}\t${r.movieId}\t${r.servedAt.toISOString()}\t${r.shownAt.toISOString()}\t${r.surface}\t${r.rowKind}\t${r.rowPosition}\t${r.itemPosition}\t${nullable(r.modelId)}\t${nullable(r.experimentId)}\t${nullable(r.arm)}\t${r.propensity}\t${r.clientEventId === null ? COPY_NULL : copyText(r.clientEventId)}\n`;
}

/**
 * Counts `rows` per key of each roll-up in memory, as unnest() sources: a batch of 5,000
 * impressions becomes a few hundred roll-up rows to send instead of 5,000 rows to group.
 */
function countedSources(rows: readonly ImpressionRow[]): { sources: RollupSources; params: unknown[] } {
  const slot = new Map<string, number>();
  const viewer = new Map<string, number>();
  const title = new Map<string, number>();
  const add = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  for (const r of rows) {
    const hour = Math.floor(r.servedAt.getTime() / HOUR_MS) * HOUR_MS;
    const tail = `${r.modelId ?? 0}|${r.experimentId ?? 0}|${r.arm ?? -1}`;
    add(slot, `${hour}|${r.surface}|${r.rowKind}|${r.rowPosition}|${r.itemPosition}|${tail}`);
    add(viewer, `${hour}|${r.surface}|${r.rowKind}|${r.profileId}|${tail}`);
    add(title, `${Math.floor(hour / DAY_MS) * DAY_MS}|${r.movieId}`);
  }
  // Columns of each map's keys (split back), then its counts.
  const columns = (map: Map<string, number>, width: number, time: number[]) => {
    const cols: unknown[][] = Array.from({ length: width + 1 }, () => []);
    for (const [key, n] of map) {
      key.split("|").forEach((part, i) => cols[i].push(time.includes(i) ? new Date(Number(part)) : part));
      cols[width].push(n);
    }
    return cols;
  };
  const params = [...columns(slot, 8, [0]), ...columns(viewer, 7, [0]), ...columns(title, 2, [0])];
  const p = (i: number) => `$${i + 1}`;
  return {
    params,
    sources: {
      slot: `SELECT * FROM unnest(${p(0)}::timestamptz[], ${p(1)}::surface[], ${p(2)}::row_kind[], ${p(3)}::smallint[], ${p(4)}::smallint[], ${p(5)}::int[], ${p(6)}::int[], ${p(7)}::smallint[], ${p(8)}::int[])`,
      viewer: `SELECT * FROM unnest(${p(9)}::timestamptz[], ${p(10)}::surface[], ${p(11)}::row_kind[], ${p(12)}::uuid[], ${p(13)}::int[], ${p(14)}::int[], ${p(15)}::smallint[], ${p(16)}::int[])`,
      title: `SELECT (t AT TIME ZONE 'UTC')::date, m, n FROM unnest(${p(17)}::timestamptz[], ${p(18)}::int[], ${p(19)}::int[]) AS u(t, m, n)`,
    },
  };
}

/** Impressions in Postgres: the only code that writes `impressions` and its roll-ups (the viewer history read counts them for discounting). */
export class ImpressionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Stores impressions, skipping those stored before (same profile, served at and client event
   * id: a retried batch lands in the same partition), and adds the new ones to the roll-ups, in
   * one transaction. A batch is COPYed, its roll-ups counted here (the common case: all rows
   * new); if one of its rows was stored before, the COPY fails on the unique key and the batch
   * is inserted again, skipping those, with the roll-ups counted in SQL from what was inserted.
   * Returns how many were new, by row kind.
   */
  async insert(rows: readonly ImpressionRow[]): Promise<Map<RowKind, number>> {
    const [client, release] = (await this.dataSource.driver.obtainMasterConnection()) as [PoolClient, (error?: Error) => void];
    let broken: Error | undefined;
    try {
      await client.query("BEGIN");
      let byKind: Map<RowKind, number>;
      try {
        const copied = copyInto(client, rows);
        const { sources, params } = countedSources(rows); // while Postgres takes the rows
        await copied;
        await client.query(`WITH ${addToRollups(sources, "impressions")} SELECT 1`, params);
        byKind = new Map();
        for (const r of rows) byKind.set(r.rowKind, (byKind.get(r.rowKind) ?? 0) + 1);
      } catch (error) {
        if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
        await client.query("ROLLBACK");
        await client.query("BEGIN");
        byKind = await insertNew(client, rows);
      }
      await client.query("COMMIT");
      return byKind;
    } catch (error) {
      await client.query("ROLLBACK").catch((rollbackError: Error) => (broken = rollbackError));
      throw error;
    } finally {
      release(broken);
    }
  }
}

/** COPYs the rows; resolves when Postgres has them all (the rows are sent before it returns). */
function copyInto(client: PoolClient, rows: readonly ImpressionRow[]): Promise<void> {
  const stream = client.query(copyFrom(`COPY impressions (${IMPRESSION_COLUMNS}) FROM STDIN`));
  const done = new Promise<void>((resolve, reject) => {
    stream.on("finish", resolve);
    stream.on("error", reject);
  });
  stream.end(rows.map(copyLine).join(""));
  return done;
}

/** Inserts the rows not stored before and adds them to the roll-ups, in one statement; how many were new, by row kind. */
async function insertNew(client: PoolClient, rows: readonly ImpressionRow[]): Promise<Map<RowKind, number>> {
  const col = <T>(pick: (r: ImpressionRow) => T): T[] => rows.map(pick);
  const result = await client.query<{ row_kind: RowKind; accepted: number }>(
    `WITH inserted AS (
       INSERT INTO impressions (${IMPRESSION_COLUMNS})
       SELECT * FROM unnest($1::uuid[], $2::int[], $3::timestamptz[], $4::timestamptz[], $5::surface[], $6::row_kind[], $7::smallint[], $8::smallint[],
                            $9::int[], $10::int[], $11::smallint[], $12::real[], $13::text[])
       ON CONFLICT (profile_id, served_at, client_event_id) DO NOTHING
       RETURNING profile_id, movie_id, served_at, surface, row_kind, row_position, item_position, model_id, experiment_id, arm, 1 AS n),
     ${addToRollups(groupedSources("inserted", true), "impressions")}
     SELECT row_kind, count(*)::int AS accepted FROM inserted GROUP BY row_kind`,
    [
      col((r) => r.profileId),
      col((r) => r.movieId),
      col((r) => r.servedAt),
      col((r) => r.shownAt),
      col((r) => r.surface),
      col((r) => r.rowKind),
      col((r) => r.rowPosition),
      col((r) => r.itemPosition),
      col((r) => r.modelId),
      col((r) => r.experimentId),
      col((r) => r.arm),
      col((r) => r.propensity),
      col((r) => r.clientEventId),
    ],
  );
  return new Map(result.rows.map((r) => [r.row_kind, r.accepted]));
}

/**
 * Settles impression outcomes from attributed events, in the events' transaction: the first
 * click (THUMBNAIL_CLICK or PLAY) and the first PLAY within `windowMs` of the impression being
 * shown, and the first WATCHED_FULL after a play, each counted once per impression in both
 * roll-ups. An impression logged after the event it led to is not matched (the web client
 * sends impressions first; API clients should too).
 */
export async function settleImpressionOutcomes(db: Queryable, events: readonly AttributedEvent[], windowMs: number): Promise<void> {
  const relevant = events.filter((e) => e.type === InteractionType.THUMBNAIL_CLICK || e.type === InteractionType.PLAY || e.type === InteractionType.WATCHED_FULL);
  if (relevant.length === 0) return;
  const outcomes: { column: "clicked_at" | "played_at" | "watched_full_at"; rollup: "clicks" | "plays" | "watched_full"; types: InteractionType[]; condition: string }[] = [
    { column: "clicked_at", rollup: "clicks", types: [InteractionType.THUMBNAIL_CLICK, InteractionType.PLAY], condition: `e.at <= i.shown_at + $6::float8 * interval '1 millisecond'` },
    { column: "played_at", rollup: "plays", types: [InteractionType.PLAY], condition: `e.at <= i.shown_at + $6::float8 * interval '1 millisecond'` },
    { column: "watched_full_at", rollup: "watched_full", types: [InteractionType.WATCHED_FULL], condition: `i.played_at IS NOT NULL` },
  ];
  for (const outcome of outcomes) {
    const matching = relevant.filter((e) => outcome.types.includes(e.type));
    if (matching.length === 0) continue;
    const col = <T>(pick: (e: AttributedEvent) => T): T[] => matching.map(pick);
    await db.query(
      `WITH e AS (
         SELECT profile_id, movie_id, served_at, row_position, min(at) AS at
           FROM unnest($1::uuid[], $2::int[], $3::timestamptz[], $4::smallint[], $5::timestamptz[]) AS t(profile_id, movie_id, served_at, row_position, at)
          GROUP BY 1, 2, 3, 4),
       settled AS (
         UPDATE impressions i SET ${outcome.column} = e.at
           FROM e
          WHERE i.profile_id = e.profile_id AND i.served_at = e.served_at AND i.movie_id = e.movie_id AND i.row_position = e.row_position
            AND i.${outcome.column} IS NULL AND e.at >= i.served_at AND ${outcome.condition}
          RETURNING i.profile_id, i.movie_id, i.served_at, i.surface, i.row_kind, i.row_position, i.item_position, i.model_id, i.experiment_id, i.arm, 1 AS n),
       ${addToRollups(groupedSources("settled", outcome.rollup === "clicks"), outcome.rollup)}
       SELECT count(*) FROM settled`,
      [
        col((e) => e.profileId),
        col((e) => e.movieId),
        col((e) => e.servedAt),
        col((e) => e.rowPosition),
        col((e) => e.occurredAt),
        ...(outcome.condition.includes("$6") ? [windowMs] : []),
      ],
    );
  }
}
