import { Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";

export enum VolumeBucket {
  HOUR = "HOUR",
  DAY = "DAY",
}

registerEnumType(VolumeBucket, { name: "VolumeBucket", description: "Width of one point of a volume series." });

@ObjectType({ description: "Events received in one time bucket." })
export class EventVolumePoint {
  @Field(() => Date, { description: "Start of the bucket (UTC)." })
  start: Date;

  @Field(() => Int)
  events: number;

  @Field(() => Int, { description: "Distinct profiles with an event in the bucket." })
  viewers: number;
}

@ObjectType({ description: "How much of the catalog and audience the serving model knows." })
export class ModelCoverage {
  @Field(() => ID)
  modelId: string;

  @Field(() => Int, { description: "Titles with a learned column in the model." })
  modelTitles: number;

  @Field(() => Int)
  catalogTitles: number;

  @Field(() => Float, { description: "modelTitles / catalogTitles, 0..1." })
  titleCoverage: number;

  @Field(() => Int, { description: "Viewers with a learned row in the model." })
  modelViewers: number;

  @Field(() => Int)
  profiles: number;

  @Field(() => Float, { description: "modelViewers / profiles, 0..1." })
  viewerCoverage: number;
}
