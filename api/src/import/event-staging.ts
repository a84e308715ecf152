import { once } from "node:events";
import type { PoolClient } from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { COPY_NULL as NULL, copyText } from "../database/copy-text";
import type { DataSource } from "typeorm";
import type { InteractionType } from "../interactions/interaction-type";
import type { TimePartitions } from "../database/time-partitions";
import { InteractionPartitions } from "../interactions/interaction-partitions";
import { SCORE_COLUMNS, SCORE_MERGE, scoreAggregates, type Queryable } from "../interactions/interaction-score.repository";

/** One rejected input line: its number in the file and why. */
export interface ImportLineError {
  readonly line: number;
  readonly reason: string;
}

/** Rejected lines: every one is counted, the first `keep` are listed (a 20M-line file may reject millions). */
export class LineErrors {
  readonly listed: ImportLineError[] = [];
  count = 0;
  constructor(readonly keep = 1000) {}

  add(line: number, reason: string): void {
    this.count += 1;
    if (this.listed.length < this.keep) this.listed.push({ line, reason });
  }

  sorted(): ImportLineError[] {
    return [...this.listed].sort((a, b) => a.line - b.line).slice(0, this.keep);
  }
}

/** How the staged rows' `movie` values name movies. */
export type MovieKeys =
  /** Marquee movie ids (`movies.id`). */
  | { readonly kind: "id" }
  /** External ids of a source, through `import_movies` (filled by the catalog step of the same import). */
  | { readonly kind: "external"; readonly source: string };

export interface MergeOptions {
  /** Id space of the `profile` values in `import_profiles`. */
  readonly profileSource: string;
  /** Values shaped like a UUID that name an existing profile are used as they are (events files). */
  readonly acceptProfileUuids: boolean;
  readonly movies: MovieKeys;
  readonly errors: LineErrors;
}

export interface MergeResult {
  /** Valid rows staged (after per-line validation in Node). */
  readonly staged: number;
  /** Rows refused because their movie is unknown (also listed in the errors). */
  readonly unknownMovies: number;
  /** Events added to `interactions` (the rest were there already: same profile and client event id). */
  readonly inserted: number;
  readonly duplicates: number;
  readonly profilesCreated: number;
  /** (profile, movie) rows of `interaction_scores` created or updated. */
  readonly pairsUpdated: number;
  readonly mergeMillis: number;
}


const FLUSH_BYTES = 1 << 20;

/**
 * Collects staged events as COPY text and streams them into the session's staging table.
 * No object per event: `add` appends one text row.
 */
export class EventStager {
  private parts: string[] = [];
  private pendingBytes = 0;
  count = 0;

  constructor(private readonly copy: NodeJS.WritableStream) {}

  /** One event of input line `line`. `occurredMs` is Unix milliseconds; strings are raw (escaped here). */
  add(line: number, profile: string, movie: string, type: InteractionType, occurredMs: number, progress: number | null, clientEventId: string): void {
    const row =
      `${line}\t${copyText(profile)}\t${copyText(movie)}\t${type}\t${occurredMs}\t${progress === null ? NULL : progress}\t${copyText(clientEventId)}\n`;
    this.parts.push(row);
    this.pendingBytes += row.length;
    this.count += 1;
  }

  /** Sends what was added when enough has piled up (or always, with `force`), waiting on backpressure. */
  async flush(force = false): Promise<void> {
    if (this.parts.length === 0 || (!force && this.pendingBytes < FLUSH_BYTES)) return;
    const chunk = this.parts.join("");
    this.parts = [];
    this.pendingBytes = 0;
    if (!this.copy.write(chunk)) await once(this.copy, "drain");
  }
}

/** An import in progress: one connection, one transaction. */
export class ImportTransaction implements Queryable {
  constructor(
    readonly client: PoolClient,
    /** Makes the monthly partitions of the staged events' times that have none. */
    private readonly partitions?: Pick<TimePartitions, "ensure">,
  ) {}

  async query(sql: string, params?: unknown[]): Promise<unknown[]> {
    return (await this.client.query(sql, params)).rows as unknown[];
  }

  /**
   * Creates the staging table (TEMP: no WAL, gone at commit) and COPYs into it whatever
   * `produce` adds. Returns how many rows were staged.
   */
  async stage(produce: (stager: EventStager) => Promise<void>): Promise<number> {
    await this.client.query(`CREATE TEMP TABLE import_staging (
      line bigint NOT NULL, profile_ext text NOT NULL, movie_ext text NOT NULL, type interaction_type NOT NULL,
      occurred_ms double precision NOT NULL, progress real, client_event_id text NOT NULL) ON COMMIT DROP`);
    const copy = this.client.query(
      copyFrom(`COPY import_staging (line, profile_ext, movie_ext, type, occurred_ms, progress, client_event_id) FROM STDIN`),
    );
    const done = new Promise<void>((resolve, reject) => {
      copy.on("finish", resolve);
      copy.on("error", reject);
    });
    // Keep a COPY failure from going unhandled while `produce` is still running.
    done.catch(() => undefined);
    const stager = new EventStager(copy);
    try {
      await produce(stager);
      await stager.flush(true);
    } catch (error) {
      copy.destroy(error as Error);
      await done.catch(() => undefined);
      throw error;
    }
    copy.end();
    await done;
    return stager.count;
  }

  /**
   * The foreign keys of interactions, interaction_client_ids and interaction_scores are checked by one trigger call per
   * row: a third of the merge's time. Every row the merge writes joins the profile and movie
   * maps, which hold only rows that exist, so the checks can only fail if a referenced profile
   * or movie is deleted meanwhile. Locking those rows FOR KEY SHARE (one set-based statement)
   * rules that out, and the row-by-row checks can be skipped for the merge statement
   * (session_replication_role = replica). Only when that is allowed (superuser) and safe (no
   * trigger on those tables other than the foreign keys' own); otherwise the checks run.
   */
  private async skipRowByRowForeignKeyChecks(): Promise<boolean> {
    const [{ allowed }] = (await this.query(
      `SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
          AND NOT EXISTS (SELECT 1 FROM pg_trigger WHERE NOT tgisinternal AND tgrelid IN ('interactions'::regclass, 'interaction_client_ids'::regclass, 'interaction_scores'::regclass))
          AS allowed`,
    )) as { allowed: boolean }[];
    if (!allowed) return false;
    await this.query(`SELECT 1 FROM profiles WHERE id IN (SELECT profile_id FROM import_profile_map) FOR KEY SHARE`);
    await this.query(`SELECT 1 FROM movies WHERE id IN (SELECT movie_id FROM import_movie_map) FOR KEY SHARE`);
    await this.query(`SET LOCAL session_replication_role = replica`);
    return true;
  }

  /**
   * The set-based merge of the staged rows: profiles resolved (created for new external ids),
   * movies resolved (rows naming an unknown movie are reported by line and left out), the
   * monthly partitions of the events' times made if missing, then ONE statement inserts the
   * events (each claiming its client event id in interaction_client_ids: nothing twice) and folds
   * exactly the inserted rows into `interaction_scores` with the semantics of logging them one
   * by one (InteractionService / upsertScoreDeltas): counts and scores add up, flags turn on,
   * the latest thumb by client time (then id) replaces the stored one.
   */
  async merge(options: MergeOptions): Promise<MergeResult> {
    const started = Date.now();
    const debug = process.env.MARQUEE_IMPORT_DEBUG === "1";
    const q = async (sql: string, params?: unknown[]) => {
      const t0 = Date.now();
      const rows = await this.query(sql, params);
      if (debug) console.error(`[import] ${Date.now() - t0} ms  ${sql.replace(/\s+/g, " ").slice(0, 90)}`);
      return rows;
    };
    await q(`SET LOCAL work_mem = '256MB'`);
    await q(`ANALYZE import_staging`);
    const [{ staged }] = (await q(`SELECT count(*)::int AS staged FROM import_staging`)) as { staged: number }[];
    if (this.partitions) {
      // On another connection, before this transaction touches interactions (a partition's DDL needs its exclusive lock).
      const months = (await q(
        `SELECT (extract(epoch FROM date_trunc('month', to_timestamp(occurred_ms / 1000.0) AT TIME ZONE 'UTC')) * 1000)::float8 AS month FROM import_staging GROUP BY 1`,
      )) as { month: number }[];
      await this.partitions.ensure(months.map((m) => Number(m.month)));
    }

    await q(`CREATE TEMP TABLE import_movie_map (movie_ext text PRIMARY KEY, movie_id integer NOT NULL) ON COMMIT DROP`);
    if (options.movies.kind === "id") {
      // Validated in Node as positive 32-bit integers, so the cast cannot fail.
      await q(`INSERT INTO import_movie_map
               SELECT d.movie_ext, m.id FROM (SELECT DISTINCT movie_ext FROM import_staging) d JOIN movies m ON m.id = d.movie_ext::int`);
    } else {
      await q(
        `INSERT INTO import_movie_map
         SELECT d.movie_ext, im.movie_id FROM (SELECT DISTINCT movie_ext FROM import_staging) d
         JOIN import_movies im ON im.source = $1 AND im.external_id = d.movie_ext`,
        [options.movies.source],
      );
    }
    const unknown = (await q(
      `SELECT line::int AS line, movie_ext FROM import_staging s
       WHERE NOT EXISTS (SELECT 1 FROM import_movie_map m WHERE m.movie_ext = s.movie_ext)
       ORDER BY line LIMIT $1`,
      [options.errors.keep],
    )) as { line: number; movie_ext: string }[];
    let unknownMovies = unknown.length;
    if (unknown.length === options.errors.keep) {
      const [{ n }] = (await q(
        `SELECT count(*)::int AS n FROM import_staging s WHERE NOT EXISTS (SELECT 1 FROM import_movie_map m WHERE m.movie_ext = s.movie_ext)`,
      )) as { n: number }[];
      unknownMovies = n;
    }
    const hint = options.movies.kind === "id" ? "movie ids come from the movies query or `npm run import -- catalog`" : "it is not in the movies file";
    for (const row of unknown) options.errors.add(row.line, `no movie has id ${row.movie_ext}: ${hint}`);
    options.errors.count += unknownMovies - unknown.length;

    await q(`CREATE TEMP TABLE import_profile_map (profile_ext text PRIMARY KEY, profile_id uuid NOT NULL) ON COMMIT DROP`);
    await q(`CREATE TEMP TABLE import_profile_ext ON COMMIT DROP AS
             SELECT DISTINCT s.profile_ext FROM import_staging s JOIN import_movie_map m ON m.movie_ext = s.movie_ext`);
    if (options.acceptProfileUuids) {
      await q(`INSERT INTO import_profile_map
               SELECT e.profile_ext, p.id FROM import_profile_ext e
               JOIN profiles p ON p.id = (CASE WHEN e.profile_ext ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                                               THEN e.profile_ext::uuid END)`);
    }
    await q(
      `INSERT INTO import_profile_map
       SELECT e.profile_ext, ip.profile_id FROM import_profile_ext e
       JOIN import_profiles ip ON ip.source = $1 AND ip.external_id = e.profile_ext
       ON CONFLICT DO NOTHING`,
      [options.profileSource],
    );
    const [{ created }] = (await q(
      `WITH fresh AS MATERIALIZED (
         SELECT e.profile_ext, gen_random_uuid() AS id FROM import_profile_ext e
         WHERE NOT EXISTS (SELECT 1 FROM import_profile_map m WHERE m.profile_ext = e.profile_ext)),
       made AS (
         INSERT INTO profiles (id, name, avatar_color)
         SELECT id, left('Viewer ' || profile_ext, 60),
                (ARRAY['#e50914','#f5a623','#2e86de','#10ac84','#8e44ad','#e84393','#00a8a8','#6c5ce7','#d35400','#27ae60'])[1 + abs(hashtext(profile_ext) % 10)]
         FROM fresh),
       mapped AS (INSERT INTO import_profiles (source, external_id, profile_id) SELECT $1, profile_ext, id FROM fresh),
       local AS (INSERT INTO import_profile_map SELECT profile_ext, id FROM fresh)
       SELECT count(*)::int AS created FROM fresh`,
      [options.profileSource],
    )) as { created: number }[];

    const checksSkipped = await this.skipRowByRowForeignKeyChecks();
    const [{ inserted, pairs }] = (await q(
      `WITH staged AS MATERIALIZED (
         SELECT nextval('interactions_id_seq') AS id, p.profile_id, m.movie_id, s.type, w.weight, s.progress,
                to_timestamp(s.occurred_ms / 1000.0) AS occurred_at, s.client_event_id
         FROM import_staging s
         JOIN import_movie_map m ON m.movie_ext = s.movie_ext
         JOIN import_profile_map p ON p.profile_ext = s.profile_ext
         JOIN event_weights w ON w.type = s.type),
       claimed AS (
         -- The client event id is the deduplication key (its own table: see InteractionService).
         INSERT INTO interaction_client_ids (profile_id, client_event_id, interaction_id, occurred_at)
         SELECT profile_id, client_event_id, id, occurred_at FROM staged
         ON CONFLICT DO NOTHING
         RETURNING interaction_id),
       inserted AS (
         INSERT INTO interactions (id, profile_id, movie_id, type, weight, progress, occurred_at, client_event_id)
         SELECT st.id, st.profile_id, st.movie_id, st.type, st.weight, st.progress, st.occurred_at, st.client_event_id
         FROM staged st JOIN claimed c ON c.interaction_id = st.id
         RETURNING id, profile_id, movie_id, type, weight, progress, occurred_at),
       listed AS (
         -- An ADD_TO_LIST event also puts the title on My List (as when it is logged live).
         INSERT INTO my_list (profile_id, movie_id, added_at)
         SELECT profile_id, movie_id, min(occurred_at) FROM inserted WHERE type = 'ADD_TO_LIST' GROUP BY profile_id, movie_id
         ON CONFLICT DO NOTHING),
       scored AS (
         INSERT INTO interaction_scores AS s (${SCORE_COLUMNS})
         SELECT ${scoreAggregates("i.weight")}
         FROM inserted i
         GROUP BY i.profile_id, i.movie_id
         ORDER BY i.profile_id, i.movie_id
         ${SCORE_MERGE}
         RETURNING 1)
       SELECT (SELECT count(*)::int FROM inserted) AS inserted, (SELECT count(*)::int FROM scored) AS pairs`,
    )) as { inserted: number; pairs: number }[];

    if (checksSkipped) await q(`SET LOCAL session_replication_role = origin`);
    const merged = staged - unknownMovies;
    return {
      staged,
      unknownMovies,
      inserted,
      duplicates: merged - inserted,
      profilesCreated: created,
      pairsUpdated: pairs,
      mergeMillis: Date.now() - started,
    };
  }
}

/**
 * Runs `work` in one transaction on one pooled connection: everything it writes commits
 * together, or (an error, a crash, a killed process) nothing does. Imports of one source wait
 * for each other (advisory lock), so two runs never race to create the same profiles.
 */
export async function inImportTransaction<T>(dataSource: DataSource, lockKey: string, work: (tx: ImportTransaction) => Promise<T>): Promise<T> {
  const [client, release] = (await dataSource.driver.obtainMasterConnection()) as [PoolClient, (err?: Error) => void];
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`marquee:import:${lockKey}`]);
    const result = await work(new ImportTransaction(client, new InteractionPartitions(dataSource, { retentionMonths: null })));
    await client.query("COMMIT");
    release();
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    // A connection left mid-COPY is not reusable: hand it back broken so the pool drops it.
    release(error as Error);
    throw error;
  }
}
