import { BadUserInputError } from "../common/errors";
import type { Reads } from "../database/read-replica";
import type { InteractionType } from "../interactions/interaction-type";
import type { EventWeight } from "../models/model-record.entity";
import type { ModelServer } from "../models/model-server";
import { EventVolumePoint, ModelCoverage, VolumeBucket } from "./admin.types";

/** Most points one series may have (a month of hours, a year of days). */
const MAX_POINTS: Record<VolumeBucket, number> = { [VolumeBucket.HOUR]: 24 * 31, [VolumeBucket.DAY]: 366 };
const BUCKET_MS: Record<VolumeBucket, number> = { [VolumeBucket.HOUR]: 3_600_000, [VolumeBucket.DAY]: 86_400_000 };

/** Operators' views (charts): event volume over time and the serving model's coverage. Lag-tolerant: given the read replica when there is one. */
export class AdminService {
  constructor(
    private readonly reads: Reads,
    private readonly models: ModelServer,
  ) {}

  /** Events received per bucket since `since` (default: the last 48 hours or 30 days). Empty buckets are zeros. */
  async eventVolume(bucket: VolumeBucket, since: Date | null | undefined, now = new Date()): Promise<EventVolumePoint[]> {
    const width = BUCKET_MS[bucket];
    const from = since ?? new Date(now.getTime() - (bucket === VolumeBucket.HOUR ? 48 : 30) * width);
    if (Number.isNaN(from.getTime()) || from > now) throw new BadUserInputError("since must be a time in the past", { field: "since" });
    if ((now.getTime() - from.getTime()) / width > MAX_POINTS[bucket]) {
      throw new BadUserInputError(`since is too far back for ${bucket} buckets: at most ${MAX_POINTS[bucket]} points (use DAY, or a later since)`, { field: "since" });
    }
    const unit = bucket === VolumeBucket.HOUR ? "hour" : "day";
    // generate_series fills the gaps, so a quiet hour shows as 0 instead of disappearing.
    const rows: { start: Date; events: number; viewers: number }[] = await this.reads.query(
      `SELECT s.start, count(i.id)::int AS events, count(DISTINCT i.profile_id)::int AS viewers
         FROM generate_series(date_trunc($1, $2::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
                              date_trunc($1, $3::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
                              ('1 ' || $1)::interval) AS s(start)
         LEFT JOIN interactions i ON i.received_at >= s.start AND i.received_at < s.start + ('1 ' || $1)::interval
        GROUP BY s.start ORDER BY s.start`,
      [unit, from, now],
    );
    return rows.map((row) => Object.assign(new EventVolumePoint(), { start: new Date(row.start), events: row.events, viewers: row.viewers }));
  }

  /** Null before the first model. */
  /** The hand-set weights (table event_weights), by type: what a model's learned weights are compared with. */
  async handSetEventWeights(): Promise<EventWeight[]> {
    const rows: { type: InteractionType; weight: number }[] = await this.reads.query(`SELECT type, weight::float8 AS weight FROM event_weights ORDER BY type`);
    return rows.map((r) => ({ type: r.type, weight: Number(r.weight) }));
  }

  async coverage(): Promise<ModelCoverage | null> {
    const record = this.models.current?.record;
    if (!record) return null;
    const [{ movies, profiles }]: { movies: number; profiles: number }[] = await this.reads.query(
      `SELECT (SELECT count(*)::int FROM movies) AS movies, (SELECT count(*)::int FROM profiles) AS profiles`,
    );
    const modelTitles = record.titles ?? 0;
    const modelViewers = record.viewers ?? 0;
    return Object.assign(new ModelCoverage(), {
      modelId: String(record.id),
      modelTitles,
      catalogTitles: movies,
      titleCoverage: movies > 0 ? Math.min(1, modelTitles / movies) : 0,
      modelViewers,
      profiles,
      viewerCoverage: profiles > 0 ? Math.min(1, modelViewers / profiles) : 0,
    });
  }
}
