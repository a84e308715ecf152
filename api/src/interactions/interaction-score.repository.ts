import type { DataSource } from "typeorm";
import { pgArray, type ArrayElement } from "../database/pg-array";
import type { ScoreDelta } from "./score-aggregation";

/** Anything that runs SQL and returns rows: an EntityManager, a query runner, a wrapped pg client. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** The columns of `interaction_scores` that events determine, in the order the statements below write them. */
export const SCORE_COLUMNS = `profile_id, movie_id, score, event_count, thumbnail_clicks, plays, watched_full_count, skips, closes,
  likes, dislikes, list_adds, max_progress, last_event_at, watched_full, liked, disliked, in_list, thumb_at, thumb_event_id, updated_at`;

/**
 * SCORE_COLUMNS for each (profile, movie) group of events `i`, from scratch: how a rebuild and a
 * bulk import fold events. `weight` is the SQL of an event's weight. The latest thumb by client
 * time, then id, decides liked/disliked.
 */
export function scoreAggregates(weight: string): string {
  const latestThumb = (of: string) => `(array_agg(${of} ORDER BY i.occurred_at DESC, i.id DESC) FILTER (WHERE i.type IN ('LIKE', 'DISLIKE')))[1]`;
  return `i.profile_id, i.movie_id, sum(${weight}), count(*),
    count(*) FILTER (WHERE i.type = 'THUMBNAIL_CLICK'), count(*) FILTER (WHERE i.type = 'PLAY'),
    count(*) FILTER (WHERE i.type = 'WATCHED_FULL'), count(*) FILTER (WHERE i.type = 'SKIPPED'),
    count(*) FILTER (WHERE i.type = 'CLOSED'), count(*) FILTER (WHERE i.type = 'LIKE'),
    count(*) FILTER (WHERE i.type = 'DISLIKE'), count(*) FILTER (WHERE i.type = 'ADD_TO_LIST'),
    max(i.progress), max(i.occurred_at), bool_or(i.type = 'WATCHED_FULL'),
    coalesce(${latestThumb("i.type")} = 'LIKE', false), coalesce(${latestThumb("i.type")} = 'DISLIKE', false),
    bool_or(i.type = 'ADD_TO_LIST'), ${latestThumb("i.occurred_at")}, ${latestThumb("i.id")}, now()`;
}

/** The incoming thumb is later (client time, then event id) than the stored one, or there was none. */
const NEWER_THUMB = `EXCLUDED.thumb_at IS NOT NULL AND (s.thumb_at IS NULL OR (EXCLUDED.thumb_at, EXCLUDED.thumb_event_id) > (s.thumb_at, s.thumb_event_id))`;

/**
 * How a pair's new events fold into its existing row: counts add up, progress and time take the
 * maximum, a finished title stays finished, and the thumb latest by client time wins (whatever
 * order the events arrive in, so the row is what a rebuild gives). The one definition of score
 * merging, shared by live logging and bulk import (rebuild computes the same from scratch).
 */
export const SCORE_MERGE = `ON CONFLICT (profile_id, movie_id) DO UPDATE SET
  score = s.score + EXCLUDED.score,
  event_count = s.event_count + EXCLUDED.event_count,
  thumbnail_clicks = s.thumbnail_clicks + EXCLUDED.thumbnail_clicks,
  plays = s.plays + EXCLUDED.plays,
  watched_full_count = s.watched_full_count + EXCLUDED.watched_full_count,
  skips = s.skips + EXCLUDED.skips,
  closes = s.closes + EXCLUDED.closes,
  likes = s.likes + EXCLUDED.likes,
  dislikes = s.dislikes + EXCLUDED.dislikes,
  list_adds = s.list_adds + EXCLUDED.list_adds,
  max_progress = GREATEST(s.max_progress, EXCLUDED.max_progress),
  last_event_at = GREATEST(s.last_event_at, EXCLUDED.last_event_at),
  watched_full = s.watched_full OR EXCLUDED.watched_full,
  liked = CASE WHEN ${NEWER_THUMB} THEN EXCLUDED.liked ELSE s.liked END,
  disliked = CASE WHEN ${NEWER_THUMB} THEN EXCLUDED.disliked ELSE s.disliked END,
  thumb_at = CASE WHEN ${NEWER_THUMB} THEN EXCLUDED.thumb_at ELSE s.thumb_at END,
  thumb_event_id = CASE WHEN ${NEWER_THUMB} THEN EXCLUDED.thumb_event_id ELSE s.thumb_event_id END,
  in_list = s.in_list OR EXCLUDED.in_list,
  updated_at = now()`;

/**
 * Applies a batch's deltas to `interaction_scores` in ONE statement (unnest of column arrays),
 * inside the caller's transaction. Counts and scores add up; flags only turn on, except the
 * thumbs, where the batch's latest thumb replaces the stored one if it is later.
 */
export async function upsertScoreDeltas(db: Queryable, deltas: readonly ScoreDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  const column = (pick: (d: ScoreDelta) => ArrayElement, safe = false): string => pgArray(deltas.map(pick), safe);
  await db.query(
    `INSERT INTO interaction_scores AS s (${SCORE_COLUMNS})
     SELECT d.*, now() FROM unnest($1::uuid[], $2::int[], $3::real[], $4::int[], $5::int[], $6::int[], $7::int[],
       $8::int[], $9::int[], $10::int[], $11::int[], $12::int[], $13::real[], $14::timestamptz[], $15::bool[],
       $16::bool[], $17::bool[], $18::bool[], $19::timestamptz[], $20::bigint[]) AS d
     ${SCORE_MERGE}`,
    [
      column((d) => d.profileId, true),
      column((d) => d.movieId),
      column((d) => d.score),
      column((d) => d.eventCount),
      column((d) => d.thumbnailClicks),
      column((d) => d.plays),
      column((d) => d.watchedFullCount),
      column((d) => d.skips),
      column((d) => d.closes),
      column((d) => d.likes),
      column((d) => d.dislikes),
      column((d) => d.listAdds),
      column((d) => d.maxProgress),
      column((d) => d.lastEventAt),
      column((d) => d.watchedFull),
      column((d) => d.thumb === "LIKE"),
      column((d) => d.thumb === "DISLIKE"),
      column((d) => d.inList),
      column((d) => d.thumbAt),
      column((d) => d.thumbEventId),
    ],
  );
}

export interface RebuildResult {
  readonly pairs: number;
  /** Events read from the log. */
  readonly events: number;
  /** Events of partitions that retention dropped, counted through `interaction_scores_archived`. */
  readonly archivedEvents: number;
  readonly millis: number;
}

/** A pair's score from its per-kind counts and the weights now in `event_weights` (`a`: the counts' row). */
const SCORE_FROM_COUNTS = `(a.thumbnail_clicks * w.thumbnail_click + a.plays * w.play + a.watched_full_count * w.watched_full + a.skips * w.skipped
  + a.closes * w.closed + a.likes * w."like" + a.dislikes * w.dislike + a.list_adds * w.add_to_list)::real`;
const WEIGHTS_ROW = `(SELECT ${["THUMBNAIL_CLICK", "PLAY", "WATCHED_FULL", "SKIPPED", "CLOSED", "LIKE", "DISLIKE", "ADD_TO_LIST"]
  .map((type) => `coalesce(max(weight::float8) FILTER (WHERE type = '${type}'), 0) AS "${type.toLowerCase()}"`)
  .join(", ")} FROM event_weights) w`;

/**
 * Recomputes the whole score matrix with the weights now in `event_weights` (weights changed:
 * rebuild): from the events still in `interactions`, merged with `interaction_scores_archived`
 * (the aggregates of the months retention dropped, scored from their per-kind counts), so a
 * rebuild after a drop gives what it gave before. Set-based, in one transaction; ingest and
 * retention wait on the SHARE locks meanwhile, so no event is counted twice or lost. The latest
 * thumb by client time (then id) decides liked/disliked.
 */
export function rebuildInteractionScores(dataSource: DataSource): Promise<RebuildResult> {
  return dataSource.transaction((manager) => rebuildInteractionScoresIn(manager));
}

/** The rebuild inside the caller's open transaction. */
export async function rebuildInteractionScoresIn(manager: Queryable): Promise<RebuildResult> {
  const started = Date.now();
  await manager.query(`LOCK TABLE interactions, interaction_scores_archived IN SHARE MODE`);
  await manager.query(`TRUNCATE interaction_scores`);
  await manager.query(
    `INSERT INTO interaction_scores (${SCORE_COLUMNS})
     SELECT a.profile_id, a.movie_id, ${SCORE_FROM_COUNTS}, a.event_count, a.thumbnail_clicks, a.plays, a.watched_full_count, a.skips, a.closes,
            a.likes, a.dislikes, a.list_adds, a.max_progress, a.last_event_at, a.watched_full, a.liked, a.disliked, a.in_list, a.thumb_at, a.thumb_event_id, now()
     FROM interaction_scores_archived a CROSS JOIN ${WEIGHTS_ROW}`,
  );
  await manager.query(
    `INSERT INTO interaction_scores AS s (${SCORE_COLUMNS})
     SELECT ${scoreAggregates("w.weight")}
     FROM interactions i JOIN event_weights w ON w.type = i.type
     GROUP BY i.profile_id, i.movie_id
     ${SCORE_MERGE}`,
  );
  const [counts] = (await manager.query(
    `SELECT (SELECT count(*)::int FROM interaction_scores) AS pairs, (SELECT count(*)::int FROM interactions) AS events,
            (SELECT coalesce(sum(event_count), 0)::int FROM interaction_scores_archived) AS "archivedEvents"`,
  )) as { pairs: number; events: number; archivedEvents: number }[];
  return { ...counts, millis: Date.now() - started };
}
