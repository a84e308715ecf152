/**
 * Home A/B (`npm run bench:home-ab -w api -- --baseline <checkout> [--events N] [--runs 5] [--seconds 10] [--name NAME]`,
 * or `-- --fields "recommendationId"`): the same data and model served by two variants, measured
 * unthrottled in interleaved runs (A B, B A, A B, ...), so that a drift of the machine's speed
 * touches both alike. Variants:
 *   --baseline <dir>  the server of another checkout (say the commit before a change; it needs its
 *                     own node_modules) against this checkout's, with the same query;
 *   --fields "f g"    this checkout's server, the home query with and without extra item fields.
 * Reports each variant's median requests/s and the ratio of medians (B / A), and writes the
 * "home-ab-<name>" section of BENCHMARKS.md (unless --no-write).
 */
import "reflect-metadata";
import { execFileSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { openDatabase } from "../src/database/data-source";
import { createBenchDatabase } from "./database";
import { drain, gql, HOME_QUERY, load, prepareHomeData, startServer, type BenchServer } from "./home-load";
import { describeMachine, table, writeSection } from "./report";

interface Variant {
  readonly label: string;
  readonly script: string;
  readonly query: string;
  server?: BenchServer;
  readonly rps: number[];
  readonly p99: number[];
  errors: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function revision(dir: string): string {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: dir }).toString().trim();
  } catch {
    return "unknown";
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      baseline: { type: "string" },
      fields: { type: "string" },
      events: { type: "string" },
      viewers: { type: "string" },
      titles: { type: "string" },
      runs: { type: "string", default: "5" },
      seconds: { type: "string", default: "10" },
      name: { type: "string" },
      "no-write": { type: "boolean", default: false },
    },
  });
  if (!values.baseline === !values.fields) throw new Error("Give exactly one of --baseline <checkout> or --fields \"<extra item fields>\"");
  const spec = {
    events: Number(values.events ?? 5_000_000),
    viewers: Number(values.viewers ?? 100_000),
    titles: Number(values.titles ?? 20_000),
    seed: 1,
    days: 90,
  };
  const runs = Number(values.runs);
  const seconds = Number(values.seconds);
  const here = path.resolve(__dirname, "../..");
  const variants: Variant[] = values.baseline
    ? [
        { label: `baseline ${revision(values.baseline)}`, script: path.resolve(values.baseline, "api/bench/home.ts"), query: HOME_QUERY, rps: [], p99: [], errors: 0 },
        { label: `this checkout ${revision(here)}`, script: path.join(__dirname, "home.ts"), query: HOME_QUERY, rps: [], p99: [], errors: 0 },
      ]
    : [
        { label: "without extra fields", script: path.join(__dirname, "home.ts"), query: HOME_QUERY, rps: [], p99: [], errors: 0 },
        { label: `with \`${values.fields}\``, script: path.join(__dirname, "home.ts"), query: HOME_QUERY.replace("items { score", `items { ${values.fields} score`), rps: [], p99: [], errors: 0 },
      ];
  const scale = `${+(spec.events / 1e6).toPrecision(3)}M`;
  const name = values.name ?? (values.baseline ? `baseline-${scale}` : `fields-${scale}`);

  const db = await createBenchDatabase("marquee_bench_home_ab");
  try {
    const dataSource = await openDatabase({ url: db.url });
    const data = await prepareHomeData(dataSource, spec);
    await dataSource.destroy();

    // One server per distinct script; the --fields variants share this checkout's.
    const servers = new Map<string, BenchServer>();
    for (const v of variants) {
      if (!servers.has(v.script)) servers.set(v.script, await startServer(v.script, db.url));
      v.server = servers.get(v.script);
    }
    for (const v of variants) {
      await gql(v.server!.url, v.query, { profileId: data.profiles[0] });
      await load(v.server!.url, "home", "max", 3, data.profiles, v.query);
    }
    const loadBefore = os.loadavg()[0];
    for (let run = 0; run < runs; run++) {
      const order = run % 2 === 0 ? variants : [...variants].reverse();
      for (const v of order) {
        await drain(v.server!.url);
        const r = await load(v.server!.url, "home", "max", seconds, data.profiles, v.query);
        v.rps.push(r.rps);
        v.p99.push(r.p99);
        v.errors += r.errors;
        console.log(`run ${run + 1}/${runs} ${v.label}: ${r.rps.toFixed(1)} req/s, p99 ${r.p99} ms, errors ${r.errors}`);
      }
    }
    for (const server of servers.values()) await server.stop();

    const [a, b] = variants;
    const ratio = median(b.rps) / median(a.rps);
    const body = [
      `Data: \`simulateAudience\` ${spec.titles.toLocaleString("en-US")} titles, ${data.simulated.profilesCreated.toLocaleString("en-US")} viewers with events, ` +
        `${data.simulated.eventsImported.toLocaleString("en-US")} events; model \`${data.model.algorithm}\` (${data.model.status}). ` +
        `Each run: the home query unthrottled for ${seconds} s (autocannon, 16 connections, random viewers) against one variant, after draining; ` +
        `${runs} runs per variant, interleaved (A B, B A, ...). Load average before the runs: ${loadBefore.toFixed(1)}.`,
      "",
      table(
        ["variant", "req/s per run", "median req/s", "median p99 ms", "errors"],
        variants.map((v) => [v.label, v.rps.map((x) => x.toFixed(0)).join(", "), median(v.rps).toFixed(1), median(v.p99).toFixed(0), v.errors]),
      ),
      "",
      `Ratio of medians (${b.label} / ${a.label}): **${ratio.toFixed(3)}**.`,
    ].join("\n");
    console.log(body);
    if (!values["no-write"]) {
      const argv = process.argv.slice(2).join(" ");
      writeSection(`home-ab-${name}`, `Home A/B: ${b.label} vs ${a.label} (${scale} events)`, `npm run bench:home-ab -w api -- ${argv}`, describeMachine(db.postgresVersion), body);
      console.log("wrote the home A/B section of BENCHMARKS.md");
    }
  } finally {
    await db.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
