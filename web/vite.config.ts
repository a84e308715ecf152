import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";

const api = process.env.MARQUEE_API_URL ?? "http://127.0.0.1:4000";

export default defineConfig({
  plugins: [react()],
  // Two pages: the client, and the GraphiQL playground the API serves at GET /graphql.
  build: {
    rolldownOptions: {
      input: {
        main: fileURLToPath(new URL("./index.html", import.meta.url)),
        playground: fileURLToPath(new URL("./playground.html", import.meta.url)),
      },
    },
  },
  server: { proxy: { "/graphql": { target: api, changeOrigin: true }, "/media": { target: api, changeOrigin: true } } },
  preview: { proxy: { "/graphql": { target: api, changeOrigin: true }, "/media": { target: api, changeOrigin: true } } },
});
