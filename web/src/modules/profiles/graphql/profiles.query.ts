import { graphql } from "../../../gql";

export const ProfilesQuery = graphql(`
  query Profiles {
    profiles {
      id
      name
      avatarColor
    }
  }
`);
