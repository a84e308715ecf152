import { graphql } from "../../../gql";

/** "More like this": titles with a similar audience, usable without a viewer. */
export const SimilarMoviesQuery = graphql(`
  query SimilarMovies($movieId: ID!, $first: Int!) {
    similarMovies(movieId: $movieId, first: $first) {
      score
      reason
      recommendationId
      movie {
        ...MovieCardFields
      }
    }
  }
`);
