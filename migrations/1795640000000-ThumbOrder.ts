import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Which event set a pair's thumb: its client time and id. A thumb that arrives late (queued
 * offline) but is older than the stored one no longer overrides it, so the incremental score
 * matrix always equals a rebuild from the log (latest thumb by client time, then id).
 */
export class ThumbOrder1795640000000 implements MigrationInterface {
  name = "ThumbOrder1795640000000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "interaction_scores" ADD "thumb_at" timestamptz, ADD "thumb_event_id" bigint`);
    await q.query(`UPDATE "interaction_scores" s SET "thumb_at" = t."occurred_at", "thumb_event_id" = t."id"
                   FROM (SELECT DISTINCT ON ("profile_id", "movie_id") "profile_id", "movie_id", "occurred_at", "id"
                         FROM "interactions" WHERE "type" IN ('LIKE', 'DISLIKE')
                         ORDER BY "profile_id", "movie_id", "occurred_at" DESC, "id" DESC) t
                   WHERE t."profile_id" = s."profile_id" AND t."movie_id" = s."movie_id"`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "interaction_scores" DROP COLUMN "thumb_at", DROP COLUMN "thumb_event_id"`);
  }
}
