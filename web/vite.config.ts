import { existsSync } from "node:fs";
import { resolve } from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const api = process.env.MARQUEE_API_URL ?? "http://127.0.0.1:4000";
const root = import.meta.dirname;

/** The GraphiQL page (web/playground.html) is a second entry when it exists; the client is the first. */
const inputs: Record<string, string> = { main: resolve(root, "index.html") };
if (existsSync(resolve(root, "playground.html"))) inputs.playground = resolve(root, "playground.html");

const proxy = {
  "/graphql": { target: api, changeOrigin: true },
  // Bundled clips come straight from public/ in development; anything else under /media is the API's.
  "/media": {
    target: api,
    changeOrigin: true,
    bypass: (req: { url?: string }) => (req.url && existsSync(resolve(root, "public", `.${req.url.split("?")[0]}`)) ? req.url : undefined),
  },
};

export default defineConfig({
  plugins: [react()],
  build: { rolldownOptions: { input: inputs } },
  // Pre-bundle what the client imports; the playground's GraphiQL workers are resolved on demand.
  optimizeDeps: { entries: ["index.html"] },
  server: { proxy },
  preview: { proxy },
});
