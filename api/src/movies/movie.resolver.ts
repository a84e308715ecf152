import { Arg, Args, ID, Query, Resolver } from "type-graphql";
import { MovieConnection } from "./movie-connection.type";
import { Movie } from "./movie.entity";
import { MovieService } from "./movie.service";
import { MoviesArgs } from "./movies.args";

@Resolver(() => Movie)
export class MovieResolver {
  constructor(private readonly movieService: MovieService) {}

  @Query(() => MovieConnection, { description: "The catalog, a page at a time." })
  movies(@Args(() => MoviesArgs) { first, after, filter }: MoviesArgs): Promise<MovieConnection> {
    return this.movieService.list(first ?? 20, after, filter);
  }

  @Query(() => Movie, { nullable: true, description: "One title, or null if no title has this id." })
  movie(@Arg("id", () => ID) id: string): Promise<Movie | null> {
    return this.movieService.findById(id);
  }

  @Query(() => [String], { description: "Every genre in the catalog, alphabetically." })
  genres(): Promise<string[]> {
    return this.movieService.genres();
  }
}
