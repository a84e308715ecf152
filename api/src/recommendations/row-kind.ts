import { registerEnumType } from "type-graphql";

/**
 * What a row is (the client styles rows by kind). POPULAR is the cold-start row; MORE_LIKE_THIS is
 * the list of `similarMovies` (a title's details), never a home row.
 */
export enum RowKind {
  CONTINUE_WATCHING = "CONTINUE_WATCHING",
  TOP_PICKS = "TOP_PICKS",
  BECAUSE_YOU_WATCHED = "BECAUSE_YOU_WATCHED",
  VIEWERS_LIKE_YOU = "VIEWERS_LIKE_YOU",
  TRENDING = "TRENDING",
  GENRE = "GENRE",
  NEW = "NEW",
  POPULAR = "POPULAR",
  MORE_LIKE_THIS = "MORE_LIKE_THIS",
}

registerEnumType(RowKind, { name: "RowKind", description: "The purpose of a row on the home page." });
