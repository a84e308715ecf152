import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import { actingProfile } from "../auth/viewer";
import type { GraphQLContext } from "../graphql/context";
import { Interaction } from "./interaction.entity";
import { InteractionService } from "./interaction.service";
import { LogInteractionInput } from "./log-interaction.input";

/**
 * LogInteractionInput has no class-validator decorators (InteractionService checks every element
 * and names the offending index), so class-validator would only walk up to 1,000 instances to
 * find nothing to check.
 */
const VALIDATED_BY_SERVICE = { validate: false } as const;

@Resolver(() => Interaction)
export class InteractionResolver {
  constructor(private readonly interactionService: InteractionService) {}

  @Mutation(() => Interaction, {
    description: "Stores one event and updates the viewer's scores. Resending a clientEventId returns the event stored first.",
  })
  logInteraction(@Arg("input", () => LogInteractionInput, VALIDATED_BY_SERVICE) input: LogInteractionInput, @Ctx() { viewer }: GraphQLContext): Promise<Interaction> {
    return this.interactionService.log({ ...input, profileId: actingProfile(viewer, input.profileId) });
  }

  @Mutation(() => [Interaction], {
    description: "Stores up to 1,000 events in one transaction: all or nothing. An error names the offending element (extensions.index).",
  })
  logInteractions(@Arg("inputs", () => [LogInteractionInput], VALIDATED_BY_SERVICE) inputs: LogInteractionInput[], @Ctx() { viewer }: GraphQLContext): Promise<Interaction[]> {
    return this.interactionService.logBatch(inputs.map((input, index) => ({ ...input, profileId: actingProfile(viewer, input.profileId, { index }) })));
  }
}
