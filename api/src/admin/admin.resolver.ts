import { Arg, Ctx, Query, Resolver } from "type-graphql";
import { requireAdmin } from "../auth/viewer";
import type { GraphQLContext } from "../graphql/context";
import { EventWeight } from "../models/model-record.entity";
import type { AdminService } from "./admin.service";
import { EventVolumePoint, ModelCoverage, VolumeBucket } from "./admin.types";

/** Admin-only reads for the operators' page (model history is the `models` query). */
@Resolver()
export class AdminResolver {
  constructor(private readonly adminService: AdminService) {}

  @Query(() => [EventVolumePoint], { description: "Admin: events received per hour or day since `since` (default 48 hours / 30 days), gaps as zeros." })
  eventVolume(
    @Arg("bucket", () => VolumeBucket) bucket: VolumeBucket,
    @Arg("since", () => Date, { nullable: true }) since: Date | null | undefined,
    @Ctx() { viewer }: GraphQLContext,
  ): Promise<EventVolumePoint[]> {
    requireAdmin(viewer, "eventVolume");
    return this.adminService.eventVolume(bucket, since);
  }

  @Query(() => [EventWeight], { description: "Admin: the hand-set event weights (table event_weights), which a model's learned eventWeights are compared with." })
  handSetEventWeights(@Ctx() { viewer }: GraphQLContext): Promise<EventWeight[]> {
    requireAdmin(viewer, "handSetEventWeights");
    return this.adminService.handSetEventWeights();
  }

  @Query(() => ModelCoverage, { nullable: true, description: "Admin: share of the catalog and of the profiles the serving model covers (null before the first model)." })
  modelCoverage(@Ctx() { viewer }: GraphQLContext): Promise<ModelCoverage | null> {
    requireAdmin(viewer, "modelCoverage");
    return this.adminService.coverage();
  }
}
