import { Field, ID, ObjectType } from "type-graphql";
import { RecommendedMovie } from "./recommended-movie.type";
import { RowKind } from "./row-kind";

@ObjectType({ description: "One row of the home page, e.g. \"Because you watched Alien\"." })
export class HomeRow {
  @Field(() => ID, { description: "Stable across requests: `<kind>` or `<kind>:<anchor>` (the anchor title's movie id, or the genre), e.g. `BECAUSE_YOU_WATCHED:50`, `GENRE:Comedy`." })
  id: string;

  @Field(() => String)
  title: string;

  @Field(() => RowKind)
  kind: RowKind;

  @Field(() => [RecommendedMovie])
  items: RecommendedMovie[];
}
