/**
 * Impressions (`npm run bench:impressions -w api -- [--batch 5000] [--rounds 9] [--impressions 10000000]
 * [--events 1000000] [--quick] [--profile] [--no-write]`), two figures of issue 10:
 *
 * 1. Ingest: logImpressions over HTTP in batches of `--batch` (real serving ids from home, each
 *    batch new client event ids, so every row is stored and rolled up) against a raw COPY of the
 *    same rows into the same table and indexes (no roll-ups, no validation), interleaved round by
 *    round (H C, C H, ...) so that a drift of the machine touches both; medians of rows/s and
 *    their ratio (target >= 0.7).
 * 2. onlineMetrics over `--impressions` impressions and about `--events` attributed events (clicks,
 *    plays, watched in full: impressions settled and events stored with their attribution, the
 *    roll-ups built from them as the server keeps them), spread over 7 days: the 7-day query by
 *    each dimension over HTTP, median of 5 (target < 1 s for ROW_KIND).
 *
 * Writes the "impressions" section of BENCHMARKS.md. `--profile` runs the server under
 * --cpu-prof (profiles in /tmp/marquee-home-prof).
 */
import "reflect-metadata";
import { parseArgs } from "node:util";
import os from "node:os";
import { Client } from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { openDatabase } from "../src/database/data-source";
import { ImpressionPartitions } from "../src/impressions/impression-partitions";
import { simulateAudience } from "../src/import/simulate";
import { trainAndStore } from "../src/models/trainer";
import { createBenchDatabase } from "./database";
import { gql, serve, startServer } from "./home-load";
import { describeMachine, table, writeSection } from "./report";

const HOME_IDS = `query Ids($profileId: ID!) { home(profileId: $profileId) { items { recommendationId } } }`;
const LOG = `mutation Log($inputs: [ImpressionInput!]!) { logImpressions(inputs: $inputs) { accepted duplicates expired } }`;
const METRICS = `query M($since: DateTimeISO, $until: DateTimeISO, $groupBy: [MetricDimension!]!) {
  onlineMetrics(since: $since, until: $until, groupBy: $groupBy) { rowKind modelId day itemPosition impressions viewers clicks plays watchedFull ctr ctrLow ctrHigh watchThroughRate }
}`;
const COLUMNS = "profile_id, movie_id, served_at, shown_at, surface, row_kind, row_position, item_position, model_id, experiment_id, arm, propensity";

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

async function postBatch(url: string, inputs: { recommendationId: string; clientEventId: string }[]): Promise<number> {
  const body = JSON.stringify({ query: LOG, variables: { inputs } });
  const started = performance.now();
  const response = await fetch(`${url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body });
  const json = (await response.json()) as { data?: { logImpressions: { accepted: number } }; errors?: { message: string }[] };
  const ms = performance.now() - started;
  if (!response.ok || json.errors) throw new Error(`logImpressions answered ${response.status}: ${json.errors?.[0]?.message ?? "no data"}`);
  if (json.data!.logImpressions.accepted !== inputs.length) throw new Error(`logImpressions stored ${json.data!.logImpressions.accepted} of ${inputs.length} new impressions`);
  return ms;
}

async function copyBatch(client: Client, csv: string): Promise<number> {
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const stream = client.query(copyFrom(`COPY impressions (${COLUMNS}, client_event_id) FROM STDIN WITH (FORMAT csv)`));
    stream.on("finish", resolve);
    stream.on("error", reject);
    stream.end(csv);
  });
  return performance.now() - started;
}

/**
 * 7 days of page views (40 impressions each: 8 rows x 5 visible cards) for random viewers and
 * titles; about 6 % clicked (falling along the row), 60 % of those played, half of the plays
 * watched in full; each outcome also an attributed event in `interactions`. Roll-ups are built
 * from the impressions as the server keeps them (per slot, per viewer, per title).
 */
async function generateMetricsData(client: Client, partitions: ImpressionPartitions, impressions: number, modelId: number): Promise<{ impressions: number; events: number }> {
  const pageViews = Math.ceil(impressions / 40);
  await partitions.ensure(Array.from({ length: 9 }, (_, d) => Date.now() - d * 86_400_000));
  await client.query(`TRUNCATE impressions, impression_rollups, impression_viewer_rollups, impression_title_rollups`);
  await client.query(`SET synchronous_commit = off`);
  await client.query(`SET work_mem = '256MB'`);
  await client.query(
    `WITH p AS (SELECT array_agg(id) AS ids FROM profiles),
          m AS (SELECT array_agg(id) AS ids FROM movies),
          kinds AS (SELECT ARRAY['TOP_PICKS','CONTINUE_WATCHING','BECAUSE_YOU_WATCHED','VIEWERS_LIKE_YOU','TRENDING','GENRE','NEW','POPULAR']::row_kind[] AS k),
          views AS (
            SELECT pv, p.ids[1 + floor(random() * cardinality(p.ids))::int] AS profile_id,
                   now() - interval '7 days' * random() AS served_at
              FROM generate_series(1, $1::int) pv, p),
          slots AS (
            SELECT v.profile_id, v.served_at, r AS row_position, i AS item_position, kinds.k[1 + r] AS row_kind,
                   m.ids[1 + floor(random() * cardinality(m.ids))::int] AS movie_id, random() + 0 * (pv + r + i) AS u, random() + 0 * (pv + r + i) AS w
              FROM views v, generate_series(0, 7) r, generate_series(0, 4) i, m, kinds)
     INSERT INTO impressions (${COLUMNS}, client_event_id, clicked_at, played_at, watched_full_at)
     SELECT profile_id, movie_id, served_at, served_at + interval '2 seconds', 'HOME', row_kind, row_position, item_position, $2, NULL, NULL, 1,
            NULL,
            CASE WHEN u < 0.09 / (1 + 0.15 * item_position) THEN served_at + interval '30 seconds' END,
            CASE WHEN u < 0.6 * 0.09 / (1 + 0.15 * item_position) THEN served_at + interval '40 seconds' END,
            CASE WHEN u < 0.6 * 0.09 / (1 + 0.15 * item_position) AND w < 0.5 THEN served_at + interval '2 hours' END
       FROM slots`,
    [pageViews, modelId],
  );
  // The attributed events behind those outcomes, as logInteraction stores them.
  const [{ count: events }] = (
    await client.query<{ count: number }>(
      `WITH outcomes AS (
         SELECT i.*, o.type, o.at FROM impressions i,
           LATERAL (VALUES ('THUMBNAIL_CLICK'::interaction_type, i.clicked_at), ('PLAY'::interaction_type, i.played_at), ('WATCHED_FULL'::interaction_type, i.watched_full_at)) o(type, at)
          WHERE o.at IS NOT NULL),
       ins AS (
         INSERT INTO interactions (profile_id, movie_id, type, weight, progress, occurred_at, rec_served_at, rec_surface, rec_row_kind, rec_row_position, rec_item_position, rec_model_id, rec_propensity)
         SELECT profile_id, movie_id, type, 1, CASE WHEN type = 'WATCHED_FULL' THEN 1 END, at, served_at, surface, row_kind, row_position, item_position, model_id, propensity FROM outcomes
         RETURNING 1)
       SELECT count(*)::int FROM ins`,
    )
  ).rows;
  const counts = `count(*), count(clicked_at), count(played_at), count(watched_full_at)`;
  const hour = `date_trunc('hour', served_at, 'UTC'), surface, row_kind`;
  await client.query(
    `INSERT INTO impression_rollups (hour, surface, row_kind, row_position, item_position, model_id, experiment_id, arm, impressions, clicks, plays, watched_full)
     SELECT ${hour}, row_position, item_position, coalesce(model_id, 0), 0, -1, ${counts} FROM impressions GROUP BY 1, 2, 3, 4, 5, 6`,
  );
  await client.query(
    `INSERT INTO impression_viewer_rollups (hour, surface, row_kind, profile_id, model_id, experiment_id, arm, impressions, clicks, plays, watched_full)
     SELECT ${hour}, profile_id, coalesce(model_id, 0), 0, -1, ${counts} FROM impressions GROUP BY 1, 2, 3, 4, 5`,
  );
  await client.query(
    `INSERT INTO impression_title_rollups (day, movie_id, impressions, clicks)
     SELECT (served_at AT TIME ZONE 'UTC')::date, movie_id, count(*), count(clicked_at) FROM impressions GROUP BY 1, 2`,
  );
  await client.query(`VACUUM ANALYZE impressions, impression_rollups, impression_viewer_rollups, interactions`);
  const [{ n }] = (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM impressions`)).rows;
  return { impressions: n, events };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      serve: { type: "string" },
      batch: { type: "string", default: "5000" },
      rounds: { type: "string" },
      impressions: { type: "string" },
      quick: { type: "boolean", default: false },
      profile: { type: "boolean", default: false },
      "no-write": { type: "boolean", default: false },
    },
  });
  if (values.serve) return serve(values.serve);
  const quick = values.quick;
  const batch = Number(values.batch);
  const rounds = Number(values.rounds ?? (quick ? 3 : 9));
  const metricsImpressions = Number(values.impressions ?? (quick ? 200_000 : 10_000_000));
  const spec = quick ? { events: 50_000, viewers: 2_000, titles: 1_000, seed: 7, days: 30 } : { events: 500_000, viewers: 50_000, titles: 5_000, seed: 7, days: 30 };

  const database = await createBenchDatabase("marquee_bench_impressions");
  const dataSource = await openDatabase({ url: database.url, poolSize: 4 });
  const raw = new Client({ connectionString: database.url });
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    const simulated = await simulateAudience(dataSource, spec);
    const model = await trainAndStore(dataSource, { algorithm: "ials" });
    console.log(`catalog: ${simulated.titlesCreated} titles, ${simulated.profilesCreated} viewers, ${simulated.eventsImported} events; model ${model.id} (${model.algorithm})`);
    await raw.connect();
    server = await startServer(__filename, database.url, { profile: values.profile });

    // Real serving ids: home for enough viewers to fill one batch.
    const viewers = (await raw.query<{ id: string }>(`SELECT id FROM profiles ORDER BY random() LIMIT 2000`)).rows.map((r) => r.id);
    const ids: string[] = [];
    for (const profileId of viewers) {
      if (ids.length >= batch) break;
      const data = await gql<{ home: { items: { recommendationId: string }[] }[] }>(server.url, HOME_IDS, { profileId });
      for (const row of data.home) for (const item of row.items) ids.push(item.recommendationId);
    }
    if (ids.length < batch) throw new Error(`home served only ${ids.length} ids for ${viewers.length} viewers; need ${batch}`);
    const served = ids.slice(0, batch);

    // Ingest, interleaved. Round 0's HTTP rows are the template of the COPY rows.
    const httpMs: number[] = [];
    const copyMs: number[] = [];
    let template: string[] | undefined;
    for (let round = 0; round <= rounds; round++) {
      const http = () => postBatch(server!.url, served.map((recommendationId, i) => ({ recommendationId, clientEventId: `h${round}-${i}` })));
      if (!template) {
        await http(); // warm-up, and the template
        const rows = (await raw.query({ text: `SELECT ${COLUMNS} FROM impressions WHERE client_event_id LIKE 'h0-%' ORDER BY id`, rowMode: "array" })).rows as unknown[][];
        template = rows.map((r) => r.map((v) => (v === null ? "" : v instanceof Date ? v.toISOString() : String(v))).join(","));
        await copyBatch(raw, template.map((line, i) => `${line},c0-${i}`).join("\n") + "\n"); // warm-up
        continue;
      }
      const csv = template.map((line, i) => `${line},c${round}-${i}`).join("\n") + "\n";
      const copy = () => copyBatch(raw, csv);
      if (round % 2) {
        httpMs.push(await http());
        copyMs.push(await copy());
      } else {
        copyMs.push(await copy());
        httpMs.push(await http());
      }
      console.log(`round ${round}/${rounds}: HTTP ${httpMs.at(-1)!.toFixed(0)} ms, COPY ${copyMs.at(-1)!.toFixed(0)} ms (${batch} rows)`);
    }
    const httpRate = (batch * 1000) / median(httpMs);
    const copyRate = (batch * 1000) / median(copyMs);
    const ratio = httpRate / copyRate;
    console.log(`ingest: HTTP ${fmt(httpRate)} impressions/s, COPY ${fmt(copyRate)} rows/s, ratio ${ratio.toFixed(2)} (target >= 0.7)`);

    // onlineMetrics at scale.
    const started = Date.now();
    console.log(`generating ${fmt(metricsImpressions)} impressions over 7 days...`);
    const generated = await generateMetricsData(raw, new ImpressionPartitions(dataSource, { retentionDays: 90 }), metricsImpressions, model.id);
    console.log(`generated ${fmt(generated.impressions)} impressions, ${fmt(generated.events)} attributed events in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    const until = new Date(Date.now() + 3600_000);
    const since = new Date(until.getTime() - 7 * 86_400_000 - 3600_000);
    const groupings: string[][] = [["ROW_KIND"], ["ROW_KIND", "DAY"], ["MODEL", "DAY"], ["ITEM_POSITION"], []];
    const metricRows: (string | number)[][] = [];
    const timings: Record<string, number> = {};
    for (const groupBy of groupings) {
      const ms: number[] = [];
      let groups = 0;
      for (let i = 0; i < 6; i++) {
        const t = performance.now();
        const data = await gql<{ onlineMetrics: { impressions: number }[] }>(server.url, METRICS, { since, until, groupBy });
        if (i > 0) ms.push(performance.now() - t); // the first one warms the caches
        groups = data.onlineMetrics.length;
        const total = data.onlineMetrics.reduce((a, r) => a + r.impressions, 0);
        if (total !== generated.impressions) throw new Error(`onlineMetrics by [${groupBy}] counted ${total} impressions of ${generated.impressions}`);
      }
      const label = groupBy.length ? groupBy.join(", ") : "(all)";
      timings[label] = median(ms);
      metricRows.push([label, groups, `${median(ms).toFixed(0)} ms`, `${Math.max(...ms).toFixed(0)} ms`]);
      console.log(`onlineMetrics by ${label}: ${groups} rows, median ${median(ms).toFixed(0)} ms`);
    }

    if (!values["no-write"]) {
      const load = os.loadavg().map((l) => l.toFixed(1)).join(" / ");
      const body = [
        `Ingest: \`logImpressions\` over HTTP in batches of ${fmt(batch)} real serving ids (home's, each batch with new client event ids, so every row is validated, stored and added to the three roll-ups) against a raw \`COPY\` of the same rows into the same table and indexes, in ${rounds} interleaved rounds; medians.`,
        "",
        table(
          ["path", "median per batch", "rows/s"],
          [
            ["logImpressions over HTTP", `${median(httpMs).toFixed(0)} ms`, fmt(httpRate)],
            ["raw COPY (no validation, no roll-ups)", `${median(copyMs).toFixed(0)} ms`, fmt(copyRate)],
          ],
        ),
        "",
        `Ratio HTTP / COPY: **${ratio.toFixed(2)}** (target >= 0.7).`,
        "",
        `onlineMetrics over ${fmt(generated.impressions)} impressions and ${fmt(generated.events)} attributed events (7 days, ${fmt(spec.viewers)} viewers; roll-ups as the server keeps them), the 7-day query over HTTP, median of 5 after one warm-up (target < 1 s by ROW_KIND):`,
        "",
        table(["groupBy", "rows", "median", "max"], metricRows),
        "",
        `Load average (1/5/15 min) at the end: ${load}.`,
      ].join("\n");
      writeSection("impressions", "Impressions: ingest and online metrics", "npm run bench:impressions -w api", describeMachine(database.postgresVersion), body);
    }
    if (ratio < 0.7) console.log(`NOTE: ingest ratio ${ratio.toFixed(2)} is below the 0.7 target`);
    if (timings.ROW_KIND >= 1000) console.log(`NOTE: onlineMetrics by ROW_KIND took ${timings.ROW_KIND.toFixed(0)} ms (target < 1 s)`);
  } finally {
    await server?.stop();
    await raw.end().catch(() => undefined);
    await dataSource.destroy();
    await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
