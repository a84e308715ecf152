import { atIndex, BadUserInputError, ForbiddenError, type ErrorDetails } from "../common/errors";
import { InvalidServingIdError, type ServedRecommendation, type ServingIdSigner } from "../recommendations/serving-ids";

/** A client's serving id, decoded and checked: BAD_USER_INPUT when malformed or forged. */
export function decodeServingId(signer: ServingIdSigner, raw: string, details: ErrorDetails, keys?: Map<string, Buffer>): ServedRecommendation {
  try {
    return signer.verify(raw, keys);
  } catch (error) {
    if (!(error instanceof InvalidServingIdError)) throw error;
    throw new BadUserInputError(`${atIndex(details.index)}recommendationId ${error.message}: send the id exactly as the API served it`, {
      ...details,
      field: "recommendationId",
    });
  }
}

/** An id served to another profile is not this profile's to use: FORBIDDEN. */
export function checkServedTo(served: ServedRecommendation, profileId: string, details: ErrorDetails): void {
  if (served.profileId !== null && served.profileId !== profileId.toLowerCase()) {
    throw new ForbiddenError(`${atIndex(details.index)}recommendationId was served to another profile: a profile may only log what it was shown itself`, {
      ...details,
      field: "recommendationId",
    });
  }
}
