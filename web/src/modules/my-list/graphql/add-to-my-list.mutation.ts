import { graphql } from "../../../gql";

/**
 * Adds a title to My List; the API logs it as ADD_TO_LIST (a taste signal), attributed to the
 * card's serving id when it came from one. Returns the list.
 */
export const AddToMyListMutation = graphql(`
  mutation AddToMyList($profileId: ID!, $movieId: ID!, $recommendationId: ID) {
    addToMyList(profileId: $profileId, movieId: $movieId, recommendationId: $recommendationId) {
      ...MovieCardFields
    }
  }
`);
