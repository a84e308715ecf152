import { graphql } from "../../../gql";

/** Takes a title off My List. Returns the list. */
export const RemoveFromMyListMutation = graphql(`
  mutation RemoveFromMyList($profileId: ID!, $movieId: ID!) {
    removeFromMyList(profileId: $profileId, movieId: $movieId) {
      ...MovieCardFields
    }
  }
`);
