import { graphql } from "../../../gql";

/** Onboarding: the new viewer's favourite titles (logged as LIKEs) personalise Top picks at once. */
export const ChooseFavoritesMutation = graphql(`
  mutation ChooseFavorites($profileId: ID!, $movieIds: [ID!]!) {
    chooseFavorites(profileId: $profileId, movieIds: $movieIds) {
      score
      movie {
        id
      }
    }
  }
`);
