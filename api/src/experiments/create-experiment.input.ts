import { GraphQLJSONObject } from "graphql-scalars";
import { Field, InputType, Int } from "type-graphql";
import { Surface } from "../recommendations/surface";
import { ExperimentMetric } from "./experiment-status";

@InputType({ description: "One arm: pin a model (modelId), or an algorithm (a model of it is pinned at start), or neither (it follows the active model)." })
export class ExperimentArmInput {
  @Field(() => String)
  name: string;

  @Field(() => Boolean, { defaultValue: false, description: "Exactly one arm is the control." })
  control: boolean;

  @Field(() => Int, { nullable: true })
  modelId?: number | null;

  @Field(() => String, { nullable: true })
  algorithm?: string | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: "Row settings to override, e.g. { explorationRate: 0, discountShows: 0 }." })
  settings?: Record<string, unknown> | null;

  @Field(() => Int, { description: "Percent of the experiment's viewers (the arms' shares sum to 100)." })
  share: number;
}

@InputType()
export class CreateExperimentInput {
  @Field(() => String)
  name: string;

  @Field(() => Surface)
  surface: Surface;

  @Field(() => Int, { defaultValue: 100, description: "Percent of all viewers in the experiment (1..100)." })
  trafficPercent: number;

  @Field(() => ExperimentMetric, { defaultValue: ExperimentMetric.PLAY_RATE })
  primaryMetric: ExperimentMetric;

  @Field(() => [ExperimentArmInput])
  arms: ExperimentArmInput[];
}
