import { GraphQLJSONObject } from "graphql-scalars";
import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { InteractionType } from "../interactions/interaction-type";
import { ModelStatus } from "./model-status";

@ObjectType({ description: "The weight of one event type in a model's scores." })
export class EventWeight {
  @Field(() => InteractionType)
  type: InteractionType;

  @Field(() => Float)
  weight: number;
}

@ObjectType({ description: "One trial of a model's hyperparameter search on the temporal hold-out." })
export class TuningTrial {
  @Field(() => GraphQLJSONObject)
  params: Record<string, unknown>;

  @Field(() => Float)
  validationNdcg10: number;

  @Field(() => Float)
  seconds: number;
}

/** One training of the recommender: what it was, how it scored, whether it serves. */
@ObjectType("RecommenderModel", { description: "A trained recommendation model (one row per training)." })
@Entity({ name: "models" })
@Index("models_created_idx", ["createdAt"])
export class ModelRecord {
  @Field(() => ID)
  @PrimaryGeneratedColumn("identity", { type: "integer", generatedIdentity: "ALWAYS" })
  id: number;

  @Field(() => String, { description: "The algorithm behind Top picks (the bundle also holds item-kNN, user-kNN, trending and popularity)." })
  @Column({ type: "text" })
  algorithm: string;

  @Field(() => GraphQLJSONObject)
  @Column({ type: "jsonb", default: () => "'{}'" })
  params: Record<string, unknown>;

  @Field(() => GraphQLJSONObject, { nullable: true, description: "Validation metrics (NDCG@10, Recall@20, ...) on a temporal hold-out of the live events." })
  @Column({ type: "jsonb", nullable: true })
  metrics: Record<string, unknown> | null;

  @Field(() => ModelStatus)
  @Column({ type: "enum", enum: ModelStatus, enumName: "model_status" })
  status: ModelStatus;

  @Field(() => String, { nullable: true, description: "Why a model was rejected or failed." })
  @Column({ name: "status_reason", type: "text", nullable: true })
  statusReason: string | null;

  @Field(() => String, { description: "The highest interaction id the model was trained on (a bigint, as a string)." })
  @Column({ name: "event_watermark", type: "bigint", default: 0 })
  eventWatermark: string;

  @Field(() => Int, { nullable: true, description: "Viewer-title pairs trained on." })
  @Column({ type: "integer", nullable: true })
  pairs: number | null;

  @Field(() => Int, { nullable: true })
  @Column({ type: "integer", nullable: true })
  viewers: number | null;

  @Field(() => Int, { nullable: true })
  @Column({ type: "integer", nullable: true })
  titles: number | null;

  @Field(() => Float, { nullable: true })
  @Column({ name: "training_seconds", type: "real", nullable: true })
  trainingSeconds: number | null;

  @Field(() => Int, { nullable: true, description: "Size of the serialized artifact in bytes." })
  @Column({ name: "size_bytes", type: "integer", nullable: true })
  sizeBytes: number | null;

  /** The serialized bundle; never selected unless asked for (it can be large). */
  @Column({ type: "bytea", nullable: true, select: false })
  artifact: Buffer | null;

  /** Event type -> weight the model's scores were built with (learned, or the hand-set ones). */
  @Column({ name: "event_weights", type: "jsonb", nullable: true })
  eventWeightMap: Record<string, number> | null;

  @Field(() => [EventWeight], {
    description: "The event weights this model was trained with and serves with: learned ones when they beat the hand-set ones on validation (see metrics.eventWeights), else the hand-set ones.",
  })
  get eventWeights(): EventWeight[] {
    return Object.entries(this.eventWeightMap ?? {})
      .map(([type, weight]) => ({ type: type as InteractionType, weight }))
      .sort((a, b) => a.type.localeCompare(b.type));
  }

  @Field(() => [TuningTrial], { description: "The hyperparameter trials of this training (none when tuning is off)." })
  @Column({ type: "jsonb", default: () => "'[]'" })
  tuning: TuningTrial[];

  @Field(() => Date)
  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ name: "trained_at", type: "timestamptz", nullable: true })
  trainedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ name: "activated_at", type: "timestamptz", nullable: true })
  activatedAt: Date | null;
}
