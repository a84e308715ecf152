#!/usr/bin/env node
// `npm start`: install if needed, build the API and the web client when missing or stale, then
// run the API (which starts the embedded Postgres unless DATABASE_URL is set, and serves the client).
import { spawn } from "node:child_process";
import { API_ENTRY, ROOT, ensureApiBuilt, ensureInstalled, ensureWebBuilt } from "./lib.mjs";

ensureInstalled();
ensureApiBuilt();
ensureWebBuilt();

const child = spawn(process.execPath, [API_ENTRY], { cwd: ROOT, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
