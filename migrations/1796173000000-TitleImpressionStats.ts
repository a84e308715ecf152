import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Per title and day, how often it was shown and clicked (issue 11: exploration's Thompson
 * sampling draws each title's click rate from these counts). Kept in the same statements as the
 * other impression roll-ups; backfilled from the impressions stored so far.
 */
export class TitleImpressionStats1796173000000 implements MigrationInterface {
  name = "TitleImpressionStats1796173000000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "impression_title_rollups" (
      "day" date NOT NULL,
      "movie_id" integer NOT NULL REFERENCES "movies"("id") ON DELETE CASCADE,
      "impressions" bigint NOT NULL DEFAULT 0,
      "clicks" bigint NOT NULL DEFAULT 0,
      CONSTRAINT "impression_title_rollups_pkey" PRIMARY KEY ("day", "movie_id"))`);
    await q.query(`INSERT INTO "impression_title_rollups" ("day", "movie_id", "impressions", "clicks")
                   SELECT (served_at AT TIME ZONE 'UTC')::date, movie_id, count(*), count(clicked_at) FROM impressions GROUP BY 1, 2`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "impression_title_rollups"`);
  }
}
