import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { ImpressionInput, ImpressionReceipt } from "./impression.input";
import type { ImpressionService } from "./impression.service";

@Resolver()
export class ImpressionResolver {
  constructor(private readonly impressions: ImpressionService) {}

  @Mutation(() => ImpressionReceipt, {
    description:
      "Logs up to 5,000 impressions (titles that were on screen), each by the recommendationId it was served with; idempotent by clientEventId per profile. A malformed or forged id fails the batch (BAD_USER_INPUT, extensions.index); another profile's id is FORBIDDEN.",
  })
  logImpressions(@Arg("inputs", () => [ImpressionInput], { validate: false }) inputs: ImpressionInput[], @Ctx() { viewer }: GraphQLContext): Promise<ImpressionReceipt> {
    return this.impressions.log(viewer, inputs);
  }
}
