import type { DataSource } from "typeorm";
import type { ScoreDelta } from "./score-aggregation";

/** Anything that runs SQL and returns rows: an EntityManager, a query runner, a wrapped pg client. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/**
 * How a pair's new events fold into its existing row: counts add up, progress and time take the
 * maximum, a finished title stays finished, and the latest thumb wins. The one definition of
 * score merging, shared by live logging and bulk import (rebuild computes the same from scratch).
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
  liked = CASE WHEN EXCLUDED.liked OR EXCLUDED.disliked THEN EXCLUDED.liked ELSE s.liked END,
  disliked = CASE WHEN EXCLUDED.liked OR EXCLUDED.disliked THEN EXCLUDED.disliked ELSE s.disliked END,
  in_list = s.in_list OR EXCLUDED.in_list,
  updated_at = now()`;

/**
 * Applies a batch's deltas to `interaction_scores` in ONE statement (unnest of column arrays),
 * inside the caller's transaction. Counts and scores add up; flags only turn on, except the
 * thumbs, where the batch's latest thumb replaces the stored one.
 */
export async function upsertScoreDeltas(db: Queryable, deltas: readonly ScoreDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  const column = <T>(pick: (d: ScoreDelta) => T): T[] => deltas.map(pick);
  await db.query(
    `INSERT INTO interaction_scores AS s (profile_id, movie_id, score, event_count, thumbnail_clicks, plays,
       watched_full_count, skips, closes, likes, dislikes, list_adds, max_progress, last_event_at,
       watched_full, liked, disliked, in_list, updated_at)
     SELECT d.*, now() FROM unnest($1::uuid[], $2::int[], $3::real[], $4::int[], $5::int[], $6::int[], $7::int[],
       $8::int[], $9::int[], $10::int[], $11::int[], $12::int[], $13::real[], $14::timestamptz[], $15::bool[],
       $16::bool[], $17::bool[], $18::bool[]) AS d
     ${SCORE_MERGE}`,
    [
      column((d) => d.profileId),
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
    ],
  );
}

export interface RebuildResult {
  readonly pairs: number;
  readonly events: number;
  readonly millis: number;
}

/**
 * Recomputes the whole score matrix from `interactions` with the weights now in
 * `event_weights` (weights changed: rebuild). Set-based, in one transaction; ingest waits
 * on the SHARE lock meanwhile, so no event is counted twice or lost. The latest thumb by
 * client time (then id) decides liked/disliked.
 */
export function rebuildInteractionScores(dataSource: DataSource): Promise<RebuildResult> {
  return dataSource.transaction((manager) => rebuildInteractionScoresIn(manager));
}

/** The rebuild inside the caller's open transaction. */
export async function rebuildInteractionScoresIn(manager: Queryable): Promise<RebuildResult> {
  const started = Date.now();
  {
    await manager.query(`LOCK TABLE interactions IN SHARE MODE`);
    await manager.query(`TRUNCATE interaction_scores`);
    await manager.query(
      `INSERT INTO interaction_scores (profile_id, movie_id, score, event_count, thumbnail_clicks, plays,
         watched_full_count, skips, closes, likes, dislikes, list_adds, max_progress, last_event_at,
         watched_full, liked, disliked, in_list, updated_at)
       SELECT i.profile_id, i.movie_id, sum(w.weight), count(*),
         count(*) FILTER (WHERE i.type = 'THUMBNAIL_CLICK'), count(*) FILTER (WHERE i.type = 'PLAY'),
         count(*) FILTER (WHERE i.type = 'WATCHED_FULL'), count(*) FILTER (WHERE i.type = 'SKIPPED'),
         count(*) FILTER (WHERE i.type = 'CLOSED'), count(*) FILTER (WHERE i.type = 'LIKE'),
         count(*) FILTER (WHERE i.type = 'DISLIKE'), count(*) FILTER (WHERE i.type = 'ADD_TO_LIST'),
         max(i.progress), max(i.occurred_at), bool_or(i.type = 'WATCHED_FULL'),
         coalesce((array_agg(i.type ORDER BY i.occurred_at DESC, i.id DESC) FILTER (WHERE i.type IN ('LIKE', 'DISLIKE')))[1] = 'LIKE', false),
         coalesce((array_agg(i.type ORDER BY i.occurred_at DESC, i.id DESC) FILTER (WHERE i.type IN ('LIKE', 'DISLIKE')))[1] = 'DISLIKE', false),
         bool_or(i.type = 'ADD_TO_LIST'), now()
       FROM interactions i JOIN event_weights w ON w.type = i.type
       GROUP BY i.profile_id, i.movie_id`,
    );
    const [counts] = (await manager.query(
      `SELECT (SELECT count(*)::int FROM interaction_scores) AS pairs, (SELECT count(*)::int FROM interactions) AS events`,
    )) as { pairs: number; events: number }[];
    return { pairs: counts.pairs, events: counts.events, millis: Date.now() - started };
  }
}
