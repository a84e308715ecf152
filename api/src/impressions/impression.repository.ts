import type { DataSource } from "typeorm";
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

/**
 * Adds the counts of `source` (a CTE with impression columns and a `n` column) to the roll-ups
 * (per slot, per viewer, and for impressions and clicks per title), in key order (concurrent
 * writers then lock shared roll-up rows in the same order).
 */
function addToRollups(source: string, column: "impressions" | "clicks" | "plays" | "watched_full"): string {
  const perTitle =
    column === "impressions" || column === "clicks"
      ? `,
  title_rollup AS (
    INSERT INTO impression_title_rollups (day, movie_id, ${column})
    SELECT (served_at AT TIME ZONE 'UTC')::date, movie_id, sum(n) FROM ${source} GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (day, movie_id) DO UPDATE SET ${column} = impression_title_rollups.${column} + EXCLUDED.${column})`
      : "";
  return `
  slot_rollup AS (
    INSERT INTO impression_rollups (hour, surface, row_kind, row_position, item_position, model_id, experiment_id, arm, ${column})
    SELECT ${ROLLUP_DIMS}, row_position, item_position, ${ROLLUP_TAIL}, sum(n) FROM ${source}
     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
    ON CONFLICT (hour, surface, row_kind, row_position, item_position, model_id, experiment_id, arm)
    DO UPDATE SET ${column} = impression_rollups.${column} + EXCLUDED.${column}),
  viewer_rollup AS (
    INSERT INTO impression_viewer_rollups (hour, surface, row_kind, profile_id, model_id, experiment_id, arm, ${column})
    SELECT ${ROLLUP_DIMS}, profile_id, ${ROLLUP_TAIL}, sum(n) FROM ${source}
     GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (hour, surface, row_kind, profile_id, model_id, experiment_id, arm)
    DO UPDATE SET ${column} = impression_viewer_rollups.${column} + EXCLUDED.${column})${perTitle}`;
}

/** Impressions in Postgres: the only code that writes `impressions` and its roll-ups (the viewer history read counts them for discounting). */
export class ImpressionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Stores impressions, skipping those stored before (same profile, served at and client event
   * id: a retried batch lands in the same partition), and adds the new ones to the roll-ups, in
   * one statement. Returns how many were new, by row kind.
   */
  async insert(rows: readonly ImpressionRow[]): Promise<Map<RowKind, number>> {
    const col = <T>(pick: (r: ImpressionRow) => T): T[] => rows.map(pick);
    const result = (await this.dataSource.query(
      `WITH inserted AS (
         INSERT INTO impressions (profile_id, movie_id, served_at, shown_at, surface, row_kind, row_position, item_position, model_id, experiment_id, arm, propensity, client_event_id)
         SELECT * FROM unnest($1::uuid[], $2::int[], $3::timestamptz[], $4::timestamptz[], $5::surface[], $6::row_kind[], $7::smallint[], $8::smallint[],
                              $9::int[], $10::int[], $11::smallint[], $12::real[], $13::text[])
         ON CONFLICT (profile_id, served_at, client_event_id) DO NOTHING
         RETURNING profile_id, movie_id, served_at, surface, row_kind, row_position, item_position, model_id, experiment_id, arm, 1 AS n),
       ${addToRollups("inserted", "impressions")}
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
    )) as { row_kind: RowKind; accepted: number }[];
    return new Map(result.map((r) => [r.row_kind, r.accepted]));
  }
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
       ${addToRollups("settled", outcome.rollup)}
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
