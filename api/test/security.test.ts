import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../src/config";
import { startApiProcess } from "./api-process";
import { createTestDatabase } from "./database";
import { countRows, insertMovies, insertProfile } from "./factories";
import { startTestServer, type GraphQLResponse, type TestServer } from "./server";

/** What a new user meets first: admin-only model history, secure cookies, headers, query limits, where it listens, `/`. */

const ADMIN_KEY = "security-admin-key-0123456789";
const PRODUCTION = { production: true, authEnforced: true, adminKey: ADMIN_KEY, sessionSecret: "security-secret-0123456789" };

async function post<T = Record<string, unknown>>(server: TestServer, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { res, body: (await res.json()) as GraphQLResponse<T> };
}

const SELECT = `mutation Select($id: ID!) { selectProfile(profileId: $id) { token } }`;

describe("production mode", () => {
  let server: TestServer;
  let profileId: string;
  beforeAll(async () => {
    server = await startTestServer(PRODUCTION);
    profileId = await insertProfile(server.db.dataSource, "Viewer");
  });
  afterAll(() => server.close());

  it("models (history with parameters and metrics) needs the admin key", async () => {
    const query = `{ models { id params metrics } }`;
    expect((await post(server, query)).body.errors![0].extensions!.code).toBe("UNAUTHENTICATED");
    const { body: session } = await post<{ selectProfile: { token: string } }>(server, SELECT, { id: profileId });
    const asViewer = await post(server, query, {}, { authorization: `Bearer ${session.data!.selectProfile.token}` });
    expect(asViewer.body.errors![0].extensions!.code).toBe("FORBIDDEN");
    expect(asViewer.body.data ?? null).toBeNull();
    const wrongKey = await post(server, query, {}, { "x-admin-key": "not-the-key" });
    expect(wrongKey.body.errors![0].extensions!.code).toBe("FORBIDDEN");
    const admin = await post<{ models: unknown[] }>(server, query, {}, { "x-admin-key": ADMIN_KEY });
    expect(admin.body.errors).toBeUndefined();
    expect(admin.body.data!.models).toEqual([]);
  });

  it("the session cookie is not Secure over plain HTTP, nor for an X-Forwarded-Proto from an untrusted peer", async () => {
    for (const headers of [{}, { "x-forwarded-proto": "https" }] as Record<string, string>[]) {
      const { res } = await post(server, SELECT, { id: profileId }, headers);
      const cookie = res.headers.get("set-cookie") ?? "";
      expect(cookie).toMatch(/^marquee_session=/);
      expect(cookie).not.toMatch(/;\s*Secure/i);
    }
  });
});

describe("the session cookie behind a trusted proxy, or forced", () => {
  let server: TestServer;
  let forced: TestServer;
  let profileId: string;
  beforeAll(async () => {
    server = await startTestServer({ ...PRODUCTION, trustProxy: "loopback" });
    profileId = await insertProfile(server.db.dataSource, "Viewer");
    forced = await startTestServer({ ...PRODUCTION, forceSecureCookies: true });
    await insertProfile(forced.db.dataSource, "Viewer");
  });
  afterAll(async () => {
    await server.close();
    await forced.close();
  });

  it("is Secure when the trusted proxy says the request came over HTTPS, and only then", async () => {
    const https = await post(server, SELECT, { id: profileId }, { "x-forwarded-proto": "https" });
    expect(https.res.headers.get("set-cookie")).toMatch(/;\s*Secure/i);
    const http = await post(server, SELECT, { id: profileId }, { "x-forwarded-proto": "http" });
    expect(http.res.headers.get("set-cookie")).not.toMatch(/;\s*Secure/i);
  });

  it("is always Secure with MARQUEE_SECURE_COOKIES=1", async () => {
    const [{ id }]: { id: string }[] = await forced.db.dataSource.query(`SELECT id FROM profiles`);
    const { res } = await post(forced, SELECT, { id });
    expect(res.headers.get("set-cookie")).toMatch(/;\s*Secure/i);
    expect(loadConfig({ MARQUEE_SECURE_COOKIES: "1" }).forceSecureCookies).toBe(true);
    expect(loadConfig({}).forceSecureCookies).toBe(false);
  });
});

describe("security headers and the client at /", () => {
  let server: TestServer;
  beforeAll(async () => {
    const webDist = mkdtempSync(path.join(os.tmpdir(), "marquee-web-"));
    writeFileSync(path.join(webDist, "index.html"), "<!doctype html><title>Marquee client</title>");
    writeFileSync(path.join(webDist, "playground.html"), "<!doctype html><title>Marquee GraphQL playground</title>");
    server = await startTestServer({ webDistDir: webDist });
  });
  afterAll(() => server.close());

  it("every page and API answer carries CSP (no framing), X-Frame-Options, nosniff and a Referrer-Policy", async () => {
    const responses = [
      await fetch(`${server.url}/`),
      await fetch(`${server.url}/graphql`, { headers: { accept: "text/html" } }),
      (await post(server, `{ genres }`)).res,
    ];
    for (const res of responses) {
      expect(res.status).toBe(200);
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp).toMatch(/default-src 'self'/);
      expect(csp).toMatch(/script-src 'self'(;|$)/);
      expect(csp).toMatch(/frame-ancestors 'none'/);
      expect(csp).toMatch(/object-src 'none'/);
      expect(csp).not.toMatch(/upgrade-insecure-requests/);
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      expect(res.headers.get("x-powered-by")).toBeNull();
    }
    // Only the GraphiQL page (its editor injects styles) allows inline styles.
    const styleSrc = (res: Response) => /style-src ([^;]*)/.exec(res.headers.get("content-security-policy") ?? "")?.[1];
    expect(responses.map(styleSrc)).toEqual(["'self'", "'self' 'unsafe-inline'", "'self'"]);
  });

  it("serves the client at / whatever the Accept header (curl sends */*); GET /graphql stays the API for non-browsers", async () => {
    for (const accept of ["*/*", "application/json", "text/plain", ""]) {
      const res = await fetch(`${server.url}/`, { headers: accept ? { accept } : {} });
      expect([accept, res.status]).toEqual([accept, 200]);
      expect(await res.text()).toContain("Marquee client");
    }
    // A client route with curl's Accept gets the page; a missing file stays a 404.
    expect(await (await fetch(`${server.url}/browse`, { headers: { accept: "*/*" } })).text()).toContain("Marquee client");
    expect((await fetch(`${server.url}/missing.js`, { headers: { accept: "*/*" } })).status).toBe(404);
    const api = await fetch(`${server.url}/graphql?query=${encodeURIComponent("{ genres }")}`, { headers: { accept: "*/*", "apollo-require-preflight": "1" } });
    expect(await api.json()).toEqual({ data: { genres: [] } });
  });
});

describe("alias, repeated-field and size limits (OWASP GraphQL sheet)", () => {
  let server: TestServer;
  let profileId: string;
  beforeAll(async () => {
    server = await startTestServer();
    await insertMovies(server.db.dataSource, [{ id: 1, title: "One" }]);
    profileId = await insertProfile(server.db.dataSource, "Viewer");
  });
  afterAll(() => server.close());

  const aliased = (n: number, field = "genres") => Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(" ");

  it("refuses 3,000 aliases with TOO_MANY_ALIASES, and accepts up to the limit", async () => {
    const { res, body } = await post(server, `{ ${aliased(3000)} }`);
    expect(res.status).toBe(400);
    expect(body.errors![0].extensions).toMatchObject({ code: "TOO_MANY_ALIASES", aliases: 3000, maxAliases: 30 });
    expect(body.errors![0].message).toMatch(/3000 aliases; the limit is 30/);
    const ok = await post<Record<string, string[]>>(server, `{ ${aliased(30)} }`);
    expect(ok.body.errors).toBeUndefined();
    expect(Object.keys(ok.body.data!)).toHaveLength(30);
  });

  it("counts aliases where fragments land, each spread once per use", async () => {
    // F's 4 aliases land twice (through G and H), plus x and y: 10, under the limit.
    const query = `query { ...G ...H } fragment F on Query { ${aliased(4)} } fragment G on Query { x: __typename ...F } fragment H on Query { y: __typename ...F }`;
    expect((await post(server, query)).body.errors).toBeUndefined();
    // M's 15 aliases land under both movies, plus one and two: 32, over the limit of 30.
    const over = `query { one: movie(id: "1") { ...M } two: movie(id: "1") { ...M } } fragment M on Movie { ${aliased(15, "title")} }`;
    expect((await post(server, over)).body.errors![0].extensions).toMatchObject({ code: "TOO_MANY_ALIASES", aliases: 32 });
  });

  it("a mutation aliased past the limit stores nothing", async () => {
    const many = Array.from({ length: 31 }, (_, i) => `e${i}: logInteraction(input: { profileId: "${profileId}", movieId: "1", type: PLAY, clientEventId: "alias-${i}" }) { id }`).join(" ");
    const { body } = await post(server, `mutation { ${many} }`);
    expect(body.errors![0].extensions!.code).toBe("TOO_MANY_ALIASES");
    expect(body.data ?? null).toBeNull();
    expect(await countRows(server.db.dataSource, "interactions")).toBe(0);
  });

  it("refuses a field or fragment repeated in one selection set with TOO_MANY_REPEATED_FIELDS", async () => {
    const repeated = await post(server, `{ ${Array.from({ length: 3000 }, () => "genres").join(" ")} }`);
    expect(repeated.res.status).toBe(400);
    expect(repeated.body.errors![0].extensions).toMatchObject({ code: "TOO_MANY_REPEATED_FIELDS", field: "genres", repeated: 3000, maxRepeatedFields: 5 });
    const spreads = await post(server, `query { ${Array.from({ length: 50 }, () => "...F").join(" ")} } fragment F on Query { genres }`);
    expect(spreads.body.errors![0].extensions).toMatchObject({ code: "TOO_MANY_REPEATED_FIELDS", field: "...F", repeated: 50 });
    // The same field in different selection sets, or a few times in one, is ordinary GraphQL.
    const fine = await post(server, `{ genres genres movie(id: "1") { id title } ...F } fragment F on Query { genres movie(id: "1") { id } }`);
    expect(fine.body.errors).toBeUndefined();
  });

  it("refuses a document past the token limit before validating it (GRAPHQL_PARSE_FAILED)", async () => {
    const huge = `{ ${Array.from({ length: 6000 }, () => "__typename").join(" ")} }`; // 6,002 tokens
    const small = await startTestServer({ maxQueryTokens: 5000 });
    try {
      const { res, body } = await post(small, huge);
      expect(res.status).toBe(400);
      expect(body.errors![0].extensions!.code).toBe("GRAPHQL_PARSE_FAILED");
      expect(body.errors![0].message).toMatch(/contains more th\w+ 5000 tokens/);
    } finally {
      await small.close();
    }
  });
});

describe("where the server listens", () => {
  it("defaults to 127.0.0.1 in the open development mode, 0.0.0.0 once the rules apply, and HOST wins", () => {
    expect(loadConfig({}).host).toBe("127.0.0.1");
    expect(loadConfig({ NODE_ENV: "production", MARQUEE_SESSION_SECRET: "0123456789abcdef" }).host).toBe("0.0.0.0");
    expect(loadConfig({ MARQUEE_ADMIN_KEY: "key" }).host).toBe("0.0.0.0");
    expect(loadConfig({ HOST: "0.0.0.0" }).host).toBe("0.0.0.0");
    expect(loadConfig({ HOST: "::1", NODE_ENV: "production", MARQUEE_SESSION_SECRET: "0123456789abcdef" }).host).toBe("::1");
  });

  /** Local addresses of listening TCP sockets on `port`, from the kernel's table (hex, as /proc shows them). */
  const listeners = (port: number): string[] =>
    readFileSync("/proc/net/tcp", "utf8")
      .split("\n")
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields.length > 3 && fields[3] === "0A" && parseInt(fields[1].split(":")[1], 16) === port)
      .map((fields) => fields[1].split(":")[0]);

  it("npm start's process in development binds the loopback address only, and says how to open it", async () => {
    const db = await createTestDatabase();
    const api = await startApiProcess(db.url, { HOST: "" });
    try {
      const port = Number(new URL(api.url).port);
      expect(listeners(port)).toEqual(["0100007F"]); // 127.0.0.1, not 00000000 (every interface)
      for (let waited = 0; !/Listening on 127\.0\.0\.1 only/.test(api.output()) && waited < 5000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(api.output()).toMatch(/Listening on 127\.0\.0\.1 only .*HOST=0\.0\.0\.0/);
      expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    } finally {
      api.child.kill("SIGTERM");
      await api.exited;
      await db.drop();
    }
  });
});
