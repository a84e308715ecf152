import { GraphQLJSONObject } from "graphql-scalars";
import { Field, ID, Int, ObjectType } from "type-graphql";
import { Surface } from "../recommendations/surface";
import { ExperimentMetric, ExperimentStatus } from "./experiment-status";

/** One arm as stored (experiments.arms[i]); its index in the array is the arm index in serving ids. */
export interface StoredArm {
  readonly name: string;
  readonly control: boolean;
  readonly share: number;
  readonly modelId: number | null;
  readonly algorithm: string | null;
  readonly settings: Record<string, unknown>;
  /** The model an algorithm arm was pinned to when the experiment started (modelId arms: the same id). */
  readonly pinnedModelId: number | null;
}

@ObjectType({ description: "One arm of an experiment: what its viewers are served." })
export class ExperimentArm {
  @Field(() => String)
  name: string;

  @Field(() => Boolean, { description: "The arm the others are compared with (exactly one per experiment)." })
  control: boolean;

  @Field(() => Int, { description: "Percent of the experiment's viewers in this arm." })
  share: number;

  @Field(() => Int, { nullable: true, description: "The model this arm pins (kept loaded while the experiment runs)." })
  modelId: number | null;

  @Field(() => String, { nullable: true, description: "The algorithm this arm serves: a model of it is taken (the newest stored) or trained at start, and pinned." })
  algorithm: string | null;

  @Field(() => Int, { nullable: true, description: "The model the arm serves while running: modelId, the model pinned for its algorithm at start, or null (it follows the active model)." })
  pinnedModelId: number | null;

  @Field(() => GraphQLJSONObject, { description: "Row settings this arm overrides (e.g. explorationRate)." })
  settings: Record<string, unknown>;
}

@ObjectType({ description: "An A/B test of one surface's serving; one runs per surface at a time." })
export class Experiment {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  name: string;

  @Field(() => Surface)
  surface: Surface;

  @Field(() => ExperimentStatus)
  status: ExperimentStatus;

  @Field(() => Int, { description: "Percent of all viewers in the experiment; the others get the default serving." })
  trafficPercent: number;

  @Field(() => ExperimentMetric)
  primaryMetric: ExperimentMetric;

  @Field(() => [ExperimentArm])
  arms: ExperimentArm[];

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  startedAt: Date | null;

  @Field(() => Date, { nullable: true })
  stoppedAt: Date | null;

  @Field(() => String, { nullable: true, description: "Why it stopped: by an admin, or which guardrail an arm broke." })
  stopReason: string | null;

  /** Keys the viewer hash (not exposed). */
  salt: string;
}
