import { Field, ObjectType } from "type-graphql";
import { RecommendedMovie } from "./recommended-movie.type";
import { RowKind } from "./row-kind";

@ObjectType({ description: "One row of the home page, e.g. \"Because you watched Alien\"." })
export class HomeRow {
  @Field(() => String)
  title: string;

  @Field(() => RowKind)
  kind: RowKind;

  @Field(() => [RecommendedMovie])
  items: RecommendedMovie[];
}
