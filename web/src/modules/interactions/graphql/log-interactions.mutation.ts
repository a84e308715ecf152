import { graphql } from "../../../gql";

export const LogInteractionsMutation = graphql(`
  mutation LogInteractions($inputs: [LogInteractionInput!]!) {
    logInteractions(inputs: $inputs) {
      id
      clientEventId
    }
  }
`);
