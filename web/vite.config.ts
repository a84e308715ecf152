import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

const api = process.env.MARQUEE_API_URL ?? "http://127.0.0.1:4000";

export default defineConfig({
  plugins: [react()],
  server: { proxy: { "/graphql": { target: api, changeOrigin: true }, "/media": { target: api, changeOrigin: true } } },
  preview: { proxy: { "/graphql": { target: api, changeOrigin: true }, "/media": { target: api, changeOrigin: true } } },
});
