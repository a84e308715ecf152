import { graphql } from "../../../gql";

/** Everything the operators' page shows; admin-only (sent with the x-admin-key header). */
export const AdminDashboardQuery = graphql(`
  query AdminDashboard($bucket: VolumeBucket!) {
    eventVolume(bucket: $bucket) {
      start
      events
      viewers
    }
    models(first: 30) {
      id
      algorithm
      status
      statusReason
      metrics
      trainingSeconds
      pairs
      createdAt
      params
      eventWeights {
        type
        weight
      }
      tuning {
        params
        validationNdcg10
        seconds
      }
    }
    handSetEventWeights {
      type
      weight
    }
    modelCoverage {
      modelId
      modelTitles
      catalogTitles
      titleCoverage
      modelViewers
      profiles
      viewerCoverage
    }
  }
`);
