import { Args, Ctx, Mutation, Query, Resolver } from "type-graphql";
import { actingProfile } from "../auth/viewer";
import type { GraphQLContext } from "../graphql/context";
import { Movie } from "../movies/movie.entity";
import { AddToMyListArgs, MyListArgs, MyListChangeArgs } from "./my-list.args";
import type { MyListService } from "./my-list.service";

@Resolver()
export class MyListResolver {
  constructor(private readonly myListService: MyListService) {}

  @Query(() => [Movie], { description: "My List: the titles the viewer keeps for later, most recently added first." })
  myList(@Args(() => MyListArgs) { profileId }: MyListArgs, @Ctx() { viewer }: GraphQLContext): Promise<Movie[]> {
    return this.myListService.list(actingProfile(viewer, profileId));
  }

  @Mutation(() => [Movie], {
    description:
      "Puts a title on My List and returns the list. It is an ADD_TO_LIST event (the taste signal the engine learns from; logging that event lists the title too); adding a listed title keeps its first add.",
  })
  addToMyList(@Args(() => AddToMyListArgs) { profileId, movieId, recommendationId }: AddToMyListArgs, @Ctx() { viewer }: GraphQLContext): Promise<Movie[]> {
    return this.myListService.add(actingProfile(viewer, profileId), movieId, recommendationId);
  }

  @Mutation(() => [Movie], { description: "Takes a title off My List (one not on it is fine) and returns the list." })
  removeFromMyList(@Args(() => MyListChangeArgs) { profileId, movieId }: MyListChangeArgs, @Ctx() { viewer }: GraphQLContext): Promise<Movie[]> {
    return this.myListService.remove(actingProfile(viewer, profileId), movieId);
  }
}
