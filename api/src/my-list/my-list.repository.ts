import type { Queryable } from "../interactions/interaction-score.repository";

/**
 * Puts the titles of every stored ADD_TO_LIST event on their viewers' lists (a title already on a
 * list keeps its first add). For data that arrives in bulk, such as the demo seed.
 */
export const LIST_FROM_EVENTS_SQL = `INSERT INTO my_list (profile_id, movie_id, added_at)
  SELECT profile_id, movie_id, min(occurred_at) FROM interactions WHERE type = 'ADD_TO_LIST' GROUP BY profile_id, movie_id
  ON CONFLICT DO NOTHING`;

/** The same for a batch of events just stored (inside the batch's transaction). */
export async function listAddedTitles(
  db: Queryable,
  added: readonly { profileId: string; movieId: number; occurredAt: Date }[],
): Promise<void> {
  if (added.length === 0) return;
  await db.query(
    `INSERT INTO my_list (profile_id, movie_id, added_at)
     SELECT * FROM unnest($1::uuid[], $2::int[], $3::timestamptz[]) ON CONFLICT DO NOTHING`,
    [added.map((a) => a.profileId), added.map((a) => a.movieId), added.map((a) => a.occurredAt)],
  );
}
