import { createHash } from "node:crypto";
import { storableFraction } from "../common/real";
import { INTERACTION_TYPES, InteractionType } from "../interactions/interaction-type";
import type { EventStager, LineErrors } from "./event-staging";
import { ImportError } from "./import-error";
import { readLines, splitCsvLine, type TextSource } from "./line-reader";

export type EventsFormat = "CSV" | "JSONL";

export const EVENTS_LAYOUT =
  "an events file: CSV with a header line naming the columns profile, movie, type, occurred_at and optionally progress, client_event_id " +
  '(one event per line), or JSON Lines with one object per line: {"profile": "u1", "movie": 42, "type": "PLAY", "occurred_at": "2026-01-31T20:00:00Z", "progress": 0.5}';

/** Header spellings accepted for each column (compared lower-case, without _ - and spaces). */
const COLUMN_ALIASES: Record<string, readonly string[]> = {
  profile: ["profile", "profileid", "user", "userid", "viewer"],
  movie: ["movie", "movieid", "title", "titleid", "item", "itemid"],
  type: ["type", "event", "eventtype"],
  occurredAt: ["occurredat", "time", "timestamp"],
  progress: ["progress"],
  clientEventId: ["clienteventid", "eventid"],
};

function columnOf(name: string): string | undefined {
  const key = name.toLowerCase().replace(/[\s_-]/g, "");
  return Object.keys(COLUMN_ALIASES).find((column) => COLUMN_ALIASES[column].includes(key));
}

const MAX_ID_LENGTH = 128;
const TYPES = new Set<string>(INTERACTION_TYPES);

/** Unix ms from ISO 8601 text or a number of Unix seconds; NaN when neither. */
export function parseTime(value: unknown): number {
  if (typeof value === "number") return value * 1000;
  if (typeof value !== "string" || value.length === 0) return NaN;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  // Date.parse accepts too much ("1", "March 7"); insist on a date first.
  if (!/^\d{4}-\d{2}-\d{2}/.test(value)) return NaN;
  return Date.parse(value);
}

export interface EventFields {
  profile: unknown;
  movie: unknown;
  type: unknown;
  occurredAt: unknown;
  progress: unknown;
  clientEventId: unknown;
}

/**
 * Checks one event and stages it, or records why not. Without a client event id, the id is a
 * hash of the event's fields: importing the same line again finds the same id and adds nothing.
 */
export function stageEvent(fields: EventFields, line: number, stager: EventStager, errors: LineErrors, latestMs: number): void {
  const profile = fields.profile === undefined || fields.profile === null ? "" : String(fields.profile).trim();
  if (profile.length === 0 || profile.length > MAX_ID_LENGTH) return errors.add(line, `profile must be 1..${MAX_ID_LENGTH} characters`);
  const movie = fields.movie === undefined || fields.movie === null ? "" : String(fields.movie).trim();
  if (!/^\d{1,10}$/.test(movie) || Number(movie) < 1 || Number(movie) > 2147483647) {
    return errors.add(line, `movie must be a positive integer movie id, got "${movie}"`);
  }
  const type = typeof fields.type === "string" ? fields.type.trim().toUpperCase() : "";
  if (!TYPES.has(type)) return errors.add(line, `type "${String(fields.type ?? "")}" is not one of ${INTERACTION_TYPES.join(", ")}`);
  const occurredMs = parseTime(typeof fields.occurredAt === "string" ? fields.occurredAt.trim() : fields.occurredAt);
  if (!Number.isFinite(occurredMs)) {
    return errors.add(line, `occurred_at "${String(fields.occurredAt ?? "")}" is not a time: use ISO 8601 (2026-01-31T20:00:00Z) or Unix seconds`);
  }
  if (occurredMs > latestMs) return errors.add(line, `occurred_at ${new Date(occurredMs).toISOString()} is in the future`);
  let progress: number | null = null;
  if (fields.progress !== undefined && fields.progress !== null && fields.progress !== "") {
    progress = Number(fields.progress);
    if (!(progress >= 0 && progress <= 1)) return errors.add(line, `progress must be a fraction between 0 and 1, got "${String(fields.progress)}"`);
    progress = storableFraction(progress);
  }
  let clientEventId = fields.clientEventId === undefined || fields.clientEventId === null ? "" : String(fields.clientEventId).trim();
  if (clientEventId.length > MAX_ID_LENGTH) return errors.add(line, `client_event_id must be at most ${MAX_ID_LENGTH} characters`);
  // Postgres text cannot hold NUL: one such line would fail the whole COPY.
  if (profile.includes("\u0000") || clientEventId.includes("\u0000")) return errors.add(line, "profile and client_event_id may not contain a NUL character");
  if (clientEventId.length === 0) {
    clientEventId = "import:" + createHash("sha1").update(`${movie}|${type}|${occurredMs}|${progress ?? ""}`).digest("base64url").slice(0, 22);
  }
  stager.add(line, profile, movie, type as InteractionType, occurredMs, progress, clientEventId);
}

/** The format from the file name, else from the first character (`{` is JSON Lines). */
export function detectEventsFormat(name: string, firstLine: string): EventsFormat {
  if (/\.(jsonl|ndjson|json)$/i.test(name)) return "JSONL";
  if (/\.(csv|tsv|txt)$/i.test(name)) return "CSV";
  return firstLine.trimStart().startsWith("{") ? "JSONL" : "CSV";
}

export interface ReadProgress {
  (bytesRead: number, staged: number): void;
}

/**
 * Streams an events file into the stager. Bad lines are recorded with their number; a file
 * that is not an events file at all (no usable header, or not JSON) raises ImportError.
 */
export async function stageEventsFile(
  source: TextSource,
  format: EventsFormat | undefined,
  stager: EventStager,
  errors: LineErrors,
  onProgress?: ReadProgress,
): Promise<{ lines: number }> {
  const latestMs = Date.now() + 5 * 60 * 1000;
  const name = "path" in source ? source.path : "";
  let chosen: EventsFormat | undefined = format;
  let columns: (string | undefined)[] | undefined;
  let separator = ",";
  let sawContent = false;
  let jsonFailures = 0;
  let jsonSuccesses = 0;
  const onLine = (text: string, line: number) => {
    if (text.trim().length === 0) return;
    if (!sawContent) {
      sawContent = true;
      chosen ??= detectEventsFormat(name, text);
      if (chosen === "CSV") {
        separator = text.includes("\t") && !text.includes(",") ? "\t" : ",";
        const header = splitCsvLine(text, separator) ?? [];
        columns = header.map((h) => columnOf(h.trim()));
        const missing = ["profile", "movie", "type", "occurredAt"].filter((c) => !columns!.includes(c));
        if (missing.length > 0) {
          throw new ImportError(
            `${name || "the content"}: line 1 is not an events header (missing ${missing.map((m) => (m === "occurredAt" ? "occurred_at" : m)).join(", ")}; got "${text.slice(0, 120)}"). Expected ${EVENTS_LAYOUT}`,
          );
        }
        return;
      }
    }
    if (chosen === "JSONL") {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        jsonFailures += 1;
        if (jsonSuccesses === 0 && jsonFailures >= 3) {
          throw new ImportError(`${name || "the content"}: the first lines are not JSON objects. Expected ${EVENTS_LAYOUT}`);
        }
        return errors.add(line, "not a JSON object (truncated or malformed line)");
      }
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return errors.add(line, "not a JSON object");
      jsonSuccesses += 1;
      const o = parsed as Record<string, unknown>;
      stageEvent(
        {
          profile: o.profile ?? o.profileId ?? o.profile_id,
          movie: o.movie ?? o.movieId ?? o.movie_id,
          type: o.type,
          occurredAt: o.occurred_at ?? o.occurredAt,
          progress: o.progress,
          clientEventId: o.client_event_id ?? o.clientEventId,
        },
        line,
        stager,
        errors,
        latestMs,
      );
      return;
    }
    const cells = splitCsvLine(text, separator);
    if (cells === null) return errors.add(line, "unterminated quote (truncated line?)");
    if (cells.length < columns!.length) return errors.add(line, `${cells.length} fields where the header has ${columns!.length} (truncated line?)`);
    const fields: EventFields = { profile: undefined, movie: undefined, type: undefined, occurredAt: undefined, progress: undefined, clientEventId: undefined };
    columns!.forEach((column, i) => {
      if (column) (fields as unknown as Record<string, unknown>)[column] = cells[i];
    });
    stageEvent(fields, line, stager, errors, latestMs);
  };
  const { lines } = await readLines(source, {
    onLine,
    afterChunk: async (bytes) => {
      await stager.flush();
      onProgress?.(bytes, stager.count);
    },
  });
  if (!sawContent) throw new ImportError(`${name || "the content"} is empty. Expected ${EVENTS_LAYOUT}`);
  return { lines };
}
