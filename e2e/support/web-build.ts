import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

export const REPO = path.resolve(__dirname, "../..");
export const WEB_DIST = path.join(REPO, "web", "dist");

/** Inputs of the web build (scripts/lib.mjs lists the same for `npm test`, plus codegen.ts here). */
const INPUTS = ["web/src", "web/public", "web/index.html", "web/playground.html", "web/vite.config.ts", "web/codegen.ts", "web/tsconfig.json", "web/package.json", "schema.graphql"];

function newest(p: string): number {
  if (!existsSync(p)) return 0;
  const stat = statSync(p);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(p).reduce((latest, entry) => (entry === "node_modules" || entry === "dist" ? latest : Math.max(latest, newest(path.join(p, entry)))), 0);
}

/** Builds web/dist when it is missing or older than its sources (`npm test` usually did it already). */
export function ensureWebBuilt(): void {
  const index = path.join(WEB_DIST, "index.html");
  const latestInput = Math.max(...INPUTS.map((input) => newest(path.join(REPO, input))));
  if (existsSync(index) && statSync(index).mtimeMs >= latestInput) return;
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const result = spawnSync(npm, ["run", "build", "-w", "web"], { cwd: REPO, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`Building the web client failed:\n${result.stdout}\n${result.stderr}`);
}
