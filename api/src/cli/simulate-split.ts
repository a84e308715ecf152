/**
 * Generates a seeded synthetic audience and exports it in the split CSV layout of
 * shared/splits/ml-100k (train.csv, test.csv, val/train.csv, val/test.csv, stats.json), so the
 * very same file can be fed to Marquee's evaluator and to another system.
 *
 *   npm run simulate-split -w api -- --events 1000000 --viewers 100000 --titles 20000 --seed 1 --out /tmp/synth-1m
 *
 * --mode pairs (default): the REFERENCE.md training set, --events distinct (viewer, title) pairs,
 *   weight = times drawn.
 * --mode events: --events Marquee events (click, play, watched in full...) aggregated with the
 *   default event weights; pairs whose score is <= 0 (dislikes) are not positives and are left out.
 */
import { createHash } from "node:crypto";
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { InteractionMatrix } from "../engine/matrix/interaction-matrix";
import { aggregateEvents, generateAudienceChunks, generatePairs } from "../engine/synthetic/audience";
import { temporalSplit, type TemporalSplit } from "../engine/synthetic/temporal-split";

export const SPLIT_FILES = ["train.csv", "test.csv", "val/train.csv", "val/test.csv"] as const;

export interface SplitFileStats {
  readonly rows: number;
  readonly users: number;
  readonly items: number;
}

/** Writes one CSV of split rows (positions into the matrix), ordered as the positions are. */
function writeRows(file: string, m: InteractionMatrix, positions: Int32Array): SplitFileStats {
  const { indptr, indices, data } = m.scores;
  const times = m.lastEventAt as Float64Array;
  const userIds = m.users.toArray();
  const itemIds = m.items.toArray();
  const fd = openSync(file, "w");
  const users = new Set<number>();
  const items = new Set<number>();
  try {
    writeSync(fd, "user,item,weight,timestamp\n");
    let r = 0;
    let lines: string[] = [];
    for (let j = 0; j < positions.length; j++) {
      const p = positions[j];
      while (indptr[r + 1] <= p) r++;
      users.add(r);
      items.add(indices[p]);
      const weight = Math.round(data[p] * 1e6) / 1e6;
      lines.push(`${userIds[r]},${itemIds[indices[p]]},${weight},${Math.floor(times[p])}`);
      if (lines.length === 65536) {
        writeSync(fd, lines.join("\n") + "\n");
        lines = [];
      }
    }
    if (lines.length > 0) writeSync(fd, lines.join("\n") + "\n");
  } finally {
    closeSync(fd);
  }
  return { rows: positions.length, users: users.size, items: items.size };
}

/** Writes the four split files and stats.json (row counts and SHA-256 per file) under `dir`. */
export function writeSplitCsv(m: InteractionMatrix, split: TemporalSplit, dir: string, extra: Record<string, unknown> = {}): Record<string, SplitFileStats> {
  mkdirSync(path.join(dir, "val"), { recursive: true });
  const parts: Record<(typeof SPLIT_FILES)[number], Int32Array> = {
    "train.csv": split.train,
    "test.csv": split.test,
    "val/train.csv": split.valTrain,
    "val/test.csv": split.valTest,
  };
  const stats: Record<string, SplitFileStats> = {};
  const sha256: Record<string, string> = {};
  for (const name of SPLIT_FILES) {
    const file = path.join(dir, name);
    stats[name] = writeRows(file, m, parts[name]);
    sha256[name] = createHash("sha256").update(readFileSync(file)).digest("hex");
  }
  writeFileSync(path.join(dir, "stats.json"), JSON.stringify({ ...extra, files: stats, sha256 }, null, 1) + "\n");
  return stats;
}

export interface SimulateSplitArgs {
  readonly events: number;
  readonly viewers: number;
  readonly titles: number;
  readonly seed: number;
  readonly out: string;
  readonly mode: "pairs" | "events";
}

export function parseSimulateSplitArgs(argv: string[]): SimulateSplitArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      events: { type: "string" },
      viewers: { type: "string" },
      titles: { type: "string" },
      seed: { type: "string", default: "1" },
      out: { type: "string" },
      mode: { type: "string", default: "pairs" },
    },
    strict: true,
  });
  const int = (name: string, raw: string | undefined, min: number) => {
    const v = Number(raw);
    if (raw === undefined || !Number.isInteger(v) || v < min) {
      throw new Error(`--${name} must be an integer >= ${min} (got ${raw ?? "nothing"}); e.g. --events 1000000 --viewers 100000 --titles 20000`);
    }
    return v;
  };
  if (!values.out) throw new Error("--out <dir> is required: the directory to write train.csv, test.csv and val/ into");
  if (values.mode !== "pairs" && values.mode !== "events") throw new Error(`--mode must be "pairs" or "events", got "${values.mode}"`);
  return {
    events: int("events", values.events, 1),
    viewers: int("viewers", values.viewers, 1),
    titles: int("titles", values.titles, 1),
    seed: int("seed", values.seed, 0),
    out: values.out,
    mode: values.mode,
  };
}

export function simulateSplit(args: SimulateSplitArgs): { matrix: InteractionMatrix; stats: Record<string, SplitFileStats> } {
  const { events, viewers, titles, seed, mode } = args;
  const matrix =
    mode === "pairs"
      ? generatePairs({ viewers, titles, pairs: events, seed })
      : aggregateEvents(generateAudienceChunks({ viewers, titles, events, seed }), { viewers, titles });
  const split = temporalSplit(matrix);
  const stats = writeSplitCsv(matrix, split, args.out, {
    dataset: `synthetic-${mode}`,
    generator: { mode, events, viewers, titles, seed },
    pairs: matrix.scores.indptr[matrix.scores.nRows],
  });
  return { matrix, stats };
}

if (require.main === module) {
  try {
    const args = parseSimulateSplitArgs(process.argv.slice(2));
    const started = Date.now();
    const { stats } = simulateSplit(args);
    for (const [name, s] of Object.entries(stats)) {
      console.log(`${path.join(args.out, name)}: ${s.rows} rows, ${s.users} users, ${s.items} items`);
    }
    console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
