import { Arg, Ctx, Query, Resolver } from "type-graphql";
import { requireAdmin } from "../auth/viewer";
import type { GraphQLContext } from "../graphql/context";
import { MetricDimension } from "./metric-dimension";
import { OnlineMetricRow } from "./online-metric-row.type";
import type { OnlineMetricsService } from "./online-metrics.service";

@Resolver()
export class OnlineMetricsResolver {
  constructor(private readonly service: OnlineMetricsService) {}

  @Query(() => [OnlineMetricRow], {
    description:
      "Admin: impressions, viewers, clicks, plays and finishes with CTR, play rate and watch-through (95 % Wilson intervals), by the dimensions in `groupBy` (none: one row), " +
      "for impressions served in [since, until) (default: the 7 days before now; hour resolution).",
  })
  onlineMetrics(
    @Arg("since", () => Date, { nullable: true }) since: Date | null | undefined,
    @Arg("until", () => Date, { nullable: true }) until: Date | null | undefined,
    @Arg("groupBy", () => [MetricDimension]) groupBy: MetricDimension[],
    @Ctx() { viewer }: GraphQLContext,
  ): Promise<OnlineMetricRow[]> {
    requireAdmin(viewer, "onlineMetrics");
    return this.service.metrics(since, until, groupBy);
  }
}
