import { graphql } from "../../../gql";

/** One experiment's results per arm, with the difference from control hour by hour; admin-only. */
export const ExperimentResultsQuery = graphql(`
  query AdminExperimentResults($id: ID!) {
    experimentResults(id: $id) {
      arm
      armIndex
      control
      viewers
      impressions
      clicks
      plays
      watchedFull
      ctr
      ctrLow
      ctrHigh
      playRate
      playRateLow
      playRateHigh
      watchThroughRate
      watchThroughRateLow
      watchThroughRateHigh
      primaryRate
      difference
      differenceLow
      differenceHigh
      pValue
      alwaysValidPValue
      history {
        at
        viewers
        difference
        differenceLow
        differenceHigh
        alwaysValidPValue
      }
    }
  }
`);
