import { Field, Float, ID, ObjectType } from "type-graphql";
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from "typeorm";
import { Movie } from "../movies/movie.entity";
import { Profile } from "../profiles/profile.entity";
import { RowKind } from "../recommendations/row-kind";
import { Surface } from "../recommendations/surface";
import { InteractionType } from "./interaction-type";

/**
 * One logged event; append-only. Writes go through InteractionService (raw, set-based SQL).
 * Partitioned by month of `occurred_at` (the migration declares it; TypeORM cannot), so the
 * primary key is (id, occurred_at), ids come from `interactions_id_seq` (TypeORM reads that
 * default as "increment"), and the client event ids are unique in `interaction_client_ids`.
 */
@ObjectType({ description: "One event a viewer produced, as stored." })
@Entity({ name: "interactions" })
/** (profile_id, occurred_at DESC): a viewer's recent events. DESC is in the migration; TypeORM cannot declare it. */
@Index("interactions_profile_occurred_idx", { synchronize: false })
@Check("interactions_progress_check", `"progress" IS NULL OR ("progress" >= 0 AND "progress" <= 1)`)
@Check("interactions_position_check", `"position_seconds" IS NULL OR "position_seconds" >= 0`)
@Index("interactions_received_idx", ["receivedAt"])
export class Interaction {
  /** bigint: Postgres returns it as a string, which is what GraphQL's ID wants. */
  @Field(() => ID)
  @PrimaryGeneratedColumn("increment", { type: "bigint", primaryKeyConstraintName: "interactions_pkey" })
  id: string;

  @Field(() => ID)
  @Column({ name: "profile_id", type: "uuid" })
  profileId: string;

  @ManyToOne(() => Profile, { onDelete: "CASCADE" })
  @JoinColumn({ name: "profile_id", foreignKeyConstraintName: "interactions_profile_fk" })
  profile?: Profile;

  @Field(() => ID)
  @Column({ name: "movie_id", type: "integer" })
  movieId: number;

  @ManyToOne(() => Movie, { onDelete: "CASCADE" })
  @JoinColumn({ name: "movie_id", foreignKeyConstraintName: "interactions_movie_fk" })
  movie?: Movie;

  @Field(() => InteractionType)
  @Column({ type: "enum", enum: InteractionType, enumName: "interaction_type" })
  type: InteractionType;

  @Field(() => Float, { description: "The weight of this event's type when it was logged." })
  @Column({ type: "real" })
  weight: number;

  @Field(() => Float, { nullable: true, description: "Fraction of the video watched, 0..1." })
  @Column({ type: "real", nullable: true })
  progress: number | null;

  @Field(() => Float, { nullable: true })
  @Column({ name: "position_seconds", type: "real", nullable: true })
  positionSeconds: number | null;

  @Field(() => Date, { description: "Client time of the event." })
  @PrimaryColumn({ name: "occurred_at", type: "timestamptz", primaryKeyConstraintName: "interactions_pkey" })
  occurredAt: Date;

  @Field(() => Date, { description: "Server time the event was stored." })
  @Column({ name: "received_at", type: "timestamptz", default: () => "now()" })
  receivedAt: Date;

  @Field(() => String, { nullable: true, description: "Client-chosen id, unique per profile: resending it is safe." })
  @Column({ name: "client_event_id", type: "text", nullable: true })
  clientEventId: string | null;

  // Attribution (what the event's recommendationId said; null when not from a recommended card).
  // Written by InteractionService's SQL and read by online metrics, not served as fields.
  @Column({ name: "rec_served_at", type: "timestamptz", nullable: true })
  recServedAt?: Date | null;

  @Column({ name: "rec_surface", type: "enum", enum: Surface, enumName: "surface", nullable: true })
  recSurface?: Surface | null;

  @Column({ name: "rec_row_kind", type: "enum", enum: RowKind, enumName: "row_kind", nullable: true })
  recRowKind?: RowKind | null;

  @Column({ name: "rec_row_position", type: "smallint", nullable: true })
  recRowPosition?: number | null;

  @Column({ name: "rec_item_position", type: "smallint", nullable: true })
  recItemPosition?: number | null;

  @Column({ name: "rec_model_id", type: "integer", nullable: true })
  recModelId?: number | null;

  @Column({ name: "rec_experiment_id", type: "integer", nullable: true })
  recExperimentId?: number | null;

  @Column({ name: "rec_arm", type: "smallint", nullable: true })
  recArm?: number | null;

  @Column({ name: "rec_propensity", type: "real", nullable: true })
  recPropensity?: number | null;
}
