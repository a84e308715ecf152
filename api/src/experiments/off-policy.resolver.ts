import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";
import { requireAdmin } from "../auth/viewer";
import type { GraphQLContext } from "../graphql/context";
import type { OffPolicyService } from "./off-policy.service";
import { OffPolicyEstimate } from "./off-policy.type";

@Resolver()
export class OffPolicyResolver {
  constructor(private readonly service: OffPolicyService) {}

  @Query(() => OffPolicyEstimate, {
    description:
      "Admin: a candidate model's Top picks play rate estimated from the explored slots served in [since, until) (default: the 7 days before now), before it serves: " +
      "IPS and self-normalised IPS with 95 % intervals and the effective sample size. Target policy approximated as the model's top k (k = row size), 1/k per title.",
  })
  offPolicyEstimate(
    @Arg("modelId", () => ID) modelId: string,
    @Arg("since", () => Date, { nullable: true }) since: Date | null | undefined,
    @Arg("until", () => Date, { nullable: true }) until: Date | null | undefined,
    @Ctx() { viewer }: GraphQLContext,
  ): Promise<OffPolicyEstimate> {
    requireAdmin(viewer, "offPolicyEstimate");
    return this.service.estimate(modelId, since, until);
  }
}
