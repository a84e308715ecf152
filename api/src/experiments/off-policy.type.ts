import { Field, Float, Int, ObjectType } from "type-graphql";

@ObjectType({
  description:
    "A candidate model's play rate on Top picks, estimated from logged explored slots before it serves (inverse propensity scoring). " +
    "Rewards are position-corrected (a position-based model fitted from the same logs), so rates read as at the frontmost explored position.",
})
export class OffPolicyEstimate {
  @Field(() => Float, { description: "IPS estimate: mean of clipped importance weight x position-corrected play." })
  ips: number;

  @Field(() => Float, { description: "IPS, 95 % normal-approximation interval, low end." })
  ipsLow: number;

  @Field(() => Float, { description: "IPS, 95 % normal-approximation interval, high end." })
  ipsHigh: number;

  @Field(() => Float, { nullable: true, description: "Self-normalised IPS: sum(w r) / sum(w); null when the model would choose none of the logged titles." })
  snips: number | null;

  @Field(() => Float, { nullable: true, description: "SNIPS, 95 % delta-method interval, low end." })
  snipsLow: number | null;

  @Field(() => Float, { nullable: true, description: "SNIPS, 95 % delta-method interval, high end." })
  snipsHigh: number | null;

  @Field(() => Float, { description: "(sum w)^2 / sum w^2: how many logged slots the estimate is worth." })
  effectiveSampleSize: number;

  @Field(() => Int, { description: "Explored Top picks slots logged in the range." })
  slots: number;

  @Field(() => Int, { description: "Importance weights clipped at MARQUEE_OPE_MAX_WEIGHT." })
  clippedWeights: number;

  @Field(() => Float, { description: "The logging policy's own play rate on those slots (raw)." })
  loggedPlayRate: number;
}
