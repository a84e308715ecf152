import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Experiments (issue 11 §1): A/B tests of a surface's serving, one running per surface (a partial
 * unique index makes that hold across processes and races). `arms` is a JSON array of
 * { name, control, share, modelId, algorithm, settings, pinnedModelId }: an arm is read whole with
 * its experiment and never queried alone, and its position in the array is the arm index carried
 * in serving ids. `salt` keys the viewer hash, so a new experiment re-randomises viewers.
 */
export class Experiments1796173942718 implements MigrationInterface {
  name = "Experiments1796173942718";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TYPE "experiment_status" AS ENUM ('DRAFT', 'RUNNING', 'STOPPED')`);
    await q.query(`CREATE TYPE "experiment_metric" AS ENUM ('CTR', 'PLAY_RATE', 'WATCH_THROUGH_RATE')`);
    await q.query(`CREATE TABLE "experiments" (
      "id" integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      "name" text NOT NULL,
      "surface" "surface" NOT NULL,
      "traffic_percent" smallint NOT NULL DEFAULT 100 CHECK ("traffic_percent" BETWEEN 1 AND 100),
      "primary_metric" "experiment_metric" NOT NULL DEFAULT 'PLAY_RATE',
      "arms" jsonb NOT NULL,
      "status" "experiment_status" NOT NULL DEFAULT 'DRAFT',
      "salt" text NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "started_at" timestamptz,
      "stopped_at" timestamptz,
      "stop_reason" text)`);
    await q.query(`CREATE UNIQUE INDEX "experiments_one_running_per_surface" ON "experiments" ("surface") WHERE "status" = 'RUNNING'`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "experiments"`);
    await q.query(`DROP TYPE "experiment_metric"`);
    await q.query(`DROP TYPE "experiment_status"`);
  }
}
