import { graphql } from "../../../gql";

export const CreateProfileMutation = graphql(`
  mutation CreateProfile($name: String!) {
    createProfile(name: $name) {
      id
      name
      avatarColor
    }
  }
`);
