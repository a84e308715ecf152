import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * External ids of imported data (`npm run import`, `npm run simulate`): which Marquee profile
 * and movie each source's user and item id became. Re-importing a file maps the same ids to
 * the same rows, so together with deterministic client event ids it adds nothing twice.
 * `source` names the id space (for example `movielens:ml-100k`, `events`, `simulate:seed=1`).
 */
export class Import1795620000000 implements MigrationInterface {
  name = "Import1795620000000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "import_profiles" (
      "source" text NOT NULL,
      "external_id" text NOT NULL,
      "profile_id" uuid NOT NULL,
      CONSTRAINT "import_profiles_pkey" PRIMARY KEY ("source", "external_id"),
      CONSTRAINT "import_profiles_profile_fk" FOREIGN KEY ("profile_id") REFERENCES "profiles"("id") ON DELETE CASCADE)`);
    await q.query(`CREATE INDEX "import_profiles_profile_idx" ON "import_profiles" ("profile_id")`);
    await q.query(`CREATE TABLE "import_movies" (
      "source" text NOT NULL,
      "external_id" text NOT NULL,
      "movie_id" integer NOT NULL,
      CONSTRAINT "import_movies_pkey" PRIMARY KEY ("source", "external_id"),
      CONSTRAINT "import_movies_movie_fk" FOREIGN KEY ("movie_id") REFERENCES "movies"("id") ON DELETE CASCADE)`);
    await q.query(`CREATE INDEX "import_movies_movie_idx" ON "import_movies" ("movie_id")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "import_movies"`);
    await q.query(`DROP TABLE "import_profiles"`);
  }
}
