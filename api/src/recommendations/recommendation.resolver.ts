import { Args, Ctx, Query, Resolver } from "type-graphql";
import { actingProfile } from "../auth/viewer";
import type { GraphQLContext } from "../graphql/context";
import type { RecommendationProvider } from "./recommendation.service";
import { RecommendationsArgs } from "./recommendations.args";
import { RecommendedMovie } from "./recommended-movie.type";

@Resolver(() => RecommendedMovie)
export class RecommendationResolver {
  constructor(private readonly recommender: RecommendationProvider) {}

  @Query(() => [RecommendedMovie], { description: "Titles for this viewer, best first (Top picks)." })
  recommendations(@Args(() => RecommendationsArgs) { profileId, first, filter }: RecommendationsArgs, @Ctx() { viewer }: GraphQLContext): Promise<RecommendedMovie[]> {
    return this.recommender.recommend(actingProfile(viewer, profileId), { first: first ?? 10, filter });
  }
}
