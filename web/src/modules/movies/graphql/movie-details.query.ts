import { graphql } from "../../../gql";

export const MovieDetailsQuery = graphql(`
  query MovieDetails($id: ID!) {
    movie(id: $id) {
      ...MovieCardFields
    }
  }
`);
