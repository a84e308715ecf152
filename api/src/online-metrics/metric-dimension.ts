import { registerEnumType } from "type-graphql";

/** What online metrics can be broken down by. */
export enum MetricDimension {
  ROW_KIND = "ROW_KIND",
  MODEL = "MODEL",
  EXPERIMENT = "EXPERIMENT",
  ARM = "ARM",
  DAY = "DAY",
  ROW_POSITION = "ROW_POSITION",
  ITEM_POSITION = "ITEM_POSITION",
  SURFACE = "SURFACE",
}

registerEnumType(MetricDimension, { name: "MetricDimension", description: "A breakdown of onlineMetrics (each is a column of its rows)." });
