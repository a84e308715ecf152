import { Field, Int, ObjectType } from "type-graphql";
import { Movie } from "./movie.entity";

@ObjectType({ description: "Relay-style page information." })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage: boolean;

  @Field(() => Boolean)
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true })
  startCursor: string | null;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

@ObjectType()
export class MovieEdge {
  @Field(() => String)
  cursor: string;

  @Field(() => Movie)
  node: Movie;
}

@ObjectType({ description: "A page of titles; pass pageInfo.endCursor as `after` for the next page." })
export class MovieConnection {
  @Field(() => [MovieEdge])
  edges: MovieEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  @Field(() => Int, { description: "Titles matching the filter, over all pages." })
  totalCount: number;
}
