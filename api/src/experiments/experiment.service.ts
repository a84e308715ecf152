import { randomBytes } from "node:crypto";
import { BadUserInputError, NotFoundError } from "../common/errors";
import { getAlgorithm } from "../engine/algorithms/registry";
import type { ModelRecord } from "../models/model-record.entity";
import { parseArmSettings } from "./arm-settings";
import type { ArmResult } from "./arm-result.type";
import type { CreateExperimentInput } from "./create-experiment.input";
import { experimentResults } from "./experiment-results";
import { ExperimentStatus } from "./experiment-status";
import type { Experiment, StoredArm } from "./experiment.type";
import type { ExperimentRepository } from "./experiment.repository";
import type { RunningExperiments } from "./running-experiments";

const MAX_ARMS = 10;

export interface ExperimentServiceOptions {
  /** Trains a model of an algorithm (an algorithm arm with no stored model of it, at start). */
  readonly train: (algorithm: string) => Promise<ModelRecord>;
  /** mSPRT mixture scale for results (statistics.ts DEFAULT_MSPRT_TAU otherwise). */
  readonly tau?: number;
}

function parseId(raw: string): number {
  const id = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(id) || id < 1) throw new BadUserInputError(`experiment id "${raw}" is not an id (see the experiments query)`, { field: "id" });
  return id;
}

/** Experiments: create (validated), start (pinning models), stop, list, and their results. */
export class ExperimentService {
  constructor(
    private readonly repo: ExperimentRepository,
    private readonly running: RunningExperiments,
    private readonly options: ExperimentServiceOptions,
  ) {}

  list(): Promise<Experiment[]> {
    return this.repo.list();
  }

  /** Validates everything before writing: a refused input changes nothing. */
  async create(input: CreateExperimentInput): Promise<Experiment> {
    const name = input.name.trim();
    if (!name) throw new BadUserInputError("name must not be empty", { field: "name" });
    const trafficPercent = input.trafficPercent ?? 100;
    if (!Number.isInteger(trafficPercent) || trafficPercent < 1 || trafficPercent > 100) {
      throw new BadUserInputError(`trafficPercent must be a whole percent from 1 to 100, got ${trafficPercent}`, { field: "trafficPercent" });
    }
    const arms = input.arms;
    if (arms.length < 2 || arms.length > MAX_ARMS) throw new BadUserInputError(`an experiment has 2 to ${MAX_ARMS} arms, got ${arms.length}`, { field: "arms" });
    const controls = arms.filter((a) => a.control).length;
    if (controls !== 1) throw new BadUserInputError(`exactly one arm must be the control (control: true), got ${controls}`, { field: "arms" });
    const names = new Set<string>();
    const stored: StoredArm[] = [];
    for (const [i, arm] of arms.entries()) {
      const field = `arms[${i}]`;
      const armName = arm.name.trim();
      if (!armName || names.has(armName)) throw new BadUserInputError(`${field}: arm names must be non-empty and different, got "${arm.name}"`, { field: `${field}.name`, index: i });
      names.add(armName);
      if (!Number.isInteger(arm.share) || arm.share < 1 || arm.share > 100) {
        throw new BadUserInputError(`${field}: share is a whole percent from 1 to 100, got ${arm.share}`, { field: `${field}.share`, index: i });
      }
      const modelId = arm.modelId ?? null;
      const algorithm = arm.algorithm ?? null;
      if (modelId !== null && algorithm !== null) throw new BadUserInputError(`${field}: pin a modelId or an algorithm, not both`, { field, index: i });
      if (modelId !== null && !(await this.repo.servableModel(modelId))) {
        throw new BadUserInputError(`${field}: model #${modelId} is unknown or cannot serve (no stored artifact: see the models query)`, { field: `${field}.modelId`, index: i });
      }
      if (algorithm !== null) {
        try {
          getAlgorithm(algorithm);
        } catch (error) {
          throw new BadUserInputError(`${field}: ${(error as Error).message}`, { field: `${field}.algorithm`, index: i });
        }
      }
      const settings = parseArmSettings(arm.settings);
      if ("error" in settings) throw new BadUserInputError(`${field}: settings: ${settings.error}`, { field: `${field}.settings`, index: i });
      stored.push({ name: armName, control: arm.control, share: arm.share, modelId, algorithm, settings: arm.settings ?? {}, pinnedModelId: modelId });
    }
    const total = arms.reduce((sum, a) => sum + a.share, 0);
    if (total !== 100) throw new BadUserInputError(`the arms' shares must sum to 100, got ${total}`, { field: "arms" });
    return this.repo.create({ name, surface: input.surface, trafficPercent, primaryMetric: input.primaryMetric, arms: stored, salt: randomBytes(16).toString("hex") });
  }

  /**
   * DRAFT -> RUNNING: algorithm arms are pinned to the newest stored model of their algorithm
   * (trained now if there is none), then every process starts assigning viewers.
   */
  async start(rawId: string): Promise<Experiment> {
    const experiment = await this.find(rawId);
    if (experiment.status === ExperimentStatus.STOPPED) {
      throw new BadUserInputError(`experiment #${experiment.id} is stopped; a stopped experiment is never restarted (its figures would mix two periods): create a new one`, { field: "id" });
    }
    if (experiment.status === ExperimentStatus.RUNNING) throw new BadUserInputError(`experiment #${experiment.id} is already running`, { field: "id" });
    const busy = (await this.repo.running()).find((e) => e.surface === experiment.surface);
    if (busy) throw this.surfaceBusy(experiment, busy.id);
    const arms: StoredArm[] = [];
    for (const [i, arm] of experiment.arms.entries()) arms.push({ ...arm, pinnedModelId: await this.pin(arm, i) });
    let started: Experiment | null;
    try {
      started = await this.repo.start(Number(experiment.id), arms);
    } catch (error) {
      if ((error as { constraint?: string }).constraint === "experiments_one_running_per_surface") {
        const other = (await this.repo.running()).find((e) => e.surface === experiment.surface);
        throw this.surfaceBusy(experiment, other?.id ?? "?");
      }
      throw error;
    }
    if (!started) throw new BadUserInputError(`experiment #${experiment.id} is no longer a draft (started or stopped meanwhile)`, { field: "id" });
    await this.running.refresh();
    return started;
  }

  async stop(rawId: string): Promise<Experiment> {
    const experiment = await this.find(rawId);
    if (experiment.status === ExperimentStatus.STOPPED) throw new BadUserInputError(`experiment #${experiment.id} is already stopped`, { field: "id" });
    const stopped = await this.repo.stop(Number(experiment.id), "stopped by an admin");
    await this.running.refresh();
    return stopped ?? (await this.find(rawId));
  }

  async results(rawId: string): Promise<ArmResult[]> {
    const experiment = await this.find(rawId);
    return experimentResults(experiment.arms, experiment.primaryMetric, await this.repo.viewerHours(Number(experiment.id)), this.options.tau);
  }

  private async find(rawId: string): Promise<Experiment> {
    const experiment = await this.repo.findById(parseId(rawId));
    if (!experiment) throw new NotFoundError(`No experiment has id ${rawId}: list them with the experiments query`, { field: "id" });
    return experiment;
  }

  private surfaceBusy(experiment: Experiment, otherId: string): BadUserInputError {
    return new BadUserInputError(`experiment #${otherId} is already running on ${experiment.surface}: one experiment runs per surface; stop it first`, { field: "id" });
  }

  /** The model an arm serves while running: its modelId, or one of its algorithm, or null (the active model). */
  private async pin(arm: StoredArm, index: number): Promise<number | null> {
    if (arm.modelId !== null) {
      if (!(await this.repo.servableModel(arm.modelId))) {
        throw new BadUserInputError(`arms[${index}]: model #${arm.modelId} can no longer serve (its artifact is gone)`, { field: `arms[${index}].modelId`, index });
      }
      return arm.modelId;
    }
    if (arm.algorithm === null) return null;
    const stored = await this.repo.newestModelOf(arm.algorithm);
    if (stored !== null) return stored;
    const trained = await this.options.train(arm.algorithm);
    const pinned = await this.repo.newestModelOf(arm.algorithm);
    if (pinned === null) {
      throw new BadUserInputError(`arms[${index}]: no ${arm.algorithm} model could be pinned: training one ended ${trained.status}${trained.statusReason ? ` (${trained.statusReason})` : ""}`, {
        field: `arms[${index}].algorithm`,
        index,
      });
    }
    return pinned;
  }
}
