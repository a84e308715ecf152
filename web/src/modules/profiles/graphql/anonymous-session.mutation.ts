import { graphql } from "../../../gql";

/** A visitor without a profile browses with an anonymous session: an ephemeral profile, never on Who's watching. */
export const AnonymousSessionMutation = graphql(`
  mutation AnonymousSession {
    anonymousSession {
      profile {
        id
        name
        avatarColor
        anonymous
      }
    }
  }
`);
