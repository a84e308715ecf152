import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { findRepoRoot } from "../src/config";
import { startTestServer, type TestServer } from "./server";

describe("HTTP surface", () => {
  describe("with a web build", () => {
    let server: TestServer;
    const webDist = mkdtempSync(path.join(os.tmpdir(), "marquee-web-"));
    beforeAll(async () => {
      writeFileSync(path.join(webDist, "index.html"), "<!doctype html><title>Marquee client</title>");
      writeFileSync(path.join(webDist, "playground.html"), "<!doctype html><title>Marquee GraphQL playground</title>");
      writeFileSync(path.join(webDist, "app.js"), "console.log('hi')");
      server = await startTestServer({ webDistDir: webDist });
    });
    afterAll(() => server.close());

    it("serves the playground to a browser at GET /graphql, and JSON to API clients", async () => {
      const page = await fetch(`${server.url}/graphql`, { headers: { accept: "text/html,application/xhtml+xml" } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("Marquee GraphQL playground");
      const json = await fetch(`${server.url}/graphql?query=${encodeURIComponent("{ genres }")}`, {
        headers: { accept: "application/json", "apollo-require-preflight": "true" },
      });
      expect(await json.json()).toEqual({ data: { genres: [] } });
    });

    it("refuses a simple cross-site POST (CSRF prevention) and accepts JSON", async () => {
      const csrf = await fetch(`${server.url}/graphql`, { method: "POST", headers: { "content-type": "text/plain" }, body: '{"query":"{ genres }"}' });
      expect(csrf.status).toBe(400);
      const ok = await fetch(`${server.url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"query":"{ genres }"}' });
      expect(ok.status).toBe(200);
    });

    it("serves static files, and index.html for client-side routes", async () => {
      expect(await (await fetch(`${server.url}/app.js`)).text()).toContain("console.log");
      const route = await fetch(`${server.url}/browse/genre/Horror`, { headers: { accept: "text/html" } });
      expect(await route.text()).toContain("Marquee client");
      expect((await fetch(`${server.url}/missing.js`)).status).toBe(404);
    });

    it("reports health at /healthz", async () => {
      const res = await fetch(`${server.url}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: "ok" });
    });
  });

  it("says how to build the client when web/dist is missing", async () => {
    const server = await startTestServer({ webDistDir: path.join(os.tmpdir(), "marquee-no-such-dist") });
    try {
      const res = await fetch(`${server.url}/graphql`, { headers: { accept: "text/html" } });
      expect(res.status).toBe(503);
      expect(await res.text()).toMatch(/npm run build -w web/);
    } finally {
      await server.close();
    }
  });

  // `npm test` builds the web workspace first; the real GraphiQL bundle must then be there.
  const builtPlayground = path.join(findRepoRoot(), "web", "dist", "playground.html");
  (existsSync(builtPlayground) ? it : it.skip)("serves the built GraphiQL page (bundled, no CDN)", async () => {
    const server = await startTestServer();
    try {
      const html = await (await fetch(`${server.url}/graphql`, { headers: { accept: "text/html" } })).text();
      expect(html).toMatch(/<script type="module"[^>]*src="\/assets\//);
      expect(html).not.toMatch(/unpkg|jsdelivr|cdn\./i);
      const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1];
      const bundle = await fetch(`${server.url}${script}`);
      expect(bundle.status).toBe(200);
      expect(await bundle.text()).toMatch(/graphiql/i);
    } finally {
      await server.close();
    }
  });
});
