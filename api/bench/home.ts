/**
 * Home-query benchmark (`npm run bench:home -w api -- [--quick] [--events N] [--rates 100,250,500] [--seconds 15] [--profile]`):
 * a fresh database loaded by `simulateAudience` (default 20,000 titles, 100,000 viewers,
 * 5,000,000 events), a model trained by `trainAndStore` (auto: iALS at this size), then a real
 * server (createApp, background training off) in its own process, loaded from this process
 * with autocannon:
 *   - the `home` query for random viewers and the trivial `{ __typename }` on the same server,
 *     at fixed rates and unthrottled (requests/s, p50/p90/p99),
 *   - event-to-visible: logInteraction (PLAY at 40 %) for a title the viewer never touched, then
 *     `home` until that title leads "Continue watching" (p50/p99 of the whole round trip).
 * Writes the "home-<scale>" section of BENCHMARKS.md (home-5M, home-1M, home-quick) and
 * docs/bench/home-latency-<scale>.svg. Server settings: development defaults (no sign-in), no
 * per-IP rate limit (all load comes from one address), LOG_LEVEL=warn (no per-request log line). Targets (issue 4):
 * p99 <= 25 ms at 500 requests/s; home/trivial throughput >= 0.5; event-to-visible p99 <= 50 ms.
 * `--profile` runs the server with --cpu-prof (profile written under /tmp/marquee-home-prof).
 */
import "reflect-metadata";
import os from "node:os";
import { parseArgs } from "node:util";
import { openDatabase } from "../src/database/data-source";
import { simulationSource } from "../src/import/simulate";
import { createBenchDatabase } from "./database";
import { drain, gql, HOME_QUERY, load, prepareHomeData, realisticLoad, serve, startServer, UniqueViewers, type BenchServer, type LoadResult, type RealisticResult } from "./home-load";
import { writePlot } from "./plot";
import { describeMachine, percentile, table, writeSection } from "./report";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      events: { type: "string" },
      viewers: { type: "string" },
      titles: { type: "string" },
      rates: { type: "string" },
      seconds: { type: "string" },
      rounds: { type: "string" },
      profile: { type: "boolean", default: false },
      "no-write": { type: "boolean", default: false },
      serve: { type: "string" },
      zipf: { type: "string" },
      "realistic-rounds": { type: "string" },
    },
  });
  if (values.serve) return serve(values.serve);
  const quick = values.quick;
  const spec = {
    events: Number(values.events ?? (quick ? 200_000 : 5_000_000)),
    viewers: Number(values.viewers ?? (quick ? 10_000 : 100_000)),
    titles: Number(values.titles ?? (quick ? 2_000 : 20_000)),
    seed: 1,
    days: 90,
  };
  const rates = (values.rates ?? "100,250,500").split(",").map(Number);
  const seconds = Number(values.seconds ?? (quick ? 3 : 15));
  const rounds = Number(values.rounds ?? (quick ? 50 : 300));

  const db = await createBenchDatabase("marquee_bench_home");
  let server: BenchServer | undefined;
  try {
    const dataSource = await openDatabase({ url: db.url });
    // Every viewer with events: the uniform phase asks for each at most once.
    const { simulated, loadSeconds, model, trainSeconds, profiles } = await prepareHomeData(dataSource, spec, undefined, spec.viewers);
    // Event-to-visible: a title each viewer never touched, chosen before the clock starts.
    const probes = (await dataSource.query(
      `SELECT p.profile_id, (SELECT m.id FROM movies m WHERE m.id > (hashtext(p.profile_id::text) & 1023)
                              AND NOT EXISTS (SELECT 1 FROM interaction_scores s WHERE s.profile_id = p.profile_id AND s.movie_id = m.id)
                              ORDER BY m.id LIMIT 1) AS movie_id
         FROM (SELECT profile_id FROM import_profiles WHERE source = $1 ORDER BY random() LIMIT $2) p`,
      [simulationSource(spec), rounds],
    )) as { profile_id: string; movie_id: number }[];
    await dataSource.destroy();

    server = await startServer(__filename, db.url, { profile: values.profile });
    const { url } = server;
    // The uniform phase's viewers: each asked for once, across the warm-up and every row below;
    // the realistic phase draws from a disjoint slice.
    const realisticViewers = profiles.slice(0, Math.min(5000, Math.floor(profiles.length / 4)));
    const uniform = new UniqueViewers(profiles.slice(realisticViewers.length));
    // Warm-up: catalog cache, model, JIT, connection pool.
    await gql(url, HOME_QUERY, { profileId: uniform.take() });
    await load(url, "home", "max", Math.min(3, seconds), uniform);

    const results: LoadResult[] = [];
    for (const query of ["trivial", "home"] as const) {
      await drain(url);
      const r = await load(url, query, "max", seconds, uniform);
      results.push(r);
      console.log(`${query} unthrottled: ${r.rps.toFixed(0)} req/s, p50 ${r.p50} p90 ${r.p90} p99 ${r.p99} ms, errors ${r.errors}`);
    }
    for (const rate of rates) {
      for (const query of ["trivial", "home"] as const) {
        await drain(url);
        const r = await load(url, query, rate, seconds, uniform);
        results.push(r);
        console.log(`${query} @${rate}/s: ${r.rps.toFixed(0)} req/s, p50 ${r.p50} p90 ${r.p90} p99 ${r.p99} ms, errors ${r.errors}`);
      }
    }

    // The realistic phase: Zipf viewers, an event after every third home, each reflected in that
    // viewer's next home; interleaved with the trivial query (and, with --realistic-rounds > 1,
    // against a second server with the scored-pool cache off), the ratio from the same rounds.
    const zipf = Number(values.zipf ?? 1);
    const rounds2 = Number(values["realistic-rounds"] ?? 2);
    const noCache = await startServer(__filename, db.url, { env: { MARQUEE_HOME_POOL_CACHE: "0" } });
    const realistic: { cached: RealisticResult[]; uncached: RealisticResult[]; trivial: LoadResult[] } = { cached: [], uncached: [], trivial: [] };
    try {
      await load(noCache.url, "home", "max", Math.min(3, seconds), uniform);
      for (let round = 0; round < rounds2; round++) {
        const order = round % 2 === 0 ? (["cached", "uncached", "trivial"] as const) : (["trivial", "uncached", "cached"] as const);
        for (const which of order) {
          await drain(url);
          await drain(noCache.url);
          if (which === "trivial") {
            realistic.trivial.push(await load(url, "trivial", "max", seconds, uniform));
          } else {
            // Each round its own seed, the same for both servers; the viewers' events accumulate alike.
            const r = await realisticLoad(which === "cached" ? url : noCache.url, seconds, realisticViewers, 16, zipf, 7 + round);
            realistic[which].push(r);
            console.log(
              `realistic (${which}) round ${round + 1}: ${r.rps.toFixed(0)} homes/s, p50 ${r.p50} p99 ${r.p99} ms, ${r.events} events, ${r.checked} checked, ${r.notReflected} not reflected, ${r.distinctViewers} viewers, errors ${r.errors}`,
            );
          }
        }
      }
    } finally {
      await noCache.stop();
    }

    await drain(url);
    const LOG = `mutation Log($input: LogInteractionInput!) { logInteraction(input: $input) { id } }`;
    const visible: number[] = [];
    let retries = 0;
    let never = 0;
    for (const probe of probes) {
      if (!probe.movie_id) continue;
      const started = performance.now();
      await gql(url, LOG, { input: { profileId: probe.profile_id, movieId: String(probe.movie_id), type: "PLAY", progress: 0.4, clientEventId: `bench-${probe.movie_id}` } });
      let seen = false;
      for (let attempt = 0; attempt < 20 && !seen; attempt++) {
        if (attempt > 0) retries++;
        const home = await gql<{ home: { kind: string; items: { movie: { id: string } }[] }[] }>(url, HOME_QUERY, { profileId: probe.profile_id });
        const row = home.home.find((r) => r.kind === "CONTINUE_WATCHING");
        seen = row?.items[0]?.movie.id === String(probe.movie_id);
      }
      if (seen) visible.push(performance.now() - started);
      else never++;
    }
    console.log(`event-to-visible: ${visible.length} rounds, p50 ${percentile(visible, 50).toFixed(1)} p99 ${percentile(visible, 99).toFixed(1)} ms, ${retries} extra queries, ${never} never visible`);

    const by = (q: string, offered: number | "max") => results.find((r) => r.query === q && r.offered === offered)!;
    const median = (xs: readonly number[]) => {
      const sorted = [...xs].sort((a, b) => a - b);
      const mid = Math.floor(sorted.length / 2);
      return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    };
    const realisticRps = median(realistic.cached.map((r) => r.rps));
    const uncachedRps = median(realistic.uncached.map((r) => r.rps));
    const realisticTrivial = median(realistic.trivial.map((r) => r.rps));
    const notReflected = [...realistic.cached, ...realistic.uncached].reduce((n, r) => n + r.notReflected, 0);
    const checked = [...realistic.cached, ...realistic.uncached].reduce((n, r) => n + r.checked, 0);
    const realisticErrors = [...realistic.cached, ...realistic.uncached].reduce((n, r) => n + r.errors, 0);
    const ratio = by("home", "max").rps / by("trivial", "max").rps;
    const at500 = rates.includes(500) ? by("home", 500) : undefined;
    const scale = quick ? "quick" : `${+(spec.events / 1e6).toPrecision(3)}M`;
    const chart = {
      title: `home vs trivial query: latency by offered load (${spec.events.toLocaleString("en-US")} events)`,
      xLabel: "offered load, requests/s",
      yLabel: "latency, ms (log scale)",
      logY: true,
      series: [
        { name: "home p50", points: rates.map((r) => [r, by("home", r).p50] as const) },
        { name: "home p99", points: rates.map((r) => [r, by("home", r).p99] as const) },
        { name: "trivial p50", points: rates.map((r) => [r, by("trivial", r).p50] as const), dashed: true },
        { name: "trivial p99", points: rates.map((r) => [r, by("trivial", r).p99] as const), dashed: true },
      ],
      target: { y: 25, label: "target p99 25 ms" },
    };
    // --no-write (smoke and profiling runs) leaves the committed plot alone too.
    const plot = values["no-write"] ? `docs/bench/home-latency-${scale}.svg (not written: --no-write)` : writePlot(`home-latency-${scale}`, chart);
    const body = [
      `Data: \`simulateAudience\` ${spec.titles.toLocaleString("en-US")} titles, ${simulated.profilesCreated.toLocaleString("en-US")} viewers with events, ${simulated.eventsImported.toLocaleString("en-US")} events ` +
        `(loaded in ${loadSeconds.toFixed(0)} s); model \`${model.algorithm}\` (${model.status}) trained by \`trainAndStore\` in ${trainSeconds.toFixed(0)} s. ` +
        `Server: createApp in its own process (background training off, no rate limit, LOG_LEVEL=warn${values.profile ? ", under --cpu-prof" : ""}); load: autocannon from the benchmark process on the same 2 cores, ${seconds} s per row, random viewers; ` +
        `before each row the server is drained (a trivial query answers in < 50 ms). Errors = timeouts (10 s), non-2xx and GraphQL errors. ` +
        `Load average before the runs: ${os.loadavg()[0].toFixed(1)}.`,
      "",
      table(
        ["query", "offered req/s", "achieved req/s", "p50 ms", "p90 ms", "p99 ms", "server CPU ms per request", "errors"],
        results.map((r) => [r.query === "home" ? "`home`" : "`{ __typename }`", r.offered === "max" ? "unthrottled" : r.offered, r.rps.toFixed(0), r.p50, r.p90, r.p99, r.cpuMs.toFixed(2), r.errors]),
      ),
      "",
      table(
        ["figure", "measured", "target", "met"],
        [
          ["home / trivial throughput (unthrottled)", ratio.toFixed(2), ">= 0.5", ratio >= 0.5 ? "yes" : "no"],
          ...(at500 ? [["home p99 at 500 req/s", `${at500.p99} ms (achieved ${at500.rps.toFixed(0)} req/s)`, "<= 25 ms", at500.p99 <= 25 && at500.rps >= 475 ? "yes" : "no"]] : []),
          [
            "event-to-visible p50 / p99 (logInteraction, then home until the title leads Continue watching)",
            `${percentile(visible, 50).toFixed(1)} / ${percentile(visible, 99).toFixed(1)} ms over ${visible.length} rounds (${retries} extra queries, ${never} never visible)`,
            "p99 <= 50 ms",
            percentile(visible, 99) <= 50 && never === 0 ? "yes" : "no",
          ],
        ],
      ),
      "",
      `Uniform phase: every viewer asked for at most once across the warm-up and all rows above (${uniform.repeats} requests had to reuse a viewer), so no per-viewer cache helps. ` +
        `Realistic phase: ${realisticViewers.length.toLocaleString("en-US")} other viewers drawn from Zipf(s = ${zipf}), 16 closed-loop clients unthrottled, a PLAY after every third home for that home's viewer, ` +
        `whose next home must lead Continue watching with it; ${rounds2} rounds of ${seconds} s each, interleaved with the trivial query and with a second server whose scored-pool cache is off (MARQUEE_HOME_POOL_CACHE=0), medians:`,
      "",
      table(
        ["realistic phase", "homes/s per round", "median homes/s", "median p50 ms", "median p99 ms", "server CPU ms per request (median)", "events", "distinct viewers (last round)", "errors"],
        [
          ...(["cached", "uncached"] as const).map((which) => [
            which === "cached" ? "home, scored-pool cache on (default)" : "home, cache off",
            realistic[which].map((r) => r.rps.toFixed(0)).join(", "),
            median(realistic[which].map((r) => r.rps)).toFixed(0),
            median(realistic[which].map((r) => r.p50)),
            median(realistic[which].map((r) => r.p99)),
            median(realistic[which].map((r) => r.cpuMsPerHome)).toFixed(2),
            realistic[which].reduce((n, r) => n + r.events, 0),
            realistic[which].at(-1)?.distinctViewers ?? 0,
            realistic[which].reduce((n, r) => n + r.errors, 0),
          ]),
          ["`{ __typename }` (same rounds)", realistic.trivial.map((r) => r.rps.toFixed(0)).join(", "), realisticTrivial.toFixed(0), median(realistic.trivial.map((r) => r.p50)), median(realistic.trivial.map((r) => r.p99)), median(realistic.trivial.map((r) => r.cpuMs)).toFixed(2), "-", "-", realistic.trivial.reduce((n, r) => n + r.errors, 0)],
        ],
      ),
      "",
      table(
        ["figure", "measured", "target", "met"],
        [
          ["uniform: home / trivial (unthrottled)", `${ratio.toFixed(3)} (${by("home", "max").rps.toFixed(0)} / ${by("trivial", "max").rps.toFixed(0)} req/s)`, ">= 0.15", ratio >= 0.15 ? "yes" : "no"],
          ["realistic: home / trivial (medians of the same rounds)", `${(realisticRps / realisticTrivial).toFixed(3)} (${realisticRps.toFixed(0)} / ${realisticTrivial.toFixed(0)} req/s)`, ">= 0.25", realisticRps / realisticTrivial >= 0.25 ? "yes" : "no"],
          ["realistic: cache on / cache off, throughput", (realisticRps / uncachedRps).toFixed(2), "-", "-"],
          [
            "realistic: server CPU per home, cache off / cache on",
            (median(realistic.uncached.map((r) => r.cpuMsPerHome)) / median(realistic.cached.map((r) => r.cpuMsPerHome))).toFixed(2),
            "-",
            "-",
          ],
          [
            "trivial / home, server CPU per request (uniform, unthrottled)",
            (by("trivial", "max").cpuMs / by("home", "max").cpuMs).toFixed(3),
            "-",
            "-",
          ],
          ["realistic: events reflected in the viewer's next home", `${checked - notReflected} of ${checked}`, "all", notReflected === 0 && realisticErrors === 0 ? "yes" : "no"],
        ],
      ),
      "",
      `![latency by offered load](${plot})`,
    ].join("\n");
    console.log(body);
    if (!values["no-write"]) {
      const argv = process.argv.slice(2).join(" ");
      writeSection(`home-${scale}`, `Home query under load, event-to-visible (${scale} events)`, `npm run bench:home -w api --${argv ? " " + argv : ""}`, describeMachine(db.postgresVersion), body);
      console.log("wrote the home section of BENCHMARKS.md");
    }
  } finally {
    await server?.stop();
    await db.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
