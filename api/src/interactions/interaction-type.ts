import { registerEnumType } from "type-graphql";

/** What a viewer did with a title. Postgres enum `interaction_type`; weights live in `event_weights`. */
export enum InteractionType {
  THUMBNAIL_CLICK = "THUMBNAIL_CLICK",
  PLAY = "PLAY",
  WATCHED_FULL = "WATCHED_FULL",
  SKIPPED = "SKIPPED",
  CLOSED = "CLOSED",
  LIKE = "LIKE",
  DISLIKE = "DISLIKE",
  ADD_TO_LIST = "ADD_TO_LIST",
}

export const INTERACTION_TYPES: readonly InteractionType[] = Object.values(InteractionType);

registerEnumType(InteractionType, {
  name: "InteractionType",
  description: "A viewer's action on a title. Each kind carries a configurable weight (table event_weights).",
});
