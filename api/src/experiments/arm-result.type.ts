import { Field, Float, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "The difference of an arm from control at one moment: what the results chart draws." })
export class ArmResultPoint {
  @Field(() => Date, { description: "The end of the hour the figures count up to." })
  at: Date;

  @Field(() => Int, { description: "Viewers in the arm up to then." })
  viewers: number;

  @Field(() => Float, { nullable: true })
  difference: number | null;

  @Field(() => Float, { nullable: true })
  differenceLow: number | null;

  @Field(() => Float, { nullable: true })
  differenceHigh: number | null;

  @Field(() => Float, { nullable: true, description: "The always-valid (mSPRT) p-value up to then." })
  alwaysValidPValue: number | null;
}

@ObjectType({
  description:
    "One arm's results. Rates per impression with 95 % Wilson intervals (ctr, playRate; watchThroughRate per play). Against control, on the primary metric: " +
    "statistics per viewer (viewers are what is randomised), the ratio's variance by the delta method; difference = arm - control with its 95 % interval and " +
    "fixed-horizon two-sided pValue (valid if read once), and alwaysValidPValue, an mSPRT (normal mixture) p-value that stays valid however often it is looked at: decide on that one.",
})
export class ArmResult {
  @Field(() => String)
  arm: string;

  @Field(() => Int, { description: "The arm's index (the ARM of onlineMetrics and of serving ids)." })
  armIndex: number;

  @Field(() => Boolean)
  control: boolean;

  @Field(() => Int, { description: "Viewers of the arm with at least one impression." })
  viewers: number;

  @Field(() => Int)
  impressions: number;

  @Field(() => Int)
  clicks: number;

  @Field(() => Int)
  plays: number;

  @Field(() => Int)
  watchedFull: number;

  @Field(() => Float)
  ctr: number;
  @Field(() => Float)
  ctrLow: number;
  @Field(() => Float)
  ctrHigh: number;

  @Field(() => Float)
  playRate: number;
  @Field(() => Float)
  playRateLow: number;
  @Field(() => Float)
  playRateHigh: number;

  @Field(() => Float)
  watchThroughRate: number;
  @Field(() => Float)
  watchThroughRateLow: number;
  @Field(() => Float)
  watchThroughRateHigh: number;

  @Field(() => Float, { description: "The primary metric (sum over viewers / sum over viewers)." })
  primaryRate: number;

  @Field(() => Float, { nullable: true, description: "Primary metric, this arm minus control (null for control, and while either arm has fewer than two viewers)." })
  difference: number | null;

  @Field(() => Float, { nullable: true })
  differenceLow: number | null;

  @Field(() => Float, { nullable: true })
  differenceHigh: number | null;

  @Field(() => Float, { nullable: true, description: "Fixed-horizon two-sided p-value (per viewer, delta method): only valid if the experiment is read once." })
  pValue: number | null;

  @Field(() => Float, { nullable: true, description: "Always-valid p-value (mSPRT over the hourly looks): valid at any time, however often looked at." })
  alwaysValidPValue: number | null;

  @Field(() => [ArmResultPoint], { description: "Hour by hour (cumulative), for the chart of the difference over time; empty for control." })
  history: ArmResultPoint[];
}
