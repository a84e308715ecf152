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

    it("refuses a GET query without the CSRF preflight header (a cross-site <img> or link could send it)", async () => {
      const bare = await fetch(`${server.url}/graphql?query=${encodeURIComponent("{ genres }")}`, { headers: { accept: "application/json" } });
      expect(bare.status).toBe(400);
      expect(await bare.text()).toMatch(/CSRF|preflight/i);
    });

    it("refuses a simple cross-site POST (CSRF prevention) and accepts JSON", async () => {
      const csrf = await fetch(`${server.url}/graphql`, { method: "POST", headers: { "content-type": "text/plain" }, body: '{"query":"{ genres }"}' });
      expect(csrf.status).toBe(400);
      const ok = await fetch(`${server.url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"query":"{ genres }"}' });
      expect(ok.status).toBe(200);
    });

    it("serves static files, and index.html for every client path (to browsers and curl alike)", async () => {
      expect(await (await fetch(`${server.url}/app.js`)).text()).toContain("console.log");
      const pages = ["/", "/title/42", "/genre/Horror", "/genre/Film-Noir", "/genre/Dr.%20Who", "/search?q=alien", "/my-list", "/profiles", "/welcome", "/admin", "/no-such-page/deeper"];
      for (const page of pages) {
        for (const accept of ["text/html,application/xhtml+xml", "*/*", "text/plain"]) {
          const res = await fetch(`${server.url}${page}`, { headers: { accept } });
          expect([page, accept, res.status, res.headers.get("content-type")]).toEqual([page, accept, 200, expect.stringMatching(/^text\/html/)]);
          expect(await res.text()).toContain("Marquee client");
        }
        // A caller that prefers JSON is an API client on a wrong path (security.test.ts: / answers it anyway).
        const json = await fetch(`${server.url}${page}`, { headers: { accept: "application/json" } });
        expect([page, json.status]).toEqual([page, page === "/" ? 200 : 404]);
      }
      const head = await fetch(`${server.url}/title/42`, { method: "HEAD" });
      expect([head.status, head.headers.get("content-type")]).toEqual([200, expect.stringMatching(/^text\/html/)]);
      // Not pages: a missing file is a 404, never the client's HTML; other methods are not pages either.
      for (const file of ["/missing.js", "/favicon.ico", "/assets/missing-abc123.js", "/media/none.mp4"]) {
        const res = await fetch(`${server.url}${file}`, { headers: { accept: "*/*" } });
        expect([file, res.status]).toEqual([file, 404]);
        expect(await res.text()).not.toContain("Marquee client");
      }
      expect((await fetch(`${server.url}/title/42`, { method: "DELETE" })).status).toBe(404);
    });

    it("keeps the API's own paths beside the client's", async () => {
      const graphql = await fetch(`${server.url}/graphql`, { method: "POST", headers: { "content-type": "application/json", accept: "*/*" }, body: '{"query":"{ genres }"}' });
      expect(await graphql.json()).toEqual({ data: { genres: [] } });
      const bareGet = await fetch(`${server.url}/graphql`, { headers: { accept: "*/*" } });
      expect(await bareGet.text()).not.toContain("Marquee client");
      const metrics = await fetch(`${server.url}/metrics`, { headers: { accept: "text/html" } });
      expect(metrics.headers.get("content-type")).toMatch(/^text\/plain/);
      expect(await metrics.text()).toMatch(/^# HELP/m);
      for (const probe of ["/healthz", "/readyz"]) {
        const res = await fetch(`${server.url}${probe}`, { headers: { accept: "text/html" } });
        expect(res.headers.get("content-type")).toMatch(/^application\/json/);
        expect(await res.json()).toHaveProperty("status");
      }
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
