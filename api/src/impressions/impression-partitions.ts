import type { DataSource } from "typeorm";
import { TimePartitions } from "../database/time-partitions";

/** pg advisory lock key: one process at a time creates or drops impression partitions. */
const PARTITION_LOCK = 727_384_010;

export interface ImpressionPartitionOptions {
  /** Days kept; partitions of older days are dropped whole. */
  readonly retentionDays: number;
  /** Days created ahead of today (default 7). */
  readonly aheadDays?: number;
  readonly log?: (message: string) => void;
}

/**
 * The daily partitions of `impressions` (and the roll-ups' retention): yesterday to a week
 * ahead, on demand for a day that has none, dropped whole past the retention.
 */
export class ImpressionPartitions extends TimePartitions {
  constructor(dataSource: DataSource, options: ImpressionPartitionOptions) {
    super(dataSource, {
      table: "impressions",
      unit: "day",
      lockKey: PARTITION_LOCK,
      retention: options.retentionDays,
      ahead: options.aheadDays ?? 7,
      behind: 1,
      log: options.log,
      afterDrops: async (q, cutoff) => {
        await q(`DELETE FROM impression_rollups WHERE hour < $1`, [cutoff]);
        await q(`DELETE FROM impression_viewer_rollups WHERE hour < $1`, [cutoff]);
        await q(`DELETE FROM impression_title_rollups WHERE day < $1`, [cutoff]);
      },
    });
  }
}
