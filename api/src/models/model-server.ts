import { EventEmitter } from "node:events";
import { ChannelListener } from "../database/channel-listener";
import { COUNT_KINDS } from "../recommendations/score-matrix.loader";
import type { DataSource } from "typeorm";
import { decodeBundle, type ModelBundle } from "./model-bundle";
import type { ModelRecord } from "./model-record.entity";
import { MODEL_CHANNEL, ModelRepository } from "./model.repository";

/** The model one process serves right now. */
export interface ServingModel {
  readonly record: ModelRecord;
  readonly bundle: ModelBundle;
  /** Movie id -> the models' title index (-1 when the title had no column at training time). */
  indexOf(movieId: number): number;
  /** The models' title index -> movie id. */
  readonly movieIds: Int32Array;
  /** The event weights it was trained with, per COUNT_KINDS (null for a model stored without them): serving folds in with these. */
  readonly eventWeights: readonly number[] | null;
}

/** A decoded bundle, ready to serve: its title indices by movie id. */
export function servingModel(record: ModelRecord, bundle: ModelBundle): ServingModel {
  const movieIds = Int32Array.from(bundle.topPicks.itemIds, Number);
  const table = new Map<number, number>();
  movieIds.forEach((id, index) => table.set(id, index));
  const map = record.eventWeightMap;
  const eventWeights = map && COUNT_KINDS.every((kind) => typeof map[kind] === "number") ? COUNT_KINDS.map((kind) => map[kind]) : null;
  return { record, bundle, movieIds, eventWeights, indexOf: (movieId) => table.get(movieId) ?? -1 };
}

export interface ModelServerOptions {
  /** How often to re-check the active model in case a notification was missed (ms, default 30 s; 0 = never). */
  readonly pollMs?: number;
  readonly log?: (message: string) => void;
}

/**
 * Holds the active model in memory and switches to a new one when any process activates it
 * (Postgres LISTEN/NOTIFY, with a slow poll as a safety net). Loading happens beside serving:
 * requests keep using the previous model until the new one is fully decoded. A model whose
 * artifact does not load is marked FAILED and the previous one keeps serving.
 */
export class ModelServer extends EventEmitter {
  private serving: ServingModel | null = null;
  private readonly listener: ChannelListener;
  private poll: NodeJS.Timeout | null = null;
  private stopped = false;
  private loading: Promise<void> = Promise.resolve();
  private readonly repo: ModelRepository;
  private readonly log: (message: string) => void;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: ModelServerOptions = {},
  ) {
    super();
    this.repo = new ModelRepository(dataSource);
    this.log = options.log ?? ((message) => console.log(message));
    this.listener = new ChannelListener((dataSource.options as { url?: string }).url, MODEL_CHANNEL, "marquee-model-listener", () => this.refresh());
  }

  get current(): ServingModel | null {
    return this.serving;
  }

  /** Loads the newest servable model (if any) and starts listening for new ones. */
  async start(): Promise<void> {
    await this.refresh();
    await this.listener.start();
    const pollMs = this.options.pollMs ?? 30_000;
    if (pollMs > 0) {
      this.poll = setInterval(() => void this.refresh().catch(() => undefined), pollMs);
      this.poll.unref();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.poll) clearInterval(this.poll);
    await this.listener.stop();
    await this.loading.catch(() => undefined);
  }

  /** Re-reads which model is active and switches to it if it is not the one serving. */
  refresh(): Promise<void> {
    this.loading = this.loading.then(() => this.loadNewestServable()).catch((error) => this.log(`model refresh failed: ${(error as Error).message}`));
    return this.loading;
  }

  private async loadNewestServable(): Promise<void> {
    for (const record of await this.repo.servable()) {
      if (this.serving?.record.id === record.id) return;
      // A retired model only serves when nothing newer loads (and never replaces a newer one).
      if (this.serving && record.id < this.serving.record.id) return;
      const artifact = await this.repo.artifact(record.id);
      try {
        if (!artifact) throw new Error("no artifact stored");
        this.swap(record, decodeBundle(new Uint8Array(artifact.buffer, artifact.byteOffset, artifact.byteLength)));
        return;
      } catch (error) {
        this.log(`model #${record.id} does not load (${(error as Error).message}); keeping the previous model`);
        await this.repo.markCorrupt(record.id, (error as Error).message);
        this.emit("rejected", record.id, error);
      }
    }
  }

  private swap(record: ModelRecord, bundle: ModelBundle): void {
    this.serving = servingModel(record, bundle);
    this.log(`serving model #${record.id} (${record.algorithm}, ${record.pairs ?? 0} pairs)`);
    this.emit("switched", record.id);
  }

}
