import type { ServingModel } from "../models/model-server";
import type { RowSettings } from "./row-settings";
import type { Surface } from "./surface";

/** The experiment arm a request serves (experiments/running-experiments.ts decides it). */
export interface ArmAssignment {
  readonly experimentId: number;
  /** The arm's index in the experiment (carried in serving ids). */
  readonly arm: number;
  /** The arm's pinned model, or null: it follows the active model. */
  readonly model: ServingModel | null;
  /** Row settings the arm overrides. */
  readonly settings: Partial<RowSettings>;
  /** Reports how the request went, for the arm's guardrails. */
  done(latencyMs: number, failed: boolean): void;
}

/** Which arm, if any, serves a viewer on a surface. No assignment: the default serving. */
export interface ExperimentAssigner {
  assign(surface: Surface, profileId: string | null): ArmAssignment | null;
}
