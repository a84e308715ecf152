import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import { requireAdmin } from "../auth/viewer";
import type { GraphQLContext } from "../graphql/context";
import { ArmResult } from "./arm-result.type";
import { CreateExperimentInput } from "./create-experiment.input";
import { Experiment } from "./experiment.type";
import type { ExperimentService } from "./experiment.service";

@Resolver(() => Experiment)
export class ExperimentResolver {
  constructor(private readonly service: ExperimentService) {}

  @Query(() => [Experiment], { description: "Admin: every experiment, newest first." })
  experiments(@Ctx() { viewer }: GraphQLContext): Promise<Experiment[]> {
    requireAdmin(viewer, "experiments");
    return this.service.list();
  }

  @Query(() => [ArmResult], { description: "Admin: an experiment's results per arm, against its control (see ArmResult for the statistics)." })
  experimentResults(@Arg("id", () => ID) id: string, @Ctx() { viewer }: GraphQLContext): Promise<ArmResult[]> {
    requireAdmin(viewer, "experimentResults");
    return this.service.results(id);
  }

  @Mutation(() => Experiment, { description: "Admin: a new experiment (DRAFT). Refused, changing nothing, for an unknown model or algorithm, shares not summing to 100, or not exactly one control." })
  createExperiment(@Arg("input", () => CreateExperimentInput) input: CreateExperimentInput, @Ctx() { viewer }: GraphQLContext): Promise<Experiment> {
    requireAdmin(viewer, "createExperiment");
    return this.service.create(input);
  }

  @Mutation(() => Experiment, { description: "Admin: starts a DRAFT experiment (one runs per surface; a stopped one never restarts). Algorithm arms are pinned to a model now." })
  startExperiment(@Arg("id", () => ID) id: string, @Ctx() { viewer }: GraphQLContext): Promise<Experiment> {
    requireAdmin(viewer, "startExperiment");
    return this.service.start(id);
  }

  @Mutation(() => Experiment, { description: "Admin: stops an experiment; its viewers get the default serving again." })
  stopExperiment(@Arg("id", () => ID) id: string, @Ctx() { viewer }: GraphQLContext): Promise<Experiment> {
    requireAdmin(viewer, "stopExperiment");
    return this.service.stop(id);
  }
}
