import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Versioned recommendation models: every training is one row (candidate, active, retired,
 * rejected or failed) with its validation metrics, the event watermark it saw, and the
 * serialized artifact. At most one row is ACTIVE (a partial unique index says so); API
 * processes switch on `NOTIFY marquee_models`.
 */
export class Models1795610000000 implements MigrationInterface {
  name = "Models1795610000000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TYPE "model_status" AS ENUM ('TRAINING', 'ACTIVE', 'RETIRED', 'REJECTED', 'FAILED')`);
    await q.query(`CREATE TABLE "models" (
      "id" integer GENERATED ALWAYS AS IDENTITY NOT NULL,
      "algorithm" text NOT NULL,
      "params" jsonb NOT NULL DEFAULT '{}',
      "metrics" jsonb,
      "status" "model_status" NOT NULL,
      "status_reason" text,
      "event_watermark" bigint NOT NULL DEFAULT 0,
      "pairs" integer,
      "viewers" integer,
      "titles" integer,
      "training_seconds" real,
      "size_bytes" integer,
      "artifact" bytea,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "trained_at" timestamptz,
      "activated_at" timestamptz,
      CONSTRAINT "PK_models_id" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "models_one_active_idx" ON "models" ((true)) WHERE "status" = 'ACTIVE'`);
    await q.query(`CREATE INDEX "models_created_idx" ON "models" ("created_at")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "models"`);
    await q.query(`DROP TYPE "model_status"`);
  }
}
