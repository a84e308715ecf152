import { ChannelListener } from "../database/channel-listener";
import type { DataSource } from "typeorm";
import { decodeBundle } from "../models/model-bundle";
import { servingModel, type ModelServer, type ServingModel } from "../models/model-server";
import { ModelRepository } from "../models/model.repository";
import type { ArmAssignment, ExperimentAssigner } from "../recommendations/arm-assignment";
import type { RowSettings } from "../recommendations/row-settings";
import type { Surface } from "../recommendations/surface";
import { parseArmSettings } from "./arm-settings";
import { assignArm } from "./assignment";
import type { Experiment } from "./experiment.type";
import { EXPERIMENT_CHANNEL, ExperimentRepository } from "./experiment.repository";
import { ArmGuardrail, DEFAULT_GUARDRAIL_SETTINGS, type GuardrailSettings } from "./guardrail";

interface LoadedArm {
  readonly index: number;
  readonly name: string;
  readonly model: ServingModel | null;
  readonly settings: Partial<RowSettings>;
  readonly guardrail: ArmGuardrail;
}

interface LoadedExperiment {
  readonly experiment: Experiment;
  readonly id: number;
  readonly shares: number[];
  readonly arms: LoadedArm[];
}

export interface RunningExperimentsOptions {
  readonly guardrails?: Partial<GuardrailSettings>;
  /** Safety-net re-read of the running experiments in case a notification was missed (ms, default 10 s). */
  readonly pollMs?: number;
  readonly log?: (message: string) => void;
}

/**
 * The running experiments, held in memory by every API process: one per surface, with each
 * arm's pinned model decoded and kept loaded while it runs. Re-read when any process starts or
 * stops one (LISTEN/NOTIFY on `marquee_experiments`, plus a poll), so assignment costs one hash
 * per request and no database read. Each arm's requests feed its guardrail; an arm that breaks
 * one stops its experiment (for every process, through the same notification).
 */
export class RunningExperiments implements ExperimentAssigner {
  private bySurface = new Map<Surface, LoadedExperiment>();
  private readonly repo: ExperimentRepository;
  private readonly models: ModelRepository;
  private readonly guardrails: GuardrailSettings;
  private readonly log: (message: string) => void;
  private readonly listener: ChannelListener;
  private poll: NodeJS.Timeout | null = null;
  private stopped = false;
  private loading: Promise<void> = Promise.resolve();
  private readonly stopping = new Set<number>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly modelServer: ModelServer,
    private readonly options: RunningExperimentsOptions = {},
  ) {
    this.repo = new ExperimentRepository(dataSource);
    this.models = new ModelRepository(dataSource);
    this.guardrails = { ...DEFAULT_GUARDRAIL_SETTINGS, ...options.guardrails };
    this.log = options.log ?? ((message) => console.log(message));
    this.listener = new ChannelListener((dataSource.options as { url?: string }).url, EXPERIMENT_CHANNEL, "marquee-experiment-listener", () => this.refresh());
  }

  async start(): Promise<void> {
    await this.refresh();
    await this.listener.start();
    this.poll = setInterval(() => void this.refresh(), this.options.pollMs ?? 10_000);
    this.poll.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.poll) clearInterval(this.poll);
    await this.listener.stop();
    await this.loading.catch(() => undefined);
  }

  /** The experiment running on a surface in this process, if any. */
  runningOn(surface: Surface): Experiment | null {
    return this.bySurface.get(surface)?.experiment ?? null;
  }

  assign(surface: Surface, profileId: string | null): ArmAssignment | null {
    const running = this.bySurface.get(surface);
    if (!running || !profileId) return null;
    const index = assignArm(running.experiment.salt, profileId, running.experiment.trafficPercent, running.shares);
    if (index === null) return null;
    const arm = running.arms[index];
    return {
      experimentId: running.id,
      arm: index,
      model: arm.model,
      settings: arm.settings,
      done: (latencyMs, failed) => {
        const breach = arm.guardrail.record(latencyMs, failed);
        if (breach) void this.breach(running, arm, breach);
      },
    };
  }

  /** Re-reads the running experiments (serialised: one load at a time). */
  refresh(): Promise<void> {
    this.loading = this.loading.then(() => this.load()).catch((error) => this.log(`experiment refresh failed: ${(error as Error).message}`));
    return this.loading;
  }

  private async load(): Promise<void> {
    const next = new Map<Surface, LoadedExperiment>();
    for (const experiment of await this.repo.running()) {
      const id = Number(experiment.id);
      const current = [...this.bySurface.values()].find((e) => e.id === id);
      if (current) {
        next.set(experiment.surface, current); // keeps its models and its guardrails' windows
        continue;
      }
      try {
        next.set(experiment.surface, await this.loadExperiment(experiment));
      } catch (error) {
        this.log(`experiment #${id} does not load: ${(error as Error).message}; stopping it`);
        await this.repo.stop(id, `could not be served: ${(error as Error).message}`);
      }
    }
    this.bySurface = next;
  }

  private async loadExperiment(experiment: Experiment): Promise<LoadedExperiment> {
    const arms: LoadedArm[] = [];
    for (const [index, arm] of experiment.arms.entries()) {
      const parsed = parseArmSettings(arm.settings);
      if ("error" in parsed) throw new Error(`arm "${arm.name}": ${parsed.error}`);
      const pinned = arm.pinnedModelId ?? arm.modelId;
      arms.push({ index, name: arm.name, model: pinned === null ? null : await this.loadModel(pinned), settings: parsed.settings, guardrail: new ArmGuardrail(this.guardrails) });
    }
    this.log(`experiment #${experiment.id} "${experiment.name}" running on ${experiment.surface}: ${experiment.arms.map((a) => `${a.name} ${a.share} %`).join(", ")}`);
    return { experiment, id: Number(experiment.id), shares: experiment.arms.map((a) => a.share), arms };
  }

  /** A pinned model: the one serving if it is that one, else its artifact decoded (or one already loaded for another arm). */
  private async loadModel(id: number): Promise<ServingModel> {
    const serving = this.modelServer.current;
    if (serving?.record.id === id) return serving;
    for (const running of this.bySurface.values()) for (const arm of running.arms) if (arm.model?.record.id === id) return arm.model;
    const [record, artifact] = await Promise.all([this.models.findById(id), this.models.artifact(id)]);
    if (!record || !artifact) throw new Error(`model #${id} has no stored artifact`);
    return servingModel(record, decodeBundle(new Uint8Array(artifact.buffer, artifact.byteOffset, artifact.byteLength)));
  }

  private async breach(running: LoadedExperiment, arm: LoadedArm, reason: string): Promise<void> {
    if (this.stopping.has(running.id)) return;
    this.stopping.add(running.id);
    const why = `guardrail: arm "${arm.name}" ${reason}`;
    this.log(`stopping experiment #${running.id}: ${why}`);
    try {
      // Serve the default from now on in this process, whatever the database says.
      if (this.bySurface.get(running.experiment.surface)?.id === running.id) this.bySurface.delete(running.experiment.surface);
      await this.repo.stop(running.id, why);
    } catch (error) {
      this.log(`could not stop experiment #${running.id}: ${(error as Error).message}`);
    } finally {
      this.stopping.delete(running.id);
    }
    await this.refresh();
  }

}
