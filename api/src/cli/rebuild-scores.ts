import "reflect-metadata";
import { loadConfig } from "../config";
import { openDatabase } from "../database/data-source";
import { startEmbeddedPostgres } from "../database/embedded-postgres";
import { rebuildInteractionScores } from "../interactions/interaction-score.repository";

/**
 * `npm run rebuild-scores -w api`: recompute interaction_scores after changing event_weights,
 * from the events in the log plus, for months that retention dropped, their per-pair counts in
 * interaction_scores_archived (scored with the new weights).
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const embedded = config.databaseUrl
    ? undefined
    : await startEmbeddedPostgres({ dataDir: config.embeddedPostgresDir, port: config.embeddedPostgresPort });
  const url = embedded?.url ?? config.databaseUrl;
  if (!url) throw new Error("unreachable: no DATABASE_URL and no embedded Postgres");
  const dataSource = await openDatabase({ url });
  try {
    const result = await rebuildInteractionScores(dataSource);
    const archived = result.archivedEvents > 0 ? ` and ${result.archivedEvents} archived ones (months dropped by retention)` : "";
    console.log(`Rebuilt interaction_scores: ${result.pairs} (profile, movie) pairs from ${result.events} events in the log${archived} in ${result.millis} ms`);
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
