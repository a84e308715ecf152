import "reflect-metadata";
import { SingleBar } from "cli-progress";
import { loadConfig } from "../config";
import { openDatabase } from "../database/data-source";
import { startEmbeddedPostgres } from "../database/embedded-postgres";
import { TrainingBusyError, trainAndStore } from "../models/trainer";

const USAGE = `Usage: npm run train -- [--algorithm auto|ease|ials|itemknn|...] [--params '{"k":100}'] [--learn-weights] [--tune] [--json] [--no-activate]
Trains a model on the current events, validates it on a temporal hold-out, and activates it
unless it scores worse than the model serving. --learn-weights also searches the event weights
(MARQUEE_LEARN_WEIGHTS_SECONDS, default 120); --tune searches the Top picks algorithm's
hyperparameters (MARQUEE_TUNING_SECONDS, default 120; 0 = off). Uses DATABASE_URL, else the embedded Postgres.`;

function parseArgs(argv: string[]): { algorithm: string; params: Record<string, unknown>; json: boolean; activate: boolean; learnWeights: boolean; tune: boolean } {
  let algorithm = "auto";
  let learnWeights = false;
  let tune = false;
  let params: Record<string, unknown> = {};
  let json = false;
  let activate = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--algorithm") algorithm = argv[++i] ?? "";
    else if (arg === "--params") {
      try {
        params = JSON.parse(argv[++i] ?? "");
      } catch {
        throw new Error(`--params must be a JSON object, e.g. '{"k": 100}'\n${USAGE}`);
      }
    } else if (arg === "--json") json = true;
    else if (arg === "--no-activate") activate = false;
    else if (arg === "--learn-weights") learnWeights = true;
    else if (arg === "--tune") tune = true;
    else if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument "${arg}"\n${USAGE}`);
  }
  if (!algorithm) throw new Error(`--algorithm needs a name\n${USAGE}`);
  return { algorithm, params, json, activate, learnWeights, tune };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const config = loadConfig();
  let url = config.databaseUrl;
  const embedded = url ? undefined : await startEmbeddedPostgres({ dataDir: config.embeddedPostgresDir, port: config.embeddedPostgresPort, log: () => undefined });
  url ??= embedded!.url;
  const dataSource = await openDatabase({ url, poolSize: 3 });
  const emit = (message: Record<string, unknown>) => console.log(JSON.stringify(message));
  const bar = !args.json && process.stderr.isTTY ? new SingleBar({ format: "{phase} [{bar}] {percentage}%", hideCursor: true }) : null;
  bar?.start(100, 0, { phase: "starting" });
  let lastPhase = "";
  const started = performance.now();
  try {
    const record = await trainAndStore(dataSource, {
      algorithm: args.algorithm,
      params: args.params,
      activate: args.activate,
      learnWeights: args.learnWeights ? config.learnWeights : undefined,
      tune: args.tune ? config.tuning : undefined,
      onStarted: (id) => args.json && emit({ event: "started", id }),
      onProgress: (phase, fraction) => {
        if (args.json) {
          if (phase !== lastPhase || fraction === 1) emit({ event: "progress", phase, fraction });
        } else if (bar) bar.update(Math.round(fraction * 100), { phase });
        else if (phase !== lastPhase) console.error(`${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s  ${phase}...`);
        lastPhase = phase;
      },
    });
    bar?.stop();
    if (args.json) emit({ event: "result", id: record.id, status: record.status });
    else {
      console.log(`Model #${record.id} (${record.algorithm}): ${record.status}${record.statusReason ? ` — ${record.statusReason}` : ""}`);
      if (record.metrics) console.log(`Validation: ${Object.entries(record.metrics).map(([k, v]) => `${k} ${typeof v === "number" ? v.toFixed(4) : v}`).join(", ")}`);
    }
  } catch (error) {
    bar?.stop();
    if (error instanceof TrainingBusyError) {
      console.error(error.message);
      process.exitCode = 75;
    } else throw error;
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
