import { Field, Float, ID, ObjectType } from "type-graphql";
import { Movie } from "../movies/movie.entity";
import type { ServedResponse, ServedSlot } from "./serving-ids";

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

  constructor(
    movie: Movie,
    score: number,
    reason: string,
    /** The response this title was served in, and where in it: what its recommendationId says. */
    readonly response: ServedResponse,
    readonly slot: ServedSlot,
  ) {
    this.movie = movie;
    this.score = score;
    this.reason = reason;
  }

  @Field(() => ID, {
    description:
      "Opaque serving id: send it back with the impressions (logImpressions) and the events (LogInteractionInput.recommendationId) that this title leads to, so that they are attributed to the row, position and model that served it.",
  })
  get recommendationId(): string {
    return this.response.idFor(this.slot);
  }
}
