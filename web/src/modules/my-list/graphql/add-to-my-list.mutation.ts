import { graphql } from "../../../gql";

/** Adds a title to My List; the API logs it as ADD_TO_LIST (a taste signal). Returns the list. */
export const AddToMyListMutation = graphql(`
  mutation AddToMyList($profileId: ID!, $movieId: ID!) {
    addToMyList(profileId: $profileId, movieId: $movieId) {
      ...MovieCardFields
    }
  }
`);
