import type { DataSource } from "typeorm";

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

interface HistoryRow {
  movie_id: number | null;
  score: number;
  watched_full: boolean;
  disliked: boolean;
  closes: number;
  plays: number;
  max_progress: number | null;
  last_event_at: Date;
}

/** The home path's only database read: a viewer's current scores, one indexed read. */
export class ViewerHistoryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The viewer's rows of interaction_scores (none for a new viewer), or null when no profile has this id. */
  async read(profileId: string): Promise<HistoryEntry[] | null> {
    const rows: HistoryRow[] = await this.dataSource.query(
      `SELECT s.movie_id, s.score, s.watched_full, s.disliked, s.closes, s.plays, s.max_progress, s.last_event_at
         FROM profiles p LEFT JOIN interaction_scores s ON s.profile_id = p.id
        WHERE p.id = $1`,
      [profileId],
    );
    if (rows.length === 0) return null;
    const entries: HistoryEntry[] = [];
    for (const r of rows) {
      if (r.movie_id === null) continue;
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
    return entries;
  }
}
