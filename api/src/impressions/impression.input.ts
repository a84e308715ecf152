import { Field, ID, InputType, Int, ObjectType } from "type-graphql";

/**
 * One card that was shown to the viewer. Deliberately without class-validator decorators:
 * ImpressionService validates each element itself, so that an error can name its index.
 */
@InputType({ description: "A recommended title that was on screen (at least half visible for a second, by the client's rule)." })
export class ImpressionInput {
  @Field(() => ID, { description: "The recommendationId the title was served with." })
  recommendationId: string;

  @Field(() => Date, { nullable: true, description: "When it was seen, client time (default: now). At most a few minutes in the future." })
  shownAt?: Date | null;

  @Field(() => String, { nullable: true, description: "Client-chosen id, unique per profile (<= 128 chars): resending the same impression stores it once." })
  clientEventId?: string | null;
}

@ObjectType({ description: "What logImpressions did with a batch." })
export class ImpressionReceipt {
  @Field(() => Int, { description: "Impressions stored now." })
  accepted: number;

  @Field(() => Int, { description: "Impressions stored before (same profile and client event id): not stored twice." })
  duplicates: number;

  @Field(() => Int, { description: "Impressions whose serving id is older than the retention (MARQUEE_IMPRESSION_RETENTION_DAYS): counted and dropped." })
  expired: number;
}
