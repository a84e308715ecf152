import { graphql } from "../../../gql";

/**
 * The online metrics the operators' page charts (admin-only): CTR and watch-through per row kind
 * and per model per day, and how attention falls with the row's place on the page and the title's
 * place in its row.
 */
export const AdminOnlineMetricsQuery = graphql(`
  query AdminOnlineMetrics($since: DateTimeISO!) {
    byRowKind: onlineMetrics(since: $since, groupBy: [ROW_KIND, DAY]) {
      rowKind
      day
      ...OnlineRates
    }
    byModel: onlineMetrics(since: $since, groupBy: [MODEL, DAY]) {
      modelId
      day
      ...OnlineRates
    }
    byRowPosition: onlineMetrics(since: $since, groupBy: [ROW_POSITION]) {
      rowPosition
      ...OnlineRates
    }
    byItemPosition: onlineMetrics(since: $since, groupBy: [ITEM_POSITION]) {
      itemPosition
      ...OnlineRates
    }
  }

  fragment OnlineRates on OnlineMetricRow {
    impressions
    clicks
    plays
    watchedFull
    ctr
    ctrLow
    ctrHigh
    watchThroughRate
    watchThroughRateLow
    watchThroughRateHigh
  }
`);
