import { Field, InputType, Int } from "type-graphql";

/** Narrows a list of titles. Every field is optional; all given fields must hold. */
@InputType()
export class MovieFilter {
  @Field(() => String, { nullable: true, description: "Exact genre name, as listed by `genres`." })
  genre?: string | null;

  @Field(() => String, { nullable: true, description: "Case-insensitive substring of the title; taken literally (no wildcards)." })
  text?: string | null;

  @Field(() => Int, { nullable: true })
  yearFrom?: number | null;

  @Field(() => Int, { nullable: true })
  yearTo?: number | null;

  @Field(() => [String], { nullable: true, description: "Any of these genres (a title needs one of them)." })
  genres?: string[] | null;

  @Field(() => [String], { nullable: true, description: "Any of these maturity ratings (G, PG, PG-13, R, NC-17)." })
  maturityRatings?: string[] | null;
}
