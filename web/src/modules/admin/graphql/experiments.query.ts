import { graphql } from "../../../gql";

/** The experiments the admin page lists; admin-only. */
export const ExperimentsQuery = graphql(`
  query AdminExperiments {
    experiments {
      id
      name
      surface
      status
      trafficPercent
      primaryMetric
      startedAt
      stoppedAt
      stopReason
      arms {
        name
        control
        share
        modelId
        algorithm
        pinnedModelId
      }
    }
  }
`);
