#!/usr/bin/env node
// `npm test`: install if needed, build the web client (the API serves its GraphiQL page; browser
// tests load it), then run every jest project from the root. Extra arguments go to jest; the exit
// code is jest's.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { ROOT, ensureInstalled, ensureWebBuilt } from "./lib.mjs";

ensureInstalled();
ensureWebBuilt();

const jest = path.join(ROOT, "node_modules", "jest", "bin", "jest.js");
const result = spawnSync(process.execPath, [jest, ...process.argv.slice(2)], { cwd: ROOT, stdio: "inherit" });
process.exit(result.status ?? 1);
