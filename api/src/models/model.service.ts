import { GraphQLError } from "graphql";
import type { DataSource } from "typeorm";
import { BadUserInputError } from "../common/errors";
import { getAlgorithm } from "../engine/algorithms/registry";
import { ModelStatus } from "./model-status";
import type { ModelRecord } from "./model-record.entity";
import type { ModelServer } from "./model-server";
import { ModelRepository } from "./model.repository";
import { EXIT_BUSY, runTrainingProcess, type TrainingProcess } from "./training-runner";

export interface ModelServiceSettings {
  /** Where the trainer process connects (the API's own database). */
  readonly databaseUrl: string;
  /** Retrain in the background on this schedule (`MARQUEE_AUTO_TRAIN=0` turns it off). */
  readonly autoTrain: boolean;
  /** Retrain once this many events arrived since the active model's watermark. */
  readonly retrainAfterEvents: number;
  /** ...or once the active model is this old and any event arrived since. */
  readonly retrainAfterMinutes: number;
  /** How often the schedule is checked (ms). */
  readonly checkEveryMs: number;
  /** Heap limit of a trainer process (MiB). */
  readonly trainerHeapMb: number;
  /** Memory limit of a trainer process (MiB, RLIMIT_DATA; 0 = none). */
  readonly trainerMemoryMb?: number;
  readonly log?: (message: string) => void;
}

/** Model history, the serving model, and training on demand or on schedule. */
export class ModelService {
  private readonly repo: ModelRepository;
  private running: Promise<ModelRecord> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private trainer: TrainingProcess | null = null;
  /** When the schedule last started a training, and the newest event id then. */
  private lastScheduledAttempt: { at: number; lastEventId: number } | null = null;
  private readonly log: (message: string) => void;

  constructor(
    dataSource: DataSource,
    private readonly server: ModelServer,
    private readonly settings: ModelServiceSettings,
  ) {
    this.repo = new ModelRepository(dataSource);
    this.log = settings.log ?? ((message) => console.log(message));
  }

  history(first: number): Promise<ModelRecord[]> {
    return this.repo.history(first);
  }

  serving(): ModelRecord | null {
    return this.server.current?.record ?? null;
  }

  /** The training this process runs right now: the trainer's pid and the phase it reported last. */
  training(): { pid: number | undefined; phase: string | null; fraction: number } | null {
    if (!this.trainer) return null;
    const progress = this.trainer.progress();
    return { pid: this.trainer.pid, phase: progress?.phase ?? null, fraction: progress?.fraction ?? 0 };
  }

  /** Starts the retraining schedule; trains at once when no model exists yet. */
  start(): void {
    if (!this.settings.autoTrain) return;
    const check = () => void this.trainIfStale().catch((error) => this.log(`scheduled training failed: ${(error as Error).message}`));
    this.timer = setInterval(check, this.settings.checkEveryMs);
    this.timer.unref();
    check();
  }

  /** Stops the schedule and any running trainer: a shutdown never waits for a training. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.trainer?.stop();
    await this.running?.catch(() => undefined);
  }

  private async trainIfStale(): Promise<void> {
    if (this.running) return;
    const { newEvents, activeSince, lastEventId } = await this.repo.staleness();
    const { retrainAfterEvents, retrainAfterMinutes } = this.settings;
    const minutesSince = (ms: number) => (Date.now() - ms) / 60_000;
    const ageMinutes = activeSince ? minutesSince(activeSince.getTime()) : Infinity;
    // A scheduled training that did not replace the model (REJECTED, FAILED) leaves it as stale as
    // before; without this, every check after it trained again, forever. The next try waits for
    // the same number of events, or minutes, counted from that attempt.
    const attempt = this.lastScheduledAttempt;
    const eventsSinceAttempt = attempt ? lastEventId - attempt.lastEventId : Infinity;
    const minutesSinceAttempt = attempt ? minutesSince(attempt.at) : Infinity;
    const retryable = eventsSinceAttempt >= retrainAfterEvents || (eventsSinceAttempt > 0 && minutesSinceAttempt >= retrainAfterMinutes);
    const due = !activeSince ? retryable : retryable && (newEvents >= retrainAfterEvents || (newEvents > 0 && ageMinutes >= retrainAfterMinutes));
    if (!due) return;
    this.lastScheduledAttempt = { at: Date.now(), lastEventId };
    this.log(activeSince ? `retraining: ${newEvents} new events, model ${ageMinutes.toFixed(0)} min old` : "no model yet: training the first one");
    // Only a retrain due by age (the schedule) searches event weights; one set off by a burst
    // of events, and the first model (which must serve within seconds), do not.
    const scheduled = activeSince !== null && newEvents < this.settings.retrainAfterEvents;
    const record = await this.train("auto", {}, { learnWeights: scheduled, tune: scheduled });
    this.log(`training finished: model #${record.id} ${record.status}${record.statusReason ? ` (${record.statusReason})` : ""}`);
  }

  /**
   * Trains in a separate process and waits for it. Bad algorithm names or parameters are
   * refused before anything runs. Concurrent calls in this process share one training.
   */
  train(algorithm: string, params: Record<string, unknown>, options: { activate?: boolean; learnWeights?: boolean; tune?: boolean } = {}): Promise<ModelRecord> {
    if (algorithm === "auto" && Object.keys(params).length > 0) {
      throw new BadUserInputError(
        `"auto" compares EASE and iALS at their defaults, so it takes no params; pass algorithm ("ease", "ials", ...) with these params`,
        { field: "params" },
      );
    }
    if (algorithm !== "auto") {
      try {
        getAlgorithm(algorithm).validate(params);
      } catch (error) {
        throw new BadUserInputError((error as Error).message, { field: "algorithm" });
      }
    }
    if (options.activate === false) {
      // A model for an experiment arm: after any training of this process, never shared with one.
      const after = (this.running ?? Promise.resolve()).catch(() => undefined);
      const mine: Promise<ModelRecord> = after.then(() => this.runTrainer(algorithm, params, false));
      const tracked: Promise<ModelRecord> = mine.finally(() => {
        if (this.running === tracked) this.running = null;
      });
      tracked.catch(() => undefined); // the caller handles mine's failure
      this.running = tracked;
      return mine;
    }
    if (this.running) return this.running;
    this.running = this.runTrainer(algorithm, params, true, options.learnWeights ?? false, options.tune ?? false).finally(() => (this.running = null));
    return this.running;
  }

  private async runTrainer(algorithm: string, params: Record<string, unknown>, activate = true, learnWeights = false, tune = false): Promise<ModelRecord> {
    this.trainer = runTrainingProcess({
      databaseUrl: this.settings.databaseUrl,
      algorithm,
      params,
      maxHeapMb: this.settings.trainerHeapMb,
      maxMemoryMb: this.settings.trainerMemoryMb,
      activate,
      learnWeights,
      tune,
    });
    const run = await this.trainer.done.finally(() => (this.trainer = null));
    if (run.exitCode === EXIT_BUSY) {
      throw new GraphQLError("Another training is already running on this database; try again when it ends (see the models query).", {
        extensions: { code: "TRAINING_BUSY" },
      });
    }
    if (run.modelId === null) {
      throw new GraphQLError(`The trainer stopped before recording a model: ${run.stderrTail || `exit ${run.exitCode ?? run.signal}`}`, {
        extensions: { code: "INTERNAL_SERVER_ERROR" },
      });
    }
    let record = await this.repo.findById(run.modelId);
    if (record?.status === ModelStatus.TRAINING) {
      // The trainer died without recording why (killed, out of memory): record it for it.
      const limits = `heap limit ${this.settings.trainerHeapMb} MiB${this.settings.trainerMemoryMb ? `, memory limit ${this.settings.trainerMemoryMb} MiB` : ""}`;
      const how = run.outOfMemory ? `ran out of memory (${limits})` : run.signal ? `was killed by ${run.signal}` : `exited with code ${run.exitCode}`;
      const when = run.lastPhase ? ` while ${run.lastPhase}` : "";
      const said = run.outOfMemory ? "" : run.stderrTail ? `: ${run.stderrTail.split("\n").slice(-3).join(" ")}` : "";
      await this.repo.fail(run.modelId, `training process ${how}${when}${said}`);
      record = await this.repo.findById(run.modelId);
    }
    // Switch this process now rather than when the notification arrives.
    await this.server.refresh();
    return record!;
  }
}
