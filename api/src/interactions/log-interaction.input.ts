import { Field, Float, ID, InputType } from "type-graphql";
import { InteractionType } from "./interaction-type";

/**
 * One event from a client. Deliberately without class-validator decorators: InteractionService
 * validates each element itself so that a batch error can name the offending index.
 */
@InputType()
export class LogInteractionInput {
  @Field(() => ID, { nullable: true, description: "Whose event; defaults to the session's profile. Only the admin key may name another profile." })
  profileId?: string | null;

  @Field(() => ID)
  movieId: string;

  @Field(() => InteractionType)
  type: InteractionType;

  @Field(() => Float, { nullable: true, description: "Fraction of the video watched, 0..1." })
  progress?: number | null;

  @Field(() => Float, { nullable: true, description: "Playback position in seconds, >= 0." })
  positionSeconds?: number | null;

  @Field(() => Date, { nullable: true, description: "Client time of the event (default: now). At most a few minutes in the future." })
  occurredAt?: Date | null;

  @Field(() => String, { nullable: true, description: "Client-chosen id, unique per profile (<= 128 chars): resending the same event stores it once." })
  clientEventId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: "The recommendationId of the card the event started from (details, play, watched in full, skip, close, thumbs, My List): attributes it to that row, position and model.",
  })
  recommendationId?: string | null;
}
