import { graphql } from "../../../gql";

/** Up to 5,000 impressions a call; idempotent by clientEventId. */
export const LogImpressionsMutation = graphql(`
  mutation LogImpressions($inputs: [ImpressionInput!]!) {
    logImpressions(inputs: $inputs) {
      accepted
      duplicates
      expired
    }
  }
`);
