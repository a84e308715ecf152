import { IsOptional, Max, Min } from "class-validator";
import { GraphQLJSONObject } from "graphql-scalars";
import { Arg, Args, ArgsType, Ctx, Field, Int, Mutation, Query, Resolver } from "type-graphql";
import { requireAdmin } from "../auth/viewer";
import type { GraphQLContext } from "../graphql/context";
import { ModelRecord } from "./model-record.entity";
import type { ModelService } from "./model.service";

@ArgsType()
class ModelsArgs {
  @Field(() => Int, { nullable: true, defaultValue: 20, description: "How many, newest first (1..100)." })
  @IsOptional()
  @Min(1)
  @Max(100)
  first?: number | null;
}

@Resolver(() => ModelRecord)
export class ModelResolver {
  constructor(private readonly modelService: ModelService) {}

  @Query(() => [ModelRecord], { description: "Admin: training history, newest first, with parameters, validation metrics and outcome." })
  models(@Args(() => ModelsArgs) { first }: ModelsArgs, @Ctx() { viewer }: GraphQLContext): Promise<ModelRecord[]> {
    requireAdmin(viewer, "models");
    return this.modelService.history(first ?? 20);
  }

  @Query(() => ModelRecord, { nullable: true, description: "The model serving this API process (null before the first training)." })
  activeModel(): ModelRecord | null {
    return this.modelService.serving();
  }

  @Mutation(() => ModelRecord, {
    description: "Trains a new model now (in a separate process; serving continues) and returns its row: ACTIVE, REJECTED (worse on validation) or FAILED.",
  })
  trainModel(
    @Arg("algorithm", () => String, { nullable: true, description: "Top picks algorithm: auto, ease, ials, itemknn, userknn, hybrid, popular..." }) algorithm: string | null | undefined,
    @Arg("params", () => GraphQLJSONObject, { nullable: true, description: "Its parameters (defaults otherwise)." }) params: Record<string, unknown> | null | undefined,
    @Ctx() { viewer }: GraphQLContext,
  ): Promise<ModelRecord> {
    requireAdmin(viewer, "trainModel");
    return this.modelService.train(algorithm ?? "auto", params ?? {});
  }
}
