// Shared by start.mjs, test.mjs and dev.mjs: plain Node, no dependencies (they run before npm ci).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const API_ENTRY = path.join(ROOT, "api", "dist", "api", "src", "main.js");
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

/** Runs a command in the repo root with inherited output; exits with its code when it fails. */
export function run(command, args, options = {}) {
  console.log(`> ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { cwd: ROOT, stdio: "inherit", ...options });
  if (result.status !== 0) {
    console.error(`"${command} ${args.join(" ")}" failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}

export const npm = (...args) => run(NPM, args);

/** Newest modification time under the given files/directories (skipping node_modules and dist). */
function newest(paths) {
  let latest = 0;
  const visit = (p) => {
    if (!existsSync(p)) return;
    const stat = statSync(p);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(p)) if (entry !== "node_modules" && entry !== "dist") visit(path.join(p, entry));
    } else latest = Math.max(latest, stat.mtimeMs);
  };
  paths.forEach((p) => visit(path.join(ROOT, p)));
  return latest;
}

/** True when `output` is missing or older than any of `inputs`. */
export function stale(output, inputs) {
  return !existsSync(output) || statSync(output).mtimeMs < newest(inputs);
}

export function ensureInstalled() {
  if (!existsSync(path.join(ROOT, "node_modules", ".package-lock.json"))) npm("ci", "--no-audit", "--no-fund");
}

export function ensureApiBuilt() {
  if (stale(API_ENTRY, ["api/src", "api/tsconfig.json", "migrations", "seeds", "tsconfig.json", "package-lock.json"])) npm("run", "build", "-w", "api");
}

export function ensureWebBuilt() {
  const output = path.join(ROOT, "web", "dist", "index.html");
  if (stale(output, ["web/src", "web/public", "web/index.html", "web/playground.html", "web/vite.config.ts", "web/tsconfig.json", "web/package.json", "schema.graphql"])) {
    npm("run", "build", "-w", "web");
  }
}
