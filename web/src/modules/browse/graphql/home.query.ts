import { graphql } from "../../../gql";

/** The viewer's home page: ordered rows (Continue watching, Top picks, Because you watched X, ...). */
export const HomeQuery = graphql(`
  query Home($profileId: ID!) {
    home(profileId: $profileId) {
      id
      title
      kind
      items {
        score
        reason
        progress
        recommendationId
        movie {
          ...MovieCardFields
        }
      }
    }
  }
`);
