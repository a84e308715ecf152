import { graphql } from "../../../gql";

export const GenresQuery = graphql(`
  query Genres {
    genres
  }
`);
