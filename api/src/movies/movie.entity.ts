import { Field, ID, Int, ObjectType } from "type-graphql";
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

@ObjectType({ description: "A title of the catalog." })
@Entity({ name: "movies" })
@Index("movies_genres_idx", ["genres"], { type: "gin" })
@Index("movies_year_idx", ["year"])
export class Movie {
  /** Explicit ids are allowed (the demo catalog keeps MovieLens ids); omitted ids come from the identity. */
  @Field(() => ID)
  @PrimaryGeneratedColumn("identity", { type: "integer", generatedIdentity: "BY DEFAULT" })
  id: number;

  @Field(() => String)
  @Column({ type: "text" })
  title: string;

  @Field(() => Int, { nullable: true, description: "Release year." })
  @Column({ type: "integer", nullable: true })
  year: number | null;

  @Field(() => [String])
  @Column({ type: "text", array: true, default: () => "'{}'" })
  genres: string[];

  @Field(() => String, { description: "One line about the title." })
  @Column({ type: "text", default: "" })
  synopsis: string;

  @Field(() => Int, { nullable: true })
  @Column({ name: "runtime_minutes", type: "integer", nullable: true })
  runtimeMinutes: number | null;

  @Field(() => String, { nullable: true, description: "G, PG, PG-13, R or NC-17." })
  @Column({ name: "maturity_rating", type: "text", nullable: true })
  maturityRating: string | null;

  @Field(() => String, { nullable: true, description: "Poster image URL; absent means the client draws one." })
  @Column({ name: "poster_url", type: "text", nullable: true })
  posterUrl: string | null;

  @Field(() => String, { nullable: true })
  @Column({ name: "trailer_url", type: "text", nullable: true })
  trailerUrl: string | null;

  @Field(() => Date, { description: "When the title joined the catalog (drives New on Marquee)." })
  @CreateDateColumn({ name: "added_at", type: "timestamptz" })
  addedAt: Date;
}
