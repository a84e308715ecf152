import type { DataSource } from "typeorm";
import { COUNT_COLUMNS } from "./score-matrix.loader";

/** One (profile, movie) row of interaction_scores, as the viewer's history. */
export interface HistoryEntry {
  readonly movieId: number;
  readonly score: number;
  readonly watchedFull: boolean;
  readonly disliked: boolean;
  readonly closes: number;
  readonly plays: number;
  readonly maxProgress: number | null;
  readonly lastEventAt: number;
}

/** A viewer's current history, and the titles it was shown often without acting on them. */
export interface ViewerHistory {
  readonly entries: HistoryEntry[];
  /** Movie ids with at least `shows` impressions in the discount window, none followed by an event on them. */
  readonly discounted: number[];
  /**
   * Changes whenever an event reaches the viewer's scores (or a rebuild rewrites them): how many
   * rows, how many events they count, the latest row update. What caches of per-viewer work key on.
   */
  readonly watermark: string;
}

/** Impression discounting's window: impressions served since `since`, `shows` of them at least. */
export interface DiscountWindow {
  readonly since: Date;
  readonly shows: number;
}

interface HistoryRow {
  discounted: boolean;
  movie_id: number | null;
  score: number;
  watched_full: boolean;
  disliked: boolean;
  closes: number;
  plays: number;
  max_progress: number | null;
  last_event_at: Date;
  event_count: number | null;
  updated_at: Date | null;
}

/** The home path's only database read: a viewer's current scores (one indexed read) and, in the same round trip, its discounted titles. */
export class ViewerHistoryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The viewer's rows of interaction_scores (none for a new viewer), or null when no profile has
   * this id. With a discount window, also the titles it was shown at least `shows` times since
   * `since` with no event on them after those shows (a click, a play, anything resets the count).
   * With `weights` (per COUNT_COLUMNS, the serving model's), each score is recomputed from the
   * row's per-kind counts with them, so serving folds in what the model was trained on.
   */
  async read(profileId: string, discount: DiscountWindow | null, weights: readonly number[] | null = null): Promise<ViewerHistory | null> {
    const w = `$${discount ? 4 : 2}::float8[]`;
    const score = weights ? `(${COUNT_COLUMNS.map((c, i) => `s.${c} * (${w})[${i + 1}]`).join(" + ")})` : "s.score";
    const history = `SELECT false AS discounted, s.movie_id, ${score} AS score, s.watched_full, s.disliked, s.closes, s.plays, s.max_progress, s.last_event_at, s.event_count, s.updated_at
         FROM profiles p LEFT JOIN interaction_scores s ON s.profile_id = p.id
        WHERE p.id = $1`;
    const rows: HistoryRow[] = discount
      ? await this.dataSource.query(
          `${history}
           UNION ALL
           SELECT true, i.movie_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
             FROM impressions i LEFT JOIN interaction_scores s ON s.profile_id = i.profile_id AND s.movie_id = i.movie_id
            WHERE i.profile_id = $1 AND i.served_at >= $2 AND (s.last_event_at IS NULL OR i.shown_at > s.last_event_at)
            GROUP BY i.movie_id HAVING count(*) >= $3`,
          [profileId, discount.since, discount.shows, ...(weights ? [weights] : [])],
        )
      : await this.dataSource.query(history, [profileId, ...(weights ? [weights] : [])]);
    if (rows.length === 0) return null;
    const entries: HistoryEntry[] = [];
    const discounted: number[] = [];
    let events = 0;
    let updated = 0;
    for (const r of rows) {
      if (r.movie_id === null) continue;
      if (r.discounted) {
        discounted.push(Number(r.movie_id));
        continue;
      }
      events += Number(r.event_count);
      updated = Math.max(updated, r.updated_at!.getTime());
      entries.push({
        movieId: Number(r.movie_id),
        score: Number(r.score),
        watchedFull: r.watched_full,
        disliked: r.disliked,
        closes: r.closes,
        plays: r.plays,
        maxProgress: r.max_progress,
        lastEventAt: r.last_event_at.getTime(),
      });
    }
    return { entries, discounted, watermark: `${entries.length}:${events}:${updated}` };
  }
}
