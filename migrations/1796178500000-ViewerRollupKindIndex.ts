import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * onlineMetrics by row kind counts distinct viewers over a week of the per-viewer roll-up (two
 * million rows at 10M impressions): this index hands them over in (row kind, viewer) order with
 * the counts included, an index-only scan with no sort (bench:impressions).
 */
export class ViewerRollupKindIndex1796178500000 implements MigrationInterface {
  name = "ViewerRollupKindIndex1796178500000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX "impression_viewer_rollups_kind_profile_idx" ON "impression_viewer_rollups" ("row_kind", "profile_id", "hour") INCLUDE ("impressions", "clicks", "plays", "watched_full")`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "impression_viewer_rollups_kind_profile_idx"`);
  }
}
