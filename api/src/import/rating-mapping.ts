import { readFileSync } from "node:fs";
import { INTERACTION_TYPES, InteractionType } from "../interactions/interaction-type";

/** One event a rating becomes; `offsetSeconds` after the rating's time keeps their order. */
export interface MappedEvent {
  readonly type: InteractionType;
  readonly progress?: number | null;
  readonly offsetSeconds?: number;
}

/** Star rating (rounded half up, clamped to 1..5) -> the events it stands for. */
export type RatingMapping = Readonly<Record<"1" | "2" | "3" | "4" | "5", readonly MappedEvent[]>>;

/**
 * How a MovieLens history becomes implicit events (`--rating-map file.json` replaces it; same
 * shape). A 5 is a title watched to the end and liked; a 4 watched to the end; a 3 started and
 * skipped through; a 1 or 2 closed early. Half stars round up (3.5 -> 4).
 */
export const DEFAULT_RATING_MAPPING: RatingMapping = {
  "5": [{ type: InteractionType.WATCHED_FULL, progress: 1 }, { type: InteractionType.LIKE, offsetSeconds: 1 }],
  "4": [{ type: InteractionType.WATCHED_FULL, progress: 1 }],
  "3": [{ type: InteractionType.PLAY, progress: 0 }, { type: InteractionType.SKIPPED, progress: 0.5, offsetSeconds: 1 }],
  "2": [{ type: InteractionType.CLOSED, progress: 0.1 }],
  "1": [{ type: InteractionType.CLOSED, progress: 0.1 }],
};

const STARS = ["1", "2", "3", "4", "5"] as const;

/** Reads and checks a mapping file; the message says what is wrong and the expected shape. */
export function parseRatingMapping(json: string, source: string): RatingMapping {
  const shape = `expected {"5": [{"type": "WATCHED_FULL", "progress": 1}, {"type": "LIKE"}], "4": [...], "3": [...], "2": [...], "1": [...]}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new Error(`${source}: not JSON (${(error as Error).message}); ${shape}`, { cause: error });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error(`${source}: ${shape}`);
  const record = parsed as Record<string, unknown>;
  const result: Partial<Record<(typeof STARS)[number], MappedEvent[]>> = {};
  for (const key of Object.keys(record)) {
    if (!(STARS as readonly string[]).includes(key)) throw new Error(`${source}: key "${key}" is not a star rating 1..5; ${shape}`);
  }
  for (const star of STARS) {
    const events = record[star];
    if (!Array.isArray(events)) throw new Error(`${source}: rating ${star} needs a list of events (may be empty); ${shape}`);
    result[star] = events.map((event: unknown, i) => {
      const e = event as { type?: unknown; progress?: unknown; offsetSeconds?: unknown };
      if (typeof e !== "object" || e === null || !(INTERACTION_TYPES as readonly unknown[]).includes(e.type)) {
        throw new Error(`${source}: rating ${star}, event ${i}: "type" must be one of ${INTERACTION_TYPES.join(", ")}`);
      }
      if (e.progress !== undefined && e.progress !== null && !(typeof e.progress === "number" && e.progress >= 0 && e.progress <= 1)) {
        throw new Error(`${source}: rating ${star}, event ${i}: "progress" must be between 0 and 1`);
      }
      if (e.offsetSeconds !== undefined && !(typeof e.offsetSeconds === "number" && Number.isFinite(e.offsetSeconds))) {
        throw new Error(`${source}: rating ${star}, event ${i}: "offsetSeconds" must be a number`);
      }
      return { type: e.type as InteractionType, progress: (e.progress as number | null | undefined) ?? null, offsetSeconds: (e.offsetSeconds as number | undefined) ?? 0 };
    });
  }
  return result as RatingMapping;
}

export function readRatingMapping(file: string): RatingMapping {
  return parseRatingMapping(readFileSync(file, "utf8"), file);
}

/** The mapping's events for a star rating (0.5..5 in MovieLens). */
export function eventsForRating(mapping: RatingMapping, rating: number): readonly MappedEvent[] {
  const star = Math.min(5, Math.max(1, Math.floor(rating + 0.5)));
  return mapping[String(star) as (typeof STARS)[number]];
}
