import { graphql } from "../../../gql";

/** The viewer's My List, most recently added first (kept on the server, so it follows the viewer). */
export const MyListQuery = graphql(`
  query MyList($profileId: ID!) {
    myList(profileId: $profileId) {
      ...MovieCardFields
    }
  }
`);
