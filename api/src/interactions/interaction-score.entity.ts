import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from "typeorm";
import { Movie } from "../movies/movie.entity";
import { Profile } from "../profiles/profile.entity";

/**
 * The score matrix: one row per (profile, movie), maintained by upsert in the same transaction
 * as each event insert, and rebuildable from `interactions` (rebuildScores). The engine loads
 * it row by row; a viewer's current history is one indexed read.
 */
@Entity({ name: "interaction_scores" })
@Index("interaction_scores_movie_idx", ["movieId"])
export class InteractionScore {
  @PrimaryColumn({ name: "profile_id", type: "uuid", primaryKeyConstraintName: "interaction_scores_pkey" })
  profileId: string;

  @ManyToOne(() => Profile, { onDelete: "CASCADE" })
  @JoinColumn({ name: "profile_id", foreignKeyConstraintName: "interaction_scores_profile_fk" })
  profile?: Profile;

  @PrimaryColumn({ name: "movie_id", type: "integer", primaryKeyConstraintName: "interaction_scores_pkey" })
  movieId: number;

  @ManyToOne(() => Movie, { onDelete: "CASCADE" })
  @JoinColumn({ name: "movie_id", foreignKeyConstraintName: "interaction_scores_movie_fk" })
  movie?: Movie;

  /** Sum of event weights (DISLIKE is negative). */
  @Column({ type: "real" })
  score: number;

  @Column({ name: "event_count", type: "integer" })
  eventCount: number;

  @Column({ name: "thumbnail_clicks", type: "integer" })
  thumbnailClicks: number;

  @Column({ type: "integer" })
  plays: number;

  @Column({ name: "watched_full_count", type: "integer" })
  watchedFullCount: number;

  @Column({ type: "integer" })
  skips: number;

  @Column({ type: "integer" })
  closes: number;

  @Column({ type: "integer" })
  likes: number;

  @Column({ type: "integer" })
  dislikes: number;

  @Column({ name: "list_adds", type: "integer" })
  listAdds: number;

  @Column({ name: "max_progress", type: "real", nullable: true })
  maxProgress: number | null;

  @Column({ name: "last_event_at", type: "timestamptz" })
  lastEventAt: Date;

  @Column({ name: "watched_full", type: "boolean" })
  watchedFull: boolean;

  /** Latest thumb (by client time, then id) wins: LIKE sets liked and clears disliked, DISLIKE the reverse. */
  @Column({ type: "boolean" })
  liked: boolean;

  @Column({ type: "boolean" })
  disliked: boolean;

  @Column({ name: "in_list", type: "boolean" })
  inList: boolean;

  /** Client time of the thumb in force (null: no thumb yet); a thumb older than this never replaces it. */
  @Column({ name: "thumb_at", type: "timestamptz", nullable: true })
  thumbAt: Date | null;

  /** Id of the event that set the thumb in force: the tie-break between thumbs of the same time. */
  @Column({ name: "thumb_event_id", type: "bigint", nullable: true })
  thumbEventId: string | null;

  @Column({ name: "updated_at", type: "timestamptz", default: () => "now()" })
  updatedAt: Date;
}
