import { graphql } from "../../../gql";

/** One page of a genre: the genre page scrolls through it, "More like this" takes the first page. */
export const MoviesByGenreQuery = graphql(`
  query MoviesByGenre($genre: String!, $first: Int!, $after: String) {
    movies(first: $first, after: $after, filter: { genre: $genre }) {
      edges {
        node {
          ...MovieCardFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);
