import { IsOptional, Max, Min } from "class-validator";
import { ArgsType, Field, ID, Int } from "type-graphql";
import { MovieFilter } from "../movies/movie-filter.input";

@ArgsType()
export class RecommendationsArgs {
  @Field(() => ID, { nullable: true, description: "Defaults to the session's profile." })
  profileId?: string | null;

  @Field(() => Int, { nullable: true, defaultValue: 10, description: "How many titles, 1..100." })
  @IsOptional()
  @Min(1)
  @Max(100)
  first?: number | null;

  @Field(() => MovieFilter, { nullable: true })
  filter?: MovieFilter | null;
}
