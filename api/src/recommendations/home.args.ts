import { ArrayMaxSize, ArrayMinSize, IsOptional, Max, Min } from "class-validator";
import { ArgsType, Field, ID, Int } from "type-graphql";
import { MovieFilter } from "../movies/movie-filter.input";

@ArgsType()
export class HomeArgs {
  @Field(() => ID, { nullable: true, description: "Defaults to the session's profile." })
  profileId?: string | null;

  @Field(() => MovieFilter, { nullable: true, description: "Applies to every row." })
  filter?: MovieFilter | null;
}

@ArgsType()
export class SimilarMoviesArgs {
  @Field(() => ID)
  movieId: string;

  @Field(() => Int, { nullable: true, defaultValue: 10, description: "How many titles, 1..100." })
  @IsOptional()
  @Min(1)
  @Max(100)
  first?: number | null;

  @Field(() => MovieFilter, { nullable: true })
  filter?: MovieFilter | null;
}

@ArgsType()
export class ChooseFavoritesArgs {
  @Field(() => ID, { nullable: true, description: "Defaults to the session's profile." })
  profileId?: string | null;

  @Field(() => [ID], { description: "1 to 50 titles the viewer loves (onboarding); each is logged as a LIKE." })
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  movieIds: string[];
}
