import { registerEnumType } from "type-graphql";

/** DRAFT: created, not serving; RUNNING: assigning viewers; STOPPED: ended (by an admin or a guardrail), never restarted. */
export enum ExperimentStatus {
  DRAFT = "DRAFT",
  RUNNING = "RUNNING",
  STOPPED = "STOPPED",
}

/** What an experiment is decided on, per viewer: CTR = clicks / impressions, PLAY_RATE = plays / impressions, WATCH_THROUGH_RATE = finishes / plays. */
export enum ExperimentMetric {
  CTR = "CTR",
  PLAY_RATE = "PLAY_RATE",
  WATCH_THROUGH_RATE = "WATCH_THROUGH_RATE",
}

registerEnumType(ExperimentStatus, { name: "ExperimentStatus", description: "DRAFT: created, not serving; RUNNING: assigning viewers; STOPPED: ended by an admin or a guardrail (never restarted)." });
registerEnumType(ExperimentMetric, {
  name: "ExperimentMetric",
  description: "An experiment's primary metric (attributed events, per viewer): CTR = clicks / impressions; PLAY_RATE = plays / impressions; WATCH_THROUGH_RATE = finishes / plays.",
});
