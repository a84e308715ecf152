import { Args, Ctx, Mutation, Query, Resolver } from "type-graphql";
import { actingProfile } from "../auth/viewer";
import type { GraphQLContext } from "../graphql/context";
import type { InteractionService } from "../interactions/interaction.service";
import { InteractionType } from "../interactions/interaction-type";
import { ChooseFavoritesArgs, HomeArgs, SimilarMoviesArgs } from "./home.args";
import { HomeRow } from "./home-row.type";
import type { HomeService } from "./home.service";
import { RecommendedMovie } from "./recommended-movie.type";
import { Surface } from "./surface";

@Resolver(() => HomeRow)
export class HomeResolver {
  constructor(
    private readonly homeService: HomeService,
    private readonly interactions: InteractionService,
  ) {}

  @Query(() => [HomeRow], { description: "The viewer's home page: Continue watching, Top picks, Because you watched X, Viewers like you, Trending, genre rows, New." })
  home(@Args(() => HomeArgs) { profileId, filter }: HomeArgs, @Ctx() { viewer }: GraphQLContext): Promise<HomeRow[]> {
    return this.homeService.home(actingProfile(viewer, profileId), filter);
  }

  @Query(() => [RecommendedMovie], { description: "More like this: titles with a similar audience (by genre for a title nobody has watched yet)." })
  similarMovies(@Args(() => SimilarMoviesArgs) { movieId, first, filter }: SimilarMoviesArgs, @Ctx() { viewer }: GraphQLContext): Promise<RecommendedMovie[]> {
    return this.homeService.similar(movieId, first ?? 10, filter, viewer.profileId ?? null);
  }

  @Mutation(() => [RecommendedMovie], { description: "Onboarding: the viewer's favourite titles, logged as LIKEs; returns the Top picks they lead to." })
  async chooseFavorites(@Args(() => ChooseFavoritesArgs) args: ChooseFavoritesArgs, @Ctx() { viewer }: GraphQLContext): Promise<RecommendedMovie[]> {
    const profileId = actingProfile(viewer, args.profileId);
    const { movieIds } = args;
    await this.interactions.logBatch(
      movieIds.map((movieId) => ({ profileId, movieId, type: InteractionType.LIKE, clientEventId: `favorite:${movieId}` })),
    );
    return this.homeService.recommend(profileId, { first: 20 }, Surface.ONBOARDING);
  }
}
