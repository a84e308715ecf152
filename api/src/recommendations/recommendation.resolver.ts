import { Args, Query, Resolver } from "type-graphql";
import type { RecommendationProvider } from "./recommendation.service";
import { RecommendationsArgs } from "./recommendations.args";
import { RecommendedMovie } from "./recommended-movie.type";

@Resolver(() => RecommendedMovie)
export class RecommendationResolver {
  constructor(private readonly recommender: RecommendationProvider) {}

  @Query(() => [RecommendedMovie], { description: "Titles for this viewer, best first (Top picks)." })
  recommendations(@Args(() => RecommendationsArgs) { profileId, first, filter }: RecommendationsArgs): Promise<RecommendedMovie[]> {
    return this.recommender.recommend(profileId, { first: first ?? 10, filter });
  }
}
