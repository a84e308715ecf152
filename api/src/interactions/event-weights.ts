import { readFileSync } from "node:fs";
import type { DataSource } from "typeorm";
import { INTERACTION_TYPES, InteractionType } from "./interaction-type";

/** The weight in force for each event type. Immutable; read once at start. */
export type EventWeights = Readonly<Record<InteractionType, number>>;

/**
 * Reads `event_weights`. With an override file (`MARQUEE_EVENT_WEIGHTS_FILE`, JSON such as
 * `{ "SKIPPED": -1 }`) the listed weights are first written to the table, so that the table
 * always says which weights are in force; scores logged earlier keep their old weights until
 * `npm run rebuild-scores -w api`.
 */
export async function loadEventWeights(dataSource: DataSource, overrideFile?: string): Promise<EventWeights> {
  if (overrideFile) {
    const overrides = parseWeightOverrides(readFileSync(overrideFile, "utf8"), overrideFile);
    for (const [type, weight] of Object.entries(overrides)) {
      await dataSource.query(
        `INSERT INTO event_weights (type, weight) VALUES ($1, $2) ON CONFLICT (type) DO UPDATE SET weight = EXCLUDED.weight`,
        [type, weight],
      );
    }
  }
  const rows: { type: InteractionType; weight: number }[] = await dataSource.query(`SELECT type, weight FROM event_weights`);
  const weights: Partial<Record<InteractionType, number>> = {};
  for (const row of rows) weights[row.type] = Number(row.weight);
  const missing = INTERACTION_TYPES.filter((type) => weights[type] === undefined);
  if (missing.length > 0) {
    throw new Error(`event_weights has no weight for ${missing.join(", ")}: insert a row per type (see migrations/*-Foundation.ts)`);
  }
  return Object.freeze(weights as Record<InteractionType, number>);
}

export function parseWeightOverrides(json: string, source: string): Partial<Record<InteractionType, number>> {
  const parsed: unknown = JSON.parse(json);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${source}: expected a JSON object such as { "LIKE": 4 }`);
  }
  const result: Partial<Record<InteractionType, number>> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!(INTERACTION_TYPES as readonly string[]).includes(key)) {
      throw new Error(`${source}: "${key}" is not an event type (one of ${INTERACTION_TYPES.join(", ")})`);
    }
    if (typeof value !== "number" || !Number.isFinite(value)) throw new Error(`${source}: the weight of ${key} must be a finite number`);
    result[key as InteractionType] = value;
  }
  return result;
}
