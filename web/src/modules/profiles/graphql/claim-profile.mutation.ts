import { graphql } from "../../../gql";

/** "Save your profile": the anonymous session's profile gets a name, keeping its id and history. */
export const ClaimProfileMutation = graphql(`
  mutation ClaimProfile($name: String!) {
    claimProfile(name: $name) {
      id
      name
      avatarColor
      anonymous
    }
  }
`);
