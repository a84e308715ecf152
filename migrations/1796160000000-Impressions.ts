import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Impressions and attribution (issue 10).
 *
 * - `impressions`: what a viewer was shown, one row per (page view, row, title) as the client
 *   logs it, carrying what its serving id says. Partitioned by day of the id's served-at time,
 *   so a retried batch lands in the same partition and dedupes on (profile, served at, client
 *   event id), and old days are dropped whole (the server creates and drops the partitions:
 *   impressions.partitions.ts). Postgres 15: unique keys include the partition key, and no
 *   identity column on a partitioned table (the id comes from a sequence). `clicked_at`,
 *   `played_at`, `watched_full_at`: the first attributed event of that kind for the slot
 *   (click or play within the attribution window of the impression).
 * - `impression_rollups` (per hour and slot: surface, row kind, positions, model, experiment,
 *   arm) and `impression_viewer_rollups` (per hour and viewer, without positions), kept in the
 *   same transactions as the impressions and events they count, so online metrics read a few
 *   thousand rows instead of scanning millions of impressions. 0 / -1 stand for "none" in their
 *   keys (model 0: the SQL fallback served; experiment 0, arm -1: outside any experiment).
 * - `interactions` gains the attribution of events that started from a recommended card.
 */
export class Impressions1796160000000 implements MigrationInterface {
  name = "Impressions1796160000000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TYPE "surface" AS ENUM ('HOME', 'TOP_PICKS', 'MORE_LIKE_THIS', 'ONBOARDING')`);
    await q.query(`CREATE TYPE "row_kind" AS ENUM ('CONTINUE_WATCHING', 'TOP_PICKS', 'BECAUSE_YOU_WATCHED', 'VIEWERS_LIKE_YOU', 'TRENDING', 'GENRE', 'NEW', 'POPULAR', 'MORE_LIKE_THIS')`);
    await q.query(`CREATE SEQUENCE "impressions_id_seq" AS bigint`);
    await q.query(`CREATE TABLE "impressions" (
      "id" bigint NOT NULL DEFAULT nextval('impressions_id_seq'),
      "profile_id" uuid NOT NULL,
      "movie_id" integer NOT NULL,
      "served_at" timestamptz NOT NULL,
      "shown_at" timestamptz NOT NULL,
      "received_at" timestamptz NOT NULL DEFAULT now(),
      "surface" "surface" NOT NULL,
      "row_kind" "row_kind" NOT NULL,
      "row_position" smallint NOT NULL,
      "item_position" smallint NOT NULL,
      "model_id" integer,
      "experiment_id" integer,
      "arm" smallint,
      "propensity" real NOT NULL,
      "client_event_id" text,
      "clicked_at" timestamptz,
      "played_at" timestamptz,
      "watched_full_at" timestamptz,
      CONSTRAINT "impressions_dedupe" UNIQUE ("profile_id", "served_at", "client_event_id"),
      CONSTRAINT "impressions_profile_fk" FOREIGN KEY ("profile_id") REFERENCES "profiles"("id") ON DELETE CASCADE,
      CONSTRAINT "impressions_movie_fk" FOREIGN KEY ("movie_id") REFERENCES "movies"("id") ON DELETE CASCADE
    ) PARTITION BY RANGE ("served_at")`);
    await q.query(`ALTER SEQUENCE "impressions_id_seq" OWNED BY "impressions"."id"`);

    for (const [table, extraKey, extraColumns] of [
      ["impression_rollups", `"row_position", "item_position"`, `"row_position" smallint NOT NULL, "item_position" smallint NOT NULL,`],
      ["impression_viewer_rollups", `"profile_id"`, `"profile_id" uuid NOT NULL REFERENCES "profiles"("id") ON DELETE CASCADE,`],
    ] as const) {
      await q.query(`CREATE TABLE "${table}" (
        "hour" timestamptz NOT NULL,
        "surface" "surface" NOT NULL,
        "row_kind" "row_kind" NOT NULL,
        ${extraColumns}
        "model_id" integer NOT NULL,
        "experiment_id" integer NOT NULL,
        "arm" smallint NOT NULL,
        "impressions" bigint NOT NULL DEFAULT 0,
        "clicks" bigint NOT NULL DEFAULT 0,
        "plays" bigint NOT NULL DEFAULT 0,
        "watched_full" bigint NOT NULL DEFAULT 0,
        CONSTRAINT "${table}_pkey" PRIMARY KEY ("hour", "surface", "row_kind", ${extraKey}, "model_id", "experiment_id", "arm"))`);
    }
    await q.query(`CREATE INDEX "impression_viewer_rollups_experiment_idx" ON "impression_viewer_rollups" ("experiment_id", "hour") WHERE "experiment_id" <> 0`);

    await q.query(`ALTER TABLE "interactions"
      ADD COLUMN "rec_served_at" timestamptz,
      ADD COLUMN "rec_surface" "surface",
      ADD COLUMN "rec_row_kind" "row_kind",
      ADD COLUMN "rec_row_position" smallint,
      ADD COLUMN "rec_item_position" smallint,
      ADD COLUMN "rec_model_id" integer,
      ADD COLUMN "rec_experiment_id" integer,
      ADD COLUMN "rec_arm" smallint,
      ADD COLUMN "rec_propensity" real`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "interactions"
      DROP COLUMN "rec_served_at", DROP COLUMN "rec_surface", DROP COLUMN "rec_row_kind", DROP COLUMN "rec_row_position",
      DROP COLUMN "rec_item_position", DROP COLUMN "rec_model_id", DROP COLUMN "rec_experiment_id", DROP COLUMN "rec_arm", DROP COLUMN "rec_propensity"`);
    await q.query(`DROP TABLE "impression_viewer_rollups"`);
    await q.query(`DROP TABLE "impression_rollups"`);
    await q.query(`DROP TABLE "impressions"`);
    await q.query(`DROP TYPE "row_kind"`);
    await q.query(`DROP TYPE "surface"`);
  }
}
