import "reflect-metadata";
import path from "node:path";
import { parseArgs } from "node:util";
import { TerminalProgress } from "../import/cli-progress-bar";
import { openCliDatabase } from "../import/cli-database";
import { ImportError } from "../import/import-error";
import { ImportService, type ImportSummary } from "../import/import.service";
import { readRatingMapping } from "../import/rating-mapping";

const USAGE = `Usage: npm run import -- <kind> <path> [options]

Kinds:
  movielens <dir>   a MovieLens directory: ml-100k (u.data + u.item), ml-latest-small / ml-20m / ml-25m
                    (ratings.csv + movies.csv) or ml-1m / ml-10m (ratings.dat + movies.dat). Ratings become
                    events (5: WATCHED_FULL + LIKE, 4: WATCHED_FULL, 3: PLAY + SKIPPED, 1-2: CLOSED early).
  events <file>     CSV (header: profile,movie,type,occurred_at[,progress][,client_event_id]) or JSON Lines.
                    profile: a Marquee profile id, or any external id (a profile is created for it once);
                    movie: a Marquee movie id; occurred_at: ISO 8601 or Unix seconds.
  catalog <file>    CSV / JSON Lines of titles: title[,id,year,genres (a|b),synopsis,runtime_minutes,maturity_rating,...]

Options:
  --source NAME       id space of external user/movie ids (default: events, or movielens:<dir name>)
  --rating-map FILE   JSON mapping of star ratings to events (see docs/import.md)
  --format CSV|JSONL  events format when the extension does not say
  --errors N          rejected lines to list (default 20; all are counted)

Paths are relative to where you run npm. Uses DATABASE_URL, else the embedded Postgres of npm start.`;

function printSummary(s: ImportSummary, listErrors: number): void {
  const seconds = s.millis / 1000;
  const lines = [
    `Imported ${s.kind} (${s.layout}) in ${seconds.toFixed(1)} s (merge ${(s.mergeMillis / 1000).toFixed(1)} s):`,
    `  lines read          ${s.linesRead.toLocaleString("en-US")}`,
  ];
  if (s.kind !== "catalog") {
    lines.push(
      `  events staged       ${s.eventsStaged.toLocaleString("en-US")}`,
      `  events imported     ${s.eventsImported.toLocaleString("en-US")}  (${Math.round(s.eventsStaged / Math.max(seconds, 0.001)).toLocaleString("en-US")} events/s)`,
      `  already there       ${s.duplicates.toLocaleString("en-US")}`,
      `  profiles created    ${s.profilesCreated.toLocaleString("en-US")}`,
      `  score pairs updated ${s.pairsUpdated.toLocaleString("en-US")}`,
    );
  }
  lines.push(
    `  movies created      ${s.moviesCreated.toLocaleString("en-US")}` + (s.moviesMatched ? `, matched to existing titles ${s.moviesMatched}` : "") + (s.moviesUpdated ? `, updated ${s.moviesUpdated}` : ""),
    `  rejected lines      ${s.rejectedLines.toLocaleString("en-US")}`,
  );
  console.log(lines.join("\n"));
  for (const e of s.errors.slice(0, listErrors)) console.log(`  line ${e.line}: ${e.reason}`);
  if (s.rejectedLines > Math.min(listErrors, s.errors.length)) console.log(`  ... ${s.rejectedLines - Math.min(listErrors, s.errors.length)} more rejected lines (--errors N lists more)`);
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      source: { type: "string" },
      "rating-map": { type: "string" },
      format: { type: "string" },
      errors: { type: "string", default: "20" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [kind, target] = positionals;
  if (!kind || !target || !["movielens", "events", "catalog"].includes(kind)) {
    console.error(kind && !["movielens", "events", "catalog"].includes(kind) ? `Unknown kind "${kind}".\n\n${USAGE}` : USAGE);
    return 2;
  }
  const format = values.format?.toUpperCase();
  if (format && format !== "CSV" && format !== "JSONL") {
    console.error(`--format must be CSV or JSONL, got "${values.format}"`);
    return 2;
  }
  // npm runs scripts in api/; paths are meant from where the user typed the command.
  const resolved = path.resolve(process.env.INIT_CWD ?? process.cwd(), target);
  const mapping = values["rating-map"] ? readRatingMapping(path.resolve(process.env.INIT_CWD ?? process.cwd(), values["rating-map"])) : undefined;
  const listErrors = Number(values.errors);
  const db = await openCliDatabase();
  const bar = new TerminalProgress();
  const progress = {
    reading: (total: number) => bar.start(`Reading ${path.basename(resolved)}`, total, "MB" as const),
    read: (bytes: number, events: number) => bar.update(bytes, events),
    merging: () => bar.stop("Merging into interactions and interaction_scores (one transaction)..."),
  };
  try {
    const service = new ImportService(db.dataSource);
    const summary =
      kind === "movielens"
        ? await service.importMovieLens(resolved, { source: values.source, mapping, progress })
        : kind === "events"
          ? await service.importEvents({ path: resolved }, { source: values.source, format: format as "CSV" | "JSONL" | undefined, progress })
          : await service.importCatalog({ path: resolved });
    printSummary(summary, listErrors);
    return 0;
  } finally {
    bar.stop();
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ImportError) console.error(`Nothing was imported: ${error.message}`);
    else console.error(error);
    process.exit(1);
  },
);
