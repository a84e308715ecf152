import { graphql } from "../../../gql";

/** "Who's watching?" picks the session's profile: the API answers with a token and sets its cookie. */
export const SelectProfileMutation = graphql(`
  mutation SelectProfile($profileId: ID!) {
    selectProfile(profileId: $profileId) {
      profile {
        id
        name
        avatarColor
        anonymous
      }
    }
  }
`);
