import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import { RowKind } from "../recommendations/row-kind";
import { Surface } from "../recommendations/surface";

@ObjectType({
  description:
    "Online metrics of one group of impressions. Per impression: ctr = followed by an attributed THUMBNAIL_CLICK or PLAY of that title by that viewer within the attribution window / impressions; " +
    "playRate = followed by an attributed PLAY / impressions; watchThroughRate = those played and then watched in full (attributed WATCHED_FULL) / those played. Intervals: 95 % Wilson.",
})
export class OnlineMetricRow {
  @Field(() => RowKind, { nullable: true, description: "Grouped by ROW_KIND, else null." })
  rowKind: RowKind | null;

  @Field(() => ID, { nullable: true, description: "Grouped by MODEL: the serving model's id, or `fallback` when none had been trained; else null." })
  modelId: string | null;

  @Field(() => ID, { nullable: true, description: "Grouped by EXPERIMENT: the experiment's id (null: outside any); else null." })
  experimentId: string | null;

  @Field(() => String, { nullable: true, description: "Grouped by ARM: the arm (null: outside any experiment); else null." })
  arm: string | null;

  @Field(() => String, { nullable: true, description: "Grouped by DAY: the UTC day of serving, YYYY-MM-DD; else null." })
  day: string | null;

  @Field(() => Int, { nullable: true, description: "Grouped by ROW_POSITION: 0-based row on the page; else null." })
  rowPosition: number | null;

  @Field(() => Int, { nullable: true, description: "Grouped by ITEM_POSITION: 0-based position in the row; else null." })
  itemPosition: number | null;

  @Field(() => Surface, { nullable: true, description: "Grouped by SURFACE, else null." })
  surface: Surface | null;

  @Field(() => Int)
  impressions: number;

  @Field(() => Int, { description: "Distinct viewers with impressions in the group." })
  viewers: number;

  @Field(() => Int, { description: "Impressions followed by an attributed click or play within the window." })
  clicks: number;

  @Field(() => Int, { description: "Impressions followed by an attributed play within the window." })
  plays: number;

  @Field(() => Int, { description: "Played impressions then watched in full." })
  watchedFull: number;

  @Field(() => Float)
  ctr: number;
  @Field(() => Float)
  ctrLow: number;
  @Field(() => Float)
  ctrHigh: number;

  @Field(() => Float)
  playRate: number;
  @Field(() => Float)
  playRateLow: number;
  @Field(() => Float)
  playRateHigh: number;

  @Field(() => Float, { nullable: true, description: "Null when nothing in the group was played." })
  watchThroughRate: number | null;
  @Field(() => Float, { nullable: true })
  watchThroughRateLow: number | null;
  @Field(() => Float, { nullable: true })
  watchThroughRateHigh: number | null;
}
