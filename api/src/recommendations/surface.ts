import { registerEnumType } from "type-graphql";

/** Where a recommendation was served: the home page, a plain Top picks list, More like this, onboarding. */
export enum Surface {
  HOME = "HOME",
  TOP_PICKS = "TOP_PICKS",
  MORE_LIKE_THIS = "MORE_LIKE_THIS",
  ONBOARDING = "ONBOARDING",
}

registerEnumType(Surface, { name: "Surface", description: "Where a recommendation was served (carried in its recommendationId)." });
