#!/usr/bin/env node
// `npm run dev`: the API from TypeScript sources (restarting on change) on PORT (4000) and the
// Vite dev server (hot reload, proxying /graphql to the API). Ctrl-C stops both.
import { spawn } from "node:child_process";
import path from "node:path";
import { ROOT, ensureInstalled } from "./lib.mjs";

ensureInstalled();
const api = spawn(process.execPath, ["--watch", "-r", "ts-node/register/transpile-only", "src/main.ts"], {
  cwd: path.join(ROOT, "api"),
  stdio: "inherit",
});
const web = spawn(process.execPath, [path.join(ROOT, "node_modules", "vite", "bin", "vite.js")], {
  cwd: path.join(ROOT, "web"),
  stdio: "inherit",
});
const children = [api, web];
const stop = (code) => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  process.exit(code);
};
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));
for (const child of children) child.on("exit", (code) => stop(code ?? 1));
