import type { DataSource } from "typeorm";
import { TimePartitions, type Query, type TimePartition } from "../database/time-partitions";
import { SCORE_COLUMNS, SCORE_MERGE, scoreAggregates } from "./interaction-score.repository";

/** pg advisory lock key: one process at a time creates or drops interaction partitions. */
const PARTITION_LOCK = 727_384_011;

export interface InteractionPartitionOptions {
  /** Whole months of events kept besides the current one (`MARQUEE_EVENT_RETENTION_MONTHS`); null keeps all. */
  readonly retentionMonths: number | null;
  readonly log?: (message: string) => void;
}

/** The client event ids of a partition's events (a resend after the drop is a new event). */
async function forgetClientIds(q: Query, partition: TimePartition): Promise<void> {
  await q(`DELETE FROM interaction_client_ids WHERE ($1::timestamptz IS NULL OR occurred_at >= $1) AND occurred_at < $2`, [
    partition.from === null ? null : new Date(partition.from),
    new Date(partition.to),
  ]);
}

/**
 * Folds a partition's events into `interaction_scores_archived` (per pair: counts, max progress,
 * latest thumb, ... exactly as a rebuild aggregates them) and forgets their client event ids,
 * before the partition is dropped, so that `rebuild-scores` still gives every pair its score.
 * The scan runs while ingest goes on (the bulk of the client ids went in `prepareDrop`, committed
 * before, so that no writer waits on a row lock of ours while we wait for the table); then the
 * parent's exclusive lock (which the DROP needs anyway; taken first, so that no writer holding
 * the parent can deadlock with it) stops writers, and whatever changed meanwhile (a late event
 * for that month, a deleted profile) is folded again under the lock.
 */
async function archivePartition(q: Query, partition: TimePartition): Promise<void> {
  const fold = `SELECT * FROM (SELECT ${scoreAggregates("i.weight")} FROM "${partition.name}" i GROUP BY i.profile_id, i.movie_id) t (${SCORE_COLUMNS})`;
  await q(`CREATE TEMP TABLE interaction_archive_fold ON COMMIT DROP AS ${fold}`);
  await q(`LOCK TABLE ONLY interactions IN ACCESS EXCLUSIVE MODE`);
  const [{ folded, stored }] = (await q(
    `SELECT (SELECT coalesce(sum(event_count), 0)::bigint::text FROM interaction_archive_fold) AS folded, (SELECT count(*)::text FROM "${partition.name}") AS stored`,
  )) as { folded: string; stored: string }[];
  if (folded !== stored) {
    await q(`TRUNCATE interaction_archive_fold`);
    await q(`INSERT INTO interaction_archive_fold ${fold}`);
  }
  await forgetClientIds(q, partition); // claims made since prepareDrop
  await q(`INSERT INTO interaction_scores_archived AS s (${SCORE_COLUMNS}) SELECT * FROM interaction_archive_fold ORDER BY profile_id, movie_id ${SCORE_MERGE}`);
  await q(`DROP TABLE interaction_archive_fold`);
}

/**
 * The monthly partitions of `interactions`: this month and the next two made ahead, a month
 * made on demand for an event that has none (an old queued event once the first partition is
 * gone), and, with a retention, months that ended more than `retentionMonths` months before
 * this one dropped whole after their events are folded into the archive. The client event ids
 * of a dropped month are forgotten with it (a resend of such an old event counts again).
 */
export class InteractionPartitions extends TimePartitions {
  constructor(dataSource: DataSource, options: InteractionPartitionOptions) {
    super(dataSource, {
      table: "interactions",
      unit: "month",
      lockKey: PARTITION_LOCK,
      retention: options.retentionMonths,
      ahead: 2,
      log: options.log,
      prepareDrop: forgetClientIds,
      beforeDrop: archivePartition,
    });
  }
}
