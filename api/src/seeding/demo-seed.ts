import { readFileSync } from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import type { PoolClient } from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { DataSource } from "typeorm";
import { buildDemoAudience, type CatalogEntry } from "../../../seeds/demo-audience";
import { findRepoRoot } from "../config";
import type { EventWeights } from "../interactions/event-weights";
import { InteractionPartitions } from "../interactions/interaction-partitions";
import { rebuildInteractionScoresIn, type Queryable } from "../interactions/interaction-score.repository";
import { LIST_FROM_EVENTS_SQL } from "../my-list/my-list.repository";

export interface SeedResult {
  readonly movies: number;
  readonly profiles: number;
  readonly events: number;
  readonly millis: number;
}

export function catalogPath(): string {
  return path.join(findRepoRoot(), "seeds", "catalog.json");
}

export function readCatalog(file = catalogPath()): CatalogEntry[] {
  return JSON.parse(readFileSync(file, "utf8")) as CatalogEntry[];
}

/** Inserts the catalog (one statement), keeping MovieLens ids, and moves the identity past them. */
export async function loadCatalog(db: Queryable, catalog: readonly CatalogEntry[]): Promise<void> {
  await db.query(
    `INSERT INTO movies (id, title, year, genres, synopsis, runtime_minutes, maturity_rating)
     SELECT id, title, year, ARRAY(SELECT json_array_elements_text(genres)), synopsis, runtime_minutes, maturity_rating
     FROM json_to_recordset($1::json) AS c(id int, title text, year int, genres json, synopsis text, "runtime_minutes" int, "maturity_rating" text)`,
    [JSON.stringify(catalog.map((m) => ({ ...m, runtime_minutes: m.runtimeMinutes, maturity_rating: m.maturityRating })))],
  );
  await db.query(`SELECT setval(pg_get_serial_sequence('movies', 'id'), (SELECT max(id) FROM movies))`);
}

/** COPY text-format field: \N for null; our values hold no tabs, newlines or backslashes. */
function field(value: number): string {
  return Number.isNaN(value) ? "\\N" : String(value);
}

/**
 * Seeds a database whose catalog is empty: catalog, profiles, then the simulated events by COPY
 * (each with the weight in force), then the score matrix rebuilt set-based; all in one
 * transaction on one connection, under an advisory lock so that two API processes starting on
 * one empty database seed it once. Seconds, not minutes: no statement runs per event.
 * Returns null when the catalog was not empty.
 */
export async function seedIfEmpty(dataSource: DataSource, weights: EventWeights): Promise<SeedResult | null> {
  const started = Date.now();
  const [client, release] = (await dataSource.driver.obtainMasterConnection()) as [PoolClient, (err?: Error) => void];
  const db: Queryable = { query: async (sql: string, params?: unknown[]) => (await client.query(sql, params)).rows };
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(hashtext('marquee:demo-seed'))");
    const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM (SELECT 1 FROM movies LIMIT 1) t`)) as { n: number }[];
    if (n > 0) {
      await client.query("ROLLBACK");
      release();
      return null;
    }
    const catalog = readCatalog();
    const { profiles, events } = buildDemoAudience(catalog);
    await loadCatalog(db, catalog);
    await db.query(
      `INSERT INTO profiles (id, name, avatar_color, created_at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[])`,
      [profiles.map((p) => p.id), profiles.map((p) => p.name), profiles.map((p) => p.avatarColor), profiles.map((p) => p.createdAt)],
    );
    const lines = function* (): Generator<string> {
      const chunk: string[] = [];
      for (let i = 0; i < events.length; i++) {
        const type = events.type[i];
        const at = new Date(events.occurredAtMs[i]).toISOString();
        chunk.push(
          [profiles[events.profile[i]].id, events.movieId[i], type, weights[type], field(events.progress[i]),
            field(events.positionSeconds[i]), at, at, `seed-${i}`].join("\t"),
        );
        if (chunk.length === 5000) {
          yield chunk.join("\n") + "\n";
          chunk.length = 0;
        }
      }
      if (chunk.length) yield chunk.join("\n") + "\n";
    };
    // On another connection, before this transaction touches interactions.
    await new InteractionPartitions(dataSource, { retentionMonths: null }).ensure(events.occurredAtMs);
    await pipeline(
      Readable.from(lines()),
      client.query(
        copyFrom(
          `COPY interactions (profile_id, movie_id, type, weight, progress, position_seconds, occurred_at, received_at, client_event_id) FROM STDIN`,
        ),
      ),
    );
    await db.query(
      `INSERT INTO interaction_client_ids (profile_id, client_event_id, interaction_id, occurred_at)
       SELECT profile_id, client_event_id, id, occurred_at FROM interactions WHERE client_event_id IS NOT NULL`,
    );
    await rebuildInteractionScoresIn(db);
    await db.query(LIST_FROM_EVENTS_SQL);
    await client.query("COMMIT");
    release();
    return { movies: catalog.length, profiles: profiles.length, events: events.length, millis: Date.now() - started };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    release(error as Error);
    throw error;
  }
}
