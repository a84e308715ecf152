/**
 * Shared by every benchmark: describes the machine and writes one named section of
 * BENCHMARKS.md (between `<!-- bench:NAME -->` markers), leaving other sections alone, so that
 * each benchmark can be re-run on its own and `npm run bench` runs them all.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "../..");
/** BENCHMARKS.md, or `MARQUEE_BENCHMARKS_FILE` (the test suite's smoke run writes to a scratch copy). */
export const BENCHMARKS_FILE = process.env.MARQUEE_BENCHMARKS_FILE ? path.resolve(process.env.MARQUEE_BENCHMARKS_FILE) : path.join(REPO_ROOT, "BENCHMARKS.md");

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  postgres?: string;
  os: string;
}

export function describeMachine(postgresVersion?: string): Machine {
  return {
    cpu: os.cpus()[0]?.model.trim() ?? "unknown",
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    postgres: postgresVersion,
    os: `${os.type()} ${os.release()}`,
  };
}

export function machineLine(m: Machine): string {
  const pg = m.postgres ? `, PostgreSQL ${m.postgres}` : "";
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}${pg}, ${m.os}`;
}

function gitRevision(): string {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: REPO_ROOT }).toString().trim();
  } catch {
    return "unknown";
  }
}

/** A markdown table from a header row and rows of cells. */
export function table(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/**
 * Replaces (or appends) the section `name` of BENCHMARKS.md. `body` is markdown; the section
 * gets a heading, the command that produced it, the machine and the date.
 */
export function writeSection(name: string, title: string, command: string, machine: Machine, body: string): void {
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const section = [
    start,
    `## ${title}`,
    "",
    `Command: \`${command}\`  `,
    `Machine: ${machineLine(machine)}  `,
    `Measured: ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC at commit ${gitRevision()}`,
    "",
    body.trim(),
    end,
  ].join("\n");
  let text = existsSync(BENCHMARKS_FILE)
    ? readFileSync(BENCHMARKS_FILE, "utf8")
    : "# Marquee benchmarks\n\nEvery figure here is written by a script (`npm run bench` runs them all); none is typed by hand.\nCompare ratios measured in the same run: these machines are small and noisy.\n";
  const at = text.indexOf(start);
  const until = text.indexOf(end);
  if (at >= 0 && until > at) text = text.slice(0, at) + section + text.slice(until + end.length);
  else text = `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(BENCHMARKS_FILE, text);
}

/** Percentile (0..100) of a sorted-or-not numeric array, nearest-rank. */
export function percentile(values: ArrayLike<number>, p: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}
