import { graphql } from "../../../gql";

/** Everything a poster card, the hero and the details modal show about a title. */
export const MovieCardFields = graphql(`
  fragment MovieCardFields on Movie {
    id
    title
    year
    genres
    synopsis
    runtimeMinutes
    maturityRating
    posterUrl
    trailerUrl
  }
`);
