import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The event log ages (issue 15 §3): `interactions` becomes a table partitioned by month of
 * `occurred_at`, keeping every row and every id.
 *
 * - The existing table is attached, as it is, as the first partition `interactions_until_YYYYMM`
 *   (MINVALUE up to the start of the month after its latest event, or of this month when it is
 *   empty): no row is copied. A CHECK constraint of exactly that bound is added NOT VALID and then
 *   validated, so ATTACH PARTITION finds the bound proven and skips its own scan; the CHECK is
 *   dropped once attached. Old queued events (any occurredAt before the bound) keep landing there.
 * - Postgres 15: a partitioned table has no identity column, so ids come from the sequence
 *   `interactions_id_seq`, started where the identity stopped; every unique key includes the
 *   partition key, so the primary key is (id, occurred_at) and the client event id
 *   deduplication moves to `interaction_client_ids` ((profile, client event id) -> the event's
 *   id and time), filled here from the stored rows.
 * - `interaction_scores_archived`: per pair, the aggregate (counts, max progress, latest thumb,
 *   ...) of the events whose partitions retention dropped (MARQUEE_EVENT_RETENTION_MONTHS), so
 *   `rebuild-scores` = archived part + what the log still holds, the same as before the drop.
 * - This month and the next two get their partitions (the server keeps making them ahead).
 *
 * One transaction, so a failure leaves the old schema. It takes the table's exclusive lock
 * from the first ALTER to the commit (a few scans of the table: the client ids, the bound, the
 * new primary key's index); the API runs migrations before it listens, and old processes could
 * not write to the new table anyway (their ON CONFLICT target is gone), so it is a stop-the-world
 * step by nature. No foreign key references `interactions` (interaction_scores.thumb_event_id
 * is a plain value), and its own keys (profile, movie; both ON DELETE CASCADE) move to the parent.
 */
export class PartitionedInteractions1796177839118 implements MigrationInterface {
  name = "PartitionedInteractions1796177839118";

  public async up(q: QueryRunner): Promise<void> {
    // The client event ids first (a plain read of the old table).
    await q.query(`CREATE TABLE "interaction_client_ids" (
      "profile_id" uuid NOT NULL,
      "client_event_id" text NOT NULL,
      "interaction_id" bigint NOT NULL,
      "occurred_at" timestamptz NOT NULL,
      CONSTRAINT "interaction_client_ids_pkey" PRIMARY KEY ("profile_id", "client_event_id"),
      CONSTRAINT "interaction_client_ids_profile_fk" FOREIGN KEY ("profile_id") REFERENCES "profiles"("id") ON DELETE CASCADE)`);
    await q.query(`INSERT INTO "interaction_client_ids" ("profile_id", "client_event_id", "interaction_id", "occurred_at")
                   SELECT "profile_id", "client_event_id", "id", "occurred_at" FROM "interactions" WHERE "client_event_id" IS NOT NULL`);
    // Retention forgets the client ids of the months it drops.
    await q.query(`CREATE INDEX "interaction_client_ids_occurred_idx" ON "interaction_client_ids" ("occurred_at")`);

    // The first partition's upper bound: the start (UTC) of the month after the latest event.
    const [{ bound, suffix }] = (await q.query(`
      SELECT to_char(b, 'YYYY-MM-DD"T00:00:00Z"') AS bound, to_char(b, 'YYYYMM') AS suffix
      FROM (SELECT CASE WHEN max("occurred_at") IS NULL THEN date_trunc('month', now() AT TIME ZONE 'UTC')
                        ELSE date_trunc('month', max("occurred_at") AT TIME ZONE 'UTC') + interval '1 month' END AS b
            FROM "interactions") t`)) as { bound: string; suffix: string }[];
    const legacy = `interactions_until_${suffix}`;

    await q.query(`ALTER TABLE "interactions" ADD CONSTRAINT "interactions_legacy_bound" CHECK ("occurred_at" < '${bound}') NOT VALID`);
    await q.query(`ALTER TABLE "interactions" VALIDATE CONSTRAINT "interactions_legacy_bound"`);

    // Unique keys include the partition key: the id's key becomes (id, occurred_at), built
    // here so that ATTACH adopts it; the client event id key has moved to its own table.
    await q.query(`ALTER TABLE "interactions" DROP CONSTRAINT "interactions_profile_client_event_key"`);
    await q.query(`CREATE UNIQUE INDEX "${legacy}_pkey" ON "interactions" ("id", "occurred_at")`);
    await q.query(`ALTER TABLE "interactions" DROP CONSTRAINT "PK_interactions_id"`);
    await q.query(`ALTER TABLE "interactions" ADD CONSTRAINT "${legacy}_pkey" PRIMARY KEY USING INDEX "${legacy}_pkey"`);

    // The identity becomes a plain sequence that goes on where the identity stopped (ids are never reused).
    const [seq] = (await q.query(`SELECT pg_get_serial_sequence('interactions', 'id') AS name`)) as { name: string }[];
    const [{ last_value, is_called }] = (await q.query(`SELECT last_value::text, is_called FROM ${seq.name}`)) as { last_value: string; is_called: boolean }[];
    await q.query(`ALTER TABLE "interactions" ALTER COLUMN "id" DROP IDENTITY`);
    await q.query(`CREATE SEQUENCE "interactions_id_seq" AS bigint`);
    await q.query(`SELECT setval('interactions_id_seq', $1::bigint, $2)`, [last_value, is_called]);

    await q.query(`ALTER TABLE "interactions" RENAME TO "${legacy}"`);
    await q.query(`ALTER INDEX "interactions_profile_occurred_idx" RENAME TO "${legacy}_profile_occurred_idx"`);
    await q.query(`ALTER INDEX "interactions_received_idx" RENAME TO "${legacy}_received_idx"`);

    await q.query(`CREATE TABLE "interactions" (
      "id" bigint NOT NULL DEFAULT nextval('interactions_id_seq'),
      "profile_id" uuid NOT NULL,
      "movie_id" integer NOT NULL,
      "type" "interaction_type" NOT NULL,
      "weight" real NOT NULL,
      "progress" real,
      "position_seconds" real,
      "occurred_at" timestamptz NOT NULL,
      "received_at" timestamptz NOT NULL DEFAULT now(),
      "client_event_id" text,
      "rec_served_at" timestamptz,
      "rec_surface" "surface",
      "rec_row_kind" "row_kind",
      "rec_row_position" smallint,
      "rec_item_position" smallint,
      "rec_model_id" integer,
      "rec_experiment_id" integer,
      "rec_arm" smallint,
      "rec_propensity" real,
      CONSTRAINT "interactions_pkey" PRIMARY KEY ("id", "occurred_at"),
      CONSTRAINT "interactions_progress_check" CHECK ("progress" IS NULL OR ("progress" >= 0 AND "progress" <= 1)),
      CONSTRAINT "interactions_position_check" CHECK ("position_seconds" IS NULL OR "position_seconds" >= 0),
      CONSTRAINT "interactions_profile_fk" FOREIGN KEY ("profile_id") REFERENCES "profiles"("id") ON DELETE CASCADE,
      CONSTRAINT "interactions_movie_fk" FOREIGN KEY ("movie_id") REFERENCES "movies"("id") ON DELETE CASCADE
    ) PARTITION BY RANGE ("occurred_at")`);
    await q.query(`ALTER SEQUENCE "interactions_id_seq" OWNED BY "interactions"."id"`);
    await q.query(`CREATE INDEX "interactions_profile_occurred_idx" ON "interactions" ("profile_id", "occurred_at" DESC)`);
    await q.query(`CREATE INDEX "interactions_received_idx" ON "interactions" ("received_at")`);

    // The old table's indexes, checks and foreign keys match the parent's: ATTACH adopts them.
    await q.query(`ALTER TABLE "interactions" ATTACH PARTITION "${legacy}" FOR VALUES FROM (MINVALUE) TO ('${bound}')`);
    await q.query(`ALTER TABLE "${legacy}" DROP CONSTRAINT "interactions_legacy_bound"`);

    // This month and the next two (those not already inside the first partition).
    await q.query(`DO $$
      DECLARE m timestamp;
      BEGIN
        FOR m IN SELECT generate_series(greatest('${bound}'::timestamptz AT TIME ZONE 'UTC', date_trunc('month', now() AT TIME ZONE 'UTC')),
                                        date_trunc('month', now() AT TIME ZONE 'UTC') + interval '2 months', interval '1 month') LOOP
          EXECUTE format('CREATE TABLE %I PARTITION OF interactions FOR VALUES FROM (%L) TO (%L)',
                         'interactions_' || to_char(m, 'YYYYMM'), (m AT TIME ZONE 'UTC')::text, ((m + interval '1 month') AT TIME ZONE 'UTC')::text);
        END LOOP;
      END $$`);

    await q.query(`CREATE TABLE "interaction_scores_archived" (
      "profile_id" uuid NOT NULL,
      "movie_id" integer NOT NULL,
      "score" real NOT NULL,
      "event_count" integer NOT NULL,
      "thumbnail_clicks" integer NOT NULL,
      "plays" integer NOT NULL,
      "watched_full_count" integer NOT NULL,
      "skips" integer NOT NULL,
      "closes" integer NOT NULL,
      "likes" integer NOT NULL,
      "dislikes" integer NOT NULL,
      "list_adds" integer NOT NULL,
      "max_progress" real,
      "last_event_at" timestamptz NOT NULL,
      "watched_full" boolean NOT NULL,
      "liked" boolean NOT NULL,
      "disliked" boolean NOT NULL,
      "in_list" boolean NOT NULL,
      "thumb_at" timestamptz,
      "thumb_event_id" bigint,
      "updated_at" timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "interaction_scores_archived_pkey" PRIMARY KEY ("profile_id", "movie_id"),
      CONSTRAINT "interaction_scores_archived_profile_fk" FOREIGN KEY ("profile_id") REFERENCES "profiles"("id") ON DELETE CASCADE,
      CONSTRAINT "interaction_scores_archived_movie_fk" FOREIGN KEY ("movie_id") REFERENCES "movies"("id") ON DELETE CASCADE)`);
  }

  /** Back to one plain table (every row still stored; the archived aggregates are lost). */
  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "interaction_scores_archived"`);
    await q.query(`CREATE TABLE "interactions_flat" (LIKE "interactions")`);
    await q.query(`ALTER TABLE "interactions_flat" ALTER COLUMN "received_at" SET DEFAULT now()`);
    await q.query(`INSERT INTO "interactions_flat" SELECT * FROM "interactions"`);
    const [{ next }] = (await q.query(`SELECT nextval('interactions_id_seq')::text AS next`)) as { next: string }[];
    await q.query(`DROP TABLE "interactions"`); // its partitions and sequence with it
    await q.query(`DROP TABLE "interaction_client_ids"`);
    await q.query(`ALTER TABLE "interactions_flat" RENAME TO "interactions"`);
    await q.query(`ALTER TABLE "interactions" ALTER COLUMN "id" ADD GENERATED ALWAYS AS IDENTITY (START WITH ${next})`);
    await q.query(`ALTER TABLE "interactions"
      ADD CONSTRAINT "PK_interactions_id" PRIMARY KEY ("id"),
      ADD CONSTRAINT "interactions_profile_client_event_key" UNIQUE ("profile_id", "client_event_id"),
      ADD CONSTRAINT "interactions_progress_check" CHECK ("progress" IS NULL OR ("progress" >= 0 AND "progress" <= 1)),
      ADD CONSTRAINT "interactions_position_check" CHECK ("position_seconds" IS NULL OR "position_seconds" >= 0),
      ADD CONSTRAINT "interactions_profile_fk" FOREIGN KEY ("profile_id") REFERENCES "profiles"("id") ON DELETE CASCADE,
      ADD CONSTRAINT "interactions_movie_fk" FOREIGN KEY ("movie_id") REFERENCES "movies"("id") ON DELETE CASCADE`);
    await q.query(`CREATE INDEX "interactions_profile_occurred_idx" ON "interactions" ("profile_id", "occurred_at" DESC)`);
    await q.query(`CREATE INDEX "interactions_received_idx" ON "interactions" ("received_at")`);
  }
}
