import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Each model keeps the event weights it was trained with (learned or hand-set) and the trials of
 * its tuning (issue 12): models.event_weights (type -> weight; existing rows get the hand-set
 * weights in force now, which are what they were trained on) and models.tuning (a JSON array).
 */
export class ModelEventWeights1796174500000 implements MigrationInterface {
  name = "ModelEventWeights1796174500000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "models" ADD COLUMN "event_weights" jsonb, ADD COLUMN "tuning" jsonb NOT NULL DEFAULT '[]'`);
    await q.query(`UPDATE "models" SET "event_weights" = (SELECT jsonb_object_agg("type", "weight") FROM "event_weights")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "models" DROP COLUMN "event_weights", DROP COLUMN "tuning"`);
  }
}
