import type { DataSource } from "typeorm";
import type { Surface } from "../recommendations/surface";
import { ExperimentMetric, ExperimentStatus } from "./experiment-status";
import { Experiment, type StoredArm } from "./experiment.type";

/** Postgres channel on which a started or stopped experiment's id is announced to every API process. */
export const EXPERIMENT_CHANNEL = "marquee_experiments";

interface ExperimentRow {
  id: number;
  name: string;
  surface: Surface;
  traffic_percent: number;
  primary_metric: ExperimentMetric;
  arms: StoredArm[];
  status: ExperimentStatus;
  salt: string;
  created_at: Date;
  started_at: Date | null;
  stopped_at: Date | null;
  stop_reason: string | null;
}

function toExperiment(row: ExperimentRow): Experiment {
  return Object.assign(new Experiment(), {
    id: String(row.id),
    name: row.name,
    surface: row.surface,
    status: row.status,
    trafficPercent: row.traffic_percent,
    primaryMetric: row.primary_metric,
    arms: row.arms.map((a) => ({ ...a, settings: a.settings ?? {}, pinnedModelId: a.pinnedModelId ?? null })),
    createdAt: row.created_at,
    startedAt: row.started_at,
    stoppedAt: row.stopped_at,
    stopReason: row.stop_reason,
    salt: row.salt,
  });
}

/** TypeORM returns [rows, affected] for an UPDATE ... RETURNING on Postgres. */
function updatedRows(result: unknown): ExperimentRow[] {
  return (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as ExperimentRow[];
}

/** One viewer's counts in one hour of an experiment (from impression_viewer_rollups). */
export interface ViewerHourCounts {
  readonly profileId: string;
  readonly arm: number;
  readonly hour: Date;
  readonly impressions: number;
  readonly clicks: number;
  readonly plays: number;
  readonly watchedFull: number;
}

/** The only code that reads and writes `experiments` (and reads an experiment's roll-ups). */
export class ExperimentRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(fields: { name: string; surface: Surface; trafficPercent: number; primaryMetric: ExperimentMetric; arms: StoredArm[]; salt: string }): Promise<Experiment> {
    const rows: ExperimentRow[] = await this.dataSource.query(
      `INSERT INTO experiments (name, surface, traffic_percent, primary_metric, arms, salt) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [fields.name, fields.surface, fields.trafficPercent, fields.primaryMetric, JSON.stringify(fields.arms), fields.salt],
    );
    return toExperiment(rows[0]);
  }

  async findById(id: number): Promise<Experiment | null> {
    const rows: ExperimentRow[] = await this.dataSource.query(`SELECT * FROM experiments WHERE id = $1`, [id]);
    return rows[0] ? toExperiment(rows[0]) : null;
  }

  async list(): Promise<Experiment[]> {
    const rows: ExperimentRow[] = await this.dataSource.query(`SELECT * FROM experiments ORDER BY id DESC`);
    return rows.map(toExperiment);
  }

  async running(): Promise<Experiment[]> {
    const rows: ExperimentRow[] = await this.dataSource.query(`SELECT * FROM experiments WHERE status = 'RUNNING' ORDER BY id`);
    return rows.map(toExperiment);
  }

  /**
   * DRAFT -> RUNNING with the arms' pinned models; null when it was not a draft any more. Throws
   * the unique violation `experiments_one_running_per_surface` when its surface has one running.
   */
  async start(id: number, arms: StoredArm[]): Promise<Experiment | null> {
    return this.dataSource.transaction(async (em) => {
      const rows = updatedRows(
        await em.query(`UPDATE experiments SET status = 'RUNNING', started_at = now(), arms = $2 WHERE id = $1 AND status = 'DRAFT' RETURNING *`, [id, JSON.stringify(arms)]),
      );
      if (rows.length === 0) return null;
      await em.query(`SELECT pg_notify($1, $2)`, [EXPERIMENT_CHANNEL, String(id)]);
      return toExperiment(rows[0]);
    });
  }

  /** RUNNING (or DRAFT) -> STOPPED with a reason; null when it was stopped already. */
  async stop(id: number, reason: string): Promise<Experiment | null> {
    return this.dataSource.transaction(async (em) => {
      const rows = updatedRows(
        await em.query(`UPDATE experiments SET status = 'STOPPED', stopped_at = now(), stop_reason = $2 WHERE id = $1 AND status <> 'STOPPED' RETURNING *`, [id, reason.slice(0, 2000)]),
      );
      if (rows.length === 0) return null;
      await em.query(`SELECT pg_notify($1, $2)`, [EXPERIMENT_CHANNEL, String(id)]);
      return toExperiment(rows[0]);
    });
  }

  /** Whether a model exists with a stored artifact (so it can be pinned; REJECTED ones with one were trained for an arm). */
  async servableModel(id: number): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM models WHERE id = $1 AND artifact IS NOT NULL AND status IN ('ACTIVE', 'RETIRED', 'REJECTED')`, [id]);
    return rows.length > 0;
  }

  /** The newest model of an algorithm that can serve (active or retired, with its artifact). */
  async newestModelOf(algorithm: string): Promise<number | null> {
    const rows: { id: number }[] = await this.dataSource.query(
      `SELECT id FROM models WHERE algorithm = $1 AND artifact IS NOT NULL AND status IN ('ACTIVE', 'RETIRED', 'REJECTED') ORDER BY id DESC LIMIT 1`,
      [algorithm],
    );
    return rows[0]?.id ?? null;
  }

  /** Every viewer's counts per hour of the experiment, hour order (the per-viewer roll-up). */
  async viewerHours(experimentId: number): Promise<ViewerHourCounts[]> {
    const rows: { profile_id: string; arm: number; hour: Date; impressions: string; clicks: string; plays: string; watched_full: string }[] = await this.dataSource.query(
      `SELECT profile_id, arm, hour, sum(impressions) AS impressions, sum(clicks) AS clicks, sum(plays) AS plays, sum(watched_full) AS watched_full
         FROM impression_viewer_rollups WHERE experiment_id = $1
        GROUP BY hour, profile_id, arm ORDER BY hour`,
      [experimentId],
    );
    return rows.map((r) => ({
      profileId: r.profile_id,
      arm: r.arm,
      hour: r.hour,
      impressions: Number(r.impressions),
      clicks: Number(r.clicks),
      plays: Number(r.plays),
      watchedFull: Number(r.watched_full),
    }));
  }
}
