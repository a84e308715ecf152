import { IsOptional, Max, Min } from "class-validator";
import { ArgsType, Field, Int } from "type-graphql";
import { MovieFilter } from "./movie-filter.input";

@ArgsType()
export class MoviesArgs {
  @Field(() => Int, { nullable: true, defaultValue: 20, description: "Page size, 1..100." })
  @IsOptional()
  @Min(1)
  @Max(100)
  first?: number | null;

  @Field(() => String, { nullable: true, description: "Cursor after which the page starts (pageInfo.endCursor)." })
  after?: string | null;

  @Field(() => MovieFilter, { nullable: true })
  filter?: MovieFilter | null;
}
