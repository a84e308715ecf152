#!/usr/bin/env node
// `npm test`: install if needed, build the web client (the API serves its GraphiQL page; browser
// tests load it), lint and typecheck (a full run only), then run every jest project from the
// root. Extra arguments go to jest (and skip lint and typecheck); the exit code is jest's.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { ROOT, ensureInstalled, ensureWebBuilt, npm } from "./lib.mjs";

ensureInstalled();
ensureWebBuilt();
if (process.argv.length <= 2) {
  npm("run", "lint");
  npm("run", "typecheck", "-w", "api");
}

const jest = path.join(ROOT, "node_modules", "jest", "bin", "jest.js");
const result = spawnSync(process.execPath, [jest, ...process.argv.slice(2)], { cwd: ROOT, stdio: "inherit" });
process.exit(result.status ?? 1);
