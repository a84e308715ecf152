import { Field, Float, ObjectType } from "type-graphql";
import { Movie } from "../movies/movie.entity";

@ObjectType({ description: "A title recommended to a viewer, with why." })
export class RecommendedMovie {
  @Field(() => Movie)
  movie: Movie;

  @Field(() => Float, { description: "Ranking score; larger is better. Comparable within one list only." })
  score: number;

  @Field(() => String, { description: "Human-readable reason, e.g. \"Popular on Marquee\"." })
  reason: string;

  @Field(() => Float, { nullable: true, description: "Continue watching: the fraction of the title already watched (0..1), where playback resumes. Null elsewhere." })
  progress?: number | null;
}
