/**
 * Import benchmark (`npm run bench:import -w api -- [--events 2000000] [--quick] [--no-write]`):
 * a synthetic events CSV (the engine's generator; external viewer ids, no client event ids, so
 * ids are derived from each line as a real export's would be) imported into a fresh database
 * by `ImportService` (COPY into staging + one set-based merge + score upsert), then
 *   - the same file again (everything is a duplicate: the idempotency cost),
 *   - the reference: the very same rows COPYed straight into `interactions` through `pg`
 *     (no staging, no validation, no client-id dedup, no scores), on the same tables,
 *   - ml-100k (u.data + u.item) when /work/shared/data/ml-100k or --movielens DIR exists.
 * Writes the "import" section of BENCHMARKS.md. Target (issue 6): >= 300,000 events/s.
 */
import "reflect-metadata";
import { once } from "node:events";
import { createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { PoolClient } from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { openDatabase } from "../src/database/data-source";
import { EVENT_TYPES, generateAudienceChunks } from "../src/engine/synthetic/audience";
import { ImportService, type ImportSummary } from "../src/import/import.service";
import { readLines } from "../src/import/line-reader";
import { createBenchDatabase } from "./database";
import { describeMachine, table, writeSection } from "./report";

const DEFAULT_MOVIELENS = path.resolve(__dirname, "../../../shared/data/ml-100k");

async function writeEventsCsv(file: string, events: number, viewers: number, titles: number): Promise<void> {
  const out = createWriteStream(file);
  out.write("profile,movie,type,occurred_at,progress\n");
  const end = Math.floor(Date.now() / 1000) - 86400;
  for (const chunk of generateAudienceChunks({ viewers, titles, events, seed: 11, startTime: end - 90 * 86400, endTime: end }, 1 << 16)) {
    const lines: string[] = [];
    for (let i = 0; i < chunk.length; i++) {
      const p = chunk.progress[i];
      lines.push(`v${chunk.viewer[i] + 1},${chunk.title[i] + 1},${EVENT_TYPES[chunk.type[i]]},${Math.floor(chunk.time[i])},${Number.isNaN(p) ? "" : p.toFixed(3)}`);
    }
    if (!out.write(lines.join("\n") + "\n")) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

function rate(events: number, millis: number): string {
  return Math.round(events / (millis / 1000)).toLocaleString("en-US");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: "string" },
      quick: { type: "boolean", default: false },
      movielens: { type: "string" },
      "no-write": { type: "boolean", default: false },
    },
  });
  const events = Number(values.events ?? (values.quick ? 200_000 : 2_000_000));
  const titles = values.quick ? 2000 : 20_000;
  const viewers = Math.max(100, Math.round(events / 50));
  const db = await createBenchDatabase("marquee_bench_import");
  const tmp = mkdtempSync(path.join(os.tmpdir(), "marquee-bench-import-"));
  const dataSource = await openDatabase({ url: db.url });
  try {
    await dataSource.query(
      `INSERT INTO movies (id, title, year, genres) SELECT g, 'Title ' || g, 1950 + g % 75, ARRAY['Drama'] FROM generate_series(1, $1::int) g`,
      [titles],
    );
    await dataSource.query(`SELECT setval(pg_get_serial_sequence('movies', 'id'), $1::int)`, [titles]);
    const csv = path.join(tmp, "events.csv");
    let t = Date.now();
    await writeEventsCsv(csv, events, viewers, titles);
    const mb = statSync(csv).size / 1e6;
    console.log(`wrote ${events.toLocaleString("en-US")} events (${mb.toFixed(0)} MB) in ${((Date.now() - t) / 1000).toFixed(1)} s`);

    const service = new ImportService(dataSource);
    const first = await service.importEvents({ path: csv });
    console.log(`import: ${first.millis} ms (merge ${first.mergeMillis} ms), ${first.eventsImported} events`);
    const again = await service.importEvents({ path: csv });
    console.log(`re-import: ${again.millis} ms, ${again.eventsImported} new`);

    // Reference: the same rows straight into interactions by COPY (profiles resolved in memory).
    const profileIds = new Map<string, string>(
      ((await dataSource.query(`SELECT external_id, profile_id FROM import_profiles WHERE source = 'events'`)) as { external_id: string; profile_id: string }[]).map(
        (r) => [r.external_id, r.profile_id],
      ),
    );
    await dataSource.query(`TRUNCATE interactions, interaction_scores`);
    const [client, release] = (await dataSource.driver.obtainMasterConnection()) as [PoolClient, () => void];
    t = Date.now();
    try {
      const copy = client.query(copyFrom(`COPY interactions (profile_id, movie_id, type, weight, progress, occurred_at) FROM STDIN WITH (FORMAT csv)`));
      const done = new Promise<void>((resolve, reject) => {
        copy.on("finish", resolve);
        copy.on("error", reject);
      });
      const weights: Record<string, number> = { THUMBNAIL_CLICK: 1, PLAY: 2, WATCHED_FULL: 4, SKIPPED: 3, CLOSED: 2, LIKE: 4, DISLIKE: -4, ADD_TO_LIST: 3 };
      let parts: string[] = [];
      await readLines({ path: csv }, {
        onLine(text, line) {
          if (line === 1) return;
          const [profile, movie, type, seconds, progress] = text.split(",");
          if (!profile) return;
          parts.push(`${profileIds.get(profile)},${movie},${type},${weights[type]},${progress},${new Date(Number(seconds) * 1000).toISOString()}\n`);
        },
        async afterChunk() {
          if (parts.length === 0) return;
          const chunk = parts.join("");
          parts = [];
          if (!copy.write(chunk)) await once(copy, "drain");
        },
      });
      copy.end();
      await done;
    } finally {
      release();
    }
    const rawMillis = Date.now() - t;
    console.log(`raw COPY into interactions: ${rawMillis} ms`);

    let movielens: ImportSummary | undefined;
    const mlDir = values.movielens ?? DEFAULT_MOVIELENS;
    if (existsSync(mlDir)) {
      movielens = await service.importMovieLens(mlDir);
      console.log(`movielens ${mlDir}: ${movielens.millis} ms, ${movielens.eventsImported} events`);
    }

    const rows: (string | number)[][] = [
      [
        `events CSV, ${events.toLocaleString("en-US")} events, ${viewers.toLocaleString("en-US")} new viewers, ${mb.toFixed(0)} MB`,
        (first.millis / 1000).toFixed(1),
        ((first.millis - first.mergeMillis) / 1000).toFixed(1),
        (first.mergeMillis / 1000).toFixed(1),
        rate(first.eventsStaged, first.millis),
        "1.00",
      ],
      ["same file again (all duplicates)", (again.millis / 1000).toFixed(1), ((again.millis - again.mergeMillis) / 1000).toFixed(1), (again.mergeMillis / 1000).toFixed(1), rate(again.eventsStaged, again.millis), (first.millis / again.millis).toFixed(2)],
      ["reference: same rows COPY straight into interactions (no staging, dedup, validation or scores)", (rawMillis / 1000).toFixed(1), (rawMillis / 1000).toFixed(1), "-", rate(events, rawMillis), (first.millis / rawMillis).toFixed(2)],
    ];
    if (movielens) {
      rows.push([
        `MovieLens ${movielens.layout}: ${movielens.linesRead.toLocaleString("en-US")} ratings -> ${movielens.eventsImported.toLocaleString("en-US")} events, ${movielens.moviesCreated + movielens.moviesMatched} titles`,
        (movielens.millis / 1000).toFixed(1),
        ((movielens.millis - movielens.mergeMillis) / 1000).toFixed(1),
        (movielens.mergeMillis / 1000).toFixed(1),
        rate(movielens.eventsStaged, movielens.millis),
        "",
      ]);
    }
    const body = [
      `\`npm run import -- events\` path (ImportService): the file is parsed and validated in Node, COPYed into a TEMP staging table, then merged in one transaction ` +
        `(profiles created for new external ids, unknown movies reported, ONE INSERT ... ON CONFLICT DO NOTHING into interactions with the score upsert of the inserted rows in the same statement). ` +
        `Target: >= 300,000 events/s. "vs first import" = the first import's time / this row's time. Load average before the run: ${os.loadavg()[0].toFixed(1)} (2 cores, other work running).`,
      "",
      table(["input", "total s", "read + validate + COPY s", "merge s", "events/s", "vs first import"], rows),
    ].join("\n");
    console.log(body);
    if (!values["no-write"]) {
      const argv = process.argv.slice(2).join(" ");
      writeSection("import", "Bulk import", `npm run bench:import -w api --${argv ? " " + argv : ""}`, describeMachine(db.postgresVersion), body);
      console.log("wrote the import section of BENCHMARKS.md");
    }
  } finally {
    await dataSource.destroy();
    await db.drop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
