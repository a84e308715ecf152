import "reflect-metadata";
import { parseArgs } from "node:util";
import { TerminalProgress } from "../import/cli-progress-bar";
import { openCliDatabase } from "../import/cli-database";
import { simulateAudience } from "../import/simulate";

const USAGE = `Usage: npm run simulate -- --events 20000000 [--viewers 100000] [--titles 20000] [--seed 1] [--days 90]

Writes a synthetic audience (viewers with latent tastes over the catalog: the engine's generator)
straight into Postgres by COPY, creating titles when the catalog has fewer than --titles, then folds
the events into interaction_scores set-based. Running it twice with the same options adds nothing.
Uses DATABASE_URL, else the embedded Postgres of npm start.`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      events: { type: "string" },
      viewers: { type: "string", default: "100000" },
      titles: { type: "string", default: "20000" },
      seed: { type: "string", default: "1" },
      days: { type: "string", default: "90" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help || !values.events) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const spec = {
    events: Number(values.events.replace(/_/g, "")),
    viewers: Number(values.viewers),
    titles: Number(values.titles),
    seed: Number(values.seed),
    days: Number(values.days),
  };
  const db = await openCliDatabase();
  const bar = new TerminalProgress();
  try {
    const result = await simulateAudience(db.dataSource, spec, {
      generating: (total) => bar.start("Simulating", total, "events"),
      generated: (n) => bar.update(n, n),
      merging: () => bar.stop("Merging into interactions and interaction_scores (one transaction)..."),
    });
    const seconds = result.millis / 1000;
    console.log(
      [
        `Simulated ${spec.events.toLocaleString("en-US")} events in ${seconds.toFixed(1)} s (generate + COPY ${(result.generateMillis / 1000).toFixed(1)} s, merge ${(result.mergeMillis / 1000).toFixed(1)} s; ${Math.round(spec.events / seconds).toLocaleString("en-US")} events/s)`,
        `  titles created   ${result.titlesCreated.toLocaleString("en-US")}`,
        `  profiles created ${result.profilesCreated.toLocaleString("en-US")}  (import_profiles source "${result.source}")`,
        `  events imported  ${result.eventsImported.toLocaleString("en-US")}, already there ${result.duplicates.toLocaleString("en-US")}`,
        `  score pairs      ${result.pairsUpdated.toLocaleString("en-US")}`,
      ].join("\n"),
    );
    return 0;
  } finally {
    bar.stop();
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof RangeError ? error.message : error);
    process.exit(1);
  },
);
