import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * My List on the server, per profile, so it follows the viewer from device to device. An
 * ADD_TO_LIST event (logged live or imported) puts its title on the list; removing a title only
 * edits the list (the event stays a taste signal). Titles added by earlier events start on it.
 */
export class MyList1795630000000 implements MigrationInterface {
  name = "MyList1795630000000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "my_list" (
      "profile_id" uuid NOT NULL,
      "movie_id" integer NOT NULL,
      "added_at" timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "my_list_pkey" PRIMARY KEY ("profile_id", "movie_id"),
      CONSTRAINT "my_list_profile_fk" FOREIGN KEY ("profile_id") REFERENCES "profiles"("id") ON DELETE CASCADE,
      CONSTRAINT "my_list_movie_fk" FOREIGN KEY ("movie_id") REFERENCES "movies"("id") ON DELETE CASCADE)`);
    await q.query(`CREATE INDEX "my_list_profile_added_idx" ON "my_list" ("profile_id", "added_at" DESC)`);
    await q.query(`INSERT INTO "my_list" ("profile_id", "movie_id", "added_at")
                   SELECT "profile_id", "movie_id", "last_event_at" FROM "interaction_scores" WHERE "in_list"`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "my_list"`);
  }
}
