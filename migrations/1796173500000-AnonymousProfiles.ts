import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Visitors without a profile (issue 15 §5): an anonymous session is an ephemeral profile,
 * flagged `anonymous`, with an `expires_at` (MARQUEE_ANONYMOUS_TTL_DAYS after it was made).
 * Claiming it clears both in place, keeping its id. The expiry sweep deletes expired ones;
 * their events, scores, impressions, roll-ups and My List go with them through the existing
 * ON DELETE CASCADE foreign keys. The partial index keeps the sweep's scan to anonymous rows.
 */
export class AnonymousProfiles1796173500000 implements MigrationInterface {
  name = "AnonymousProfiles1796173500000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "profiles" ADD COLUMN "anonymous" boolean NOT NULL DEFAULT false, ADD COLUMN "expires_at" timestamptz`);
    await q.query(`ALTER TABLE "profiles" ADD CONSTRAINT "profiles_anonymous_expiry" CHECK (NOT "anonymous" OR "expires_at" IS NOT NULL)`);
    await q.query(`CREATE INDEX "profiles_anonymous_expires_idx" ON "profiles" ("expires_at") WHERE "anonymous"`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "profiles_anonymous_expires_idx"`);
    await q.query(`ALTER TABLE "profiles" DROP CONSTRAINT "profiles_anonymous_expiry", DROP COLUMN "expires_at", DROP COLUMN "anonymous"`);
  }
}
