import { graphql } from "../../../gql";

export const SearchMoviesQuery = graphql(`
  query SearchMovies($text: String!, $first: Int!, $after: String) {
    movies(first: $first, after: $after, filter: { text: $text }) {
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
