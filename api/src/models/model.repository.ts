import type { DataSource, EntityManager } from "typeorm";
import { ModelRecord } from "./model-record.entity";
import { ModelStatus } from "./model-status";

/** Postgres channel on which a newly activated model's id is announced to every API process. */
export const MODEL_CHANNEL = "marquee_models";

export interface TrainedFields {
  /** The algorithm finally trained (a training started as "auto" learns it on validation). */
  readonly algorithm?: string;
  readonly metrics: Record<string, unknown> | null;
  readonly params: Record<string, unknown>;
  readonly eventWatermark: bigint;
  readonly pairs: number;
  readonly viewers: number;
  readonly titles: number;
  readonly trainingSeconds: number;
  /** Event type -> weight the scores were built with. */
  readonly eventWeights: Readonly<Record<string, number>>;
  /** The hyperparameter trials (none when tuning was off). */
  readonly tuning?: readonly { readonly params: Record<string, unknown>; readonly validationNdcg10: number; readonly seconds: number }[];
}

/** The only code that reads and writes the `models` table. */
export class ModelRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(ModelRecord);
  }

  /** Records that a training started; returns its row. */
  async startTraining(algorithm: string, params: Record<string, unknown>): Promise<ModelRecord> {
    const record = await this.repo.save(this.repo.create({ algorithm, params, status: ModelStatus.TRAINING }));
    // Until it is trained (or if it fails), the weights it starts from: the hand-set ones.
    await this.dataSource.query(`UPDATE models SET event_weights = (SELECT jsonb_object_agg(type, weight) FROM event_weights) WHERE id = $1`, [record.id]);
    return (await this.findById(record.id))!;
  }

  /**
   * Stores the artifact and makes the model the active one, retiring the previous, in one
   * transaction; the NOTIFY is delivered at commit, so listeners never see a half-stored model.
   */
  async activate(id: number, fields: TrainedFields, artifact: Uint8Array): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      await em.query(`UPDATE models SET status = 'RETIRED' WHERE status = 'ACTIVE' AND id <> $1`, [id]);
      await this.writeTrained(em, id, fields, ModelStatus.ACTIVE, null, artifact);
      await em.query(`SELECT pg_notify($1, $2)`, [MODEL_CHANNEL, String(id)]);
    });
  }

  /** A model trained for an experiment arm to pin: kept with its artifact, never the active one (REJECTED says so). */
  async storeWithoutActivating(id: number, fields: TrainedFields, artifact: Uint8Array): Promise<void> {
    await this.writeTrained(this.dataSource.manager, id, fields, ModelStatus.REJECTED, "trained for an experiment arm (--no-activate): stored, never activated", artifact);
  }

  /** A model that trained but is not to serve (worse on validation); kept without its artifact. */
  async reject(id: number, fields: TrainedFields, reason: string): Promise<void> {
    await this.writeTrained(this.dataSource.manager, id, fields, ModelStatus.REJECTED, reason, null);
  }

  async fail(id: number, reason: string): Promise<void> {
    await this.dataSource.query(`UPDATE models SET status = 'FAILED', status_reason = $2, artifact = NULL WHERE id = $1`, [id, reason.slice(0, 2000)]);
  }

  /** Marks a stored model whose artifact does not load, so no process tries it again. */
  async markCorrupt(id: number, reason: string): Promise<void> {
    await this.dataSource.query(`UPDATE models SET status = 'FAILED', status_reason = $2 WHERE id = $1`, [id, `artifact does not load: ${reason}`.slice(0, 2000)]);
  }

  private async writeTrained(
    em: EntityManager,
    id: number,
    f: TrainedFields,
    status: ModelStatus,
    reason: string | null,
    artifact: Uint8Array | null,
  ): Promise<void> {
    await em.query(
      `UPDATE models SET status = $2::model_status, status_reason = $3, metrics = $4, params = $5, event_watermark = $6,
              pairs = $7, viewers = $8, titles = $9, training_seconds = $10, size_bytes = $11, artifact = $12,
              algorithm = COALESCE($13, algorithm), event_weights = $14, tuning = $15,
              trained_at = now(), activated_at = CASE WHEN $2::text = 'ACTIVE' THEN now() ELSE NULL END
        WHERE id = $1`,
      [
        id,
        status,
        reason,
        f.metrics === null ? null : JSON.stringify(f.metrics),
        JSON.stringify(f.params),
        f.eventWatermark.toString(),
        f.pairs,
        f.viewers,
        f.titles,
        f.trainingSeconds,
        artifact?.byteLength ?? null,
        artifact ? Buffer.from(artifact.buffer, artifact.byteOffset, artifact.byteLength) : null,
        f.algorithm ?? null,
        JSON.stringify(f.eventWeights),
        JSON.stringify(f.tuning ?? []),
      ],
    );
  }

  findById(id: number): Promise<ModelRecord | null> {
    return this.repo.findOneBy({ id });
  }

  findActive(): Promise<ModelRecord | null> {
    return this.repo.findOneBy({ status: ModelStatus.ACTIVE });
  }

  /** Models that could serve, newest activation first: the active one, then retired fallbacks. */
  async servable(limit = 5): Promise<ModelRecord[]> {
    return this.repo
      .createQueryBuilder("m")
      .where("m.status IN (:...statuses)", { statuses: [ModelStatus.ACTIVE, ModelStatus.RETIRED] })
      .orderBy("m.status = 'ACTIVE'", "DESC")
      .addOrderBy("m.activated_at", "DESC", "NULLS LAST")
      .limit(limit)
      .getMany();
  }

  async artifact(id: number): Promise<Buffer | null> {
    const rows: { artifact: Buffer | null }[] = await this.dataSource.query(`SELECT artifact FROM models WHERE id = $1`, [id]);
    return rows[0]?.artifact ?? null;
  }

  history(limit: number): Promise<ModelRecord[]> {
    return this.repo.find({ order: { id: "DESC" }, take: limit });
  }

  /** Events logged after the active model's watermark, and that model's age: what retraining triggers on. */
  /** Events past the active model's watermark, when it was activated, and the newest event id (0 for none). */
  async staleness(): Promise<{ newEvents: number; activeSince: Date | null; lastEventId: number }> {
    const rows: { new_events: string; activated_at: Date | null; last_event_id: string }[] = await this.dataSource.query(
      `SELECT (SELECT count(*) FROM interactions i WHERE i.id > coalesce(a.event_watermark, 0))::text AS new_events, a.activated_at,
              (SELECT coalesce(max(id), 0) FROM interactions)::text AS last_event_id
         FROM (SELECT 1) one LEFT JOIN models a ON a.status = 'ACTIVE'`,
    );
    return { newEvents: Number(rows[0].new_events), activeSince: rows[0].activated_at, lastEventId: Number(rows[0].last_event_id) };
  }
}
