import { spawnSync } from "node:child_process";
import path from "node:path";
import { loadConfig } from "../src/config";
import { signSessionToken } from "../src/auth/session-token";
import { countRows, insertMovies, insertProfile } from "./factories";
import { startTestServer, type GraphQLResponse, type TestServer } from "./server";

/** Production mode: NODE_ENV=production semantics with an admin key and a fixed signing secret. */
const ADMIN_KEY = "test-admin-key-with-enough-entropy";
const SECRET = "test-session-secret-0123456789";
const PRODUCTION = { production: true, authEnforced: true, adminKey: ADMIN_KEY, sessionSecret: SECRET };

interface Call {
  query: string;
  variables?: Record<string, unknown>;
  headers?: Record<string, string>;
}

async function post<T = Record<string, unknown>>(server: TestServer, { query, variables, headers = {} }: Call): Promise<{ status: number; body: GraphQLResponse<T>; res: Response }> {
  const res = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as GraphQLResponse<T>, res };
}

const SELECT = `mutation Select($id: ID!) { selectProfile(profileId: $id) { token profile { id name } } }`;
const LOG = `mutation Log($input: LogInteractionInput!) { logInteraction(input: $input) { id profileId movieId } }`;
const LOG_MANY = `mutation LogMany($inputs: [LogInteractionInput!]!) { logInteractions(inputs: $inputs) { id profileId } }`;
const HOME = `query Home($profileId: ID) { home(profileId: $profileId) { title } }`;
const RECS = `query Recs($profileId: ID) { recommendations(profileId: $profileId, first: 5) { movie { id } } }`;
const IMPORT = `mutation Import($content: String!) { importEvents(format: CSV, content: $content) { eventsImported rejectedLines } }`;

const codeOf = (body: GraphQLResponse) => body.errors?.[0]?.extensions?.code;

describe("production mode: sessions, ownership and the admin key", () => {
  let server: TestServer;
  let alice: string;
  let bob: string;
  let aliceToken: string;
  let aliceCookie: string;

  beforeAll(async () => {
    server = await startTestServer(PRODUCTION);
    await insertMovies(server.db.dataSource, [
      { id: 1, title: "One" },
      { id: 2, title: "Two" },
      { id: 3, title: "Three" },
    ]);
    alice = await insertProfile(server.db.dataSource, "Alice");
    bob = await insertProfile(server.db.dataSource, "Bob");
    const { body, res } = await post<{ selectProfile: { token: string; profile: { id: string; name: string } } }>(server, { query: SELECT, variables: { id: alice } });
    expect(body.errors).toBeUndefined();
    aliceToken = body.data!.selectProfile.token;
    const setCookie = res.headers.get("set-cookie") ?? "";
    aliceCookie = setCookie.split(";")[0];
  });
  afterAll(() => server.close());

  it("selectProfile returns a signed token and sets an HTTP-only, SameSite=Lax cookie", async () => {
    const { body, res } = await post<{ selectProfile: { token: string; profile: { id: string; name: string } } }>(server, { query: SELECT, variables: { id: bob } });
    expect(body.data!.selectProfile.profile).toEqual({ id: bob, name: "Bob" });
    expect(body.data!.selectProfile.token).toMatch(/^v1\.[\w-]+\.[\w-]+$/);
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^marquee_session=v1\./);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const missing = await post(server, { query: SELECT, variables: { id: "00000000-0000-4000-8000-000000000000" } });
    expect(codeOf(missing.body)).toBe("NOT_FOUND");
  });

  it("refuses profile reads and events without a session (UNAUTHENTICATED), storing nothing", async () => {
    for (const call of [
      { query: HOME, variables: { profileId: alice } },
      { query: HOME },
      { query: RECS, variables: { profileId: alice } },
      { query: LOG, variables: { input: { profileId: alice, movieId: "1", type: "PLAY" } } },
      { query: LOG_MANY, variables: { inputs: [{ movieId: "1", type: "PLAY" }] } },
    ]) {
      const { body } = await post(server, call);
      expect(codeOf(body)).toBe("UNAUTHENTICATED");
      expect(body.errors![0].message).toMatch(/selectProfile/);
    }
    expect(await countRows(server.db.dataSource, "interactions")).toBe(0);
  });

  it("a bearer token acts for its profile when profileId is omitted or matches", async () => {
    const auth = { authorization: `Bearer ${aliceToken}` };
    const home = await post<{ home: unknown[] }>(server, { query: HOME, headers: auth });
    expect(home.body.errors).toBeUndefined();
    expect(Array.isArray(home.body.data!.home)).toBe(true);
    const logged = await post<{ logInteraction: { profileId: string } }>(server, { query: LOG, variables: { input: { movieId: "1", type: "PLAY" } }, headers: auth });
    expect(logged.body.errors).toBeUndefined();
    expect(logged.body.data!.logInteraction.profileId).toBe(alice);
    const explicit = await post<{ logInteraction: { profileId: string } }>(server, {
      query: LOG,
      variables: { input: { profileId: alice.toUpperCase(), movieId: "2", type: "LIKE" } },
      headers: auth,
    });
    expect(explicit.body.data!.logInteraction.profileId).toBe(alice);
    const rows: { profile_id: string }[] = await server.db.dataSource.query(`SELECT profile_id FROM interactions`);
    expect(rows.map((r) => r.profile_id)).toEqual([alice, alice]);
  });

  it("the session cookie works like the bearer header (browsers)", async () => {
    expect(aliceCookie).toMatch(/^marquee_session=/);
    const recs = await post<{ recommendations: unknown[] }>(server, { query: RECS, headers: { cookie: `theme=dark; ${aliceCookie}` } });
    expect(recs.body.errors).toBeUndefined();
    expect(Array.isArray(recs.body.data!.recommendations)).toBe(true);
  });

  it("another profile's rows or events are FORBIDDEN, and nothing of the batch is stored", async () => {
    const before = await countRows(server.db.dataSource, "interactions");
    const auth = { authorization: `Bearer ${aliceToken}` };
    const home = await post(server, { query: HOME, variables: { profileId: bob }, headers: auth });
    expect(codeOf(home.body)).toBe("FORBIDDEN");
    const recs = await post(server, { query: RECS, variables: { profileId: bob }, headers: { cookie: aliceCookie } });
    expect(codeOf(recs.body)).toBe("FORBIDDEN");
    const batch = await post(server, {
      query: LOG_MANY,
      variables: { inputs: [{ movieId: "1", type: "PLAY" }, { profileId: bob, movieId: "2", type: "PLAY" }] },
      headers: auth,
    });
    expect(codeOf(batch.body)).toBe("FORBIDDEN");
    expect(batch.body.errors![0].extensions).toMatchObject({ index: 1, field: "profileId" });
    expect(await countRows(server.db.dataSource, "interactions")).toBe(before);
  });

  it("a forged or expired token is refused with a hint to select the profile again", async () => {
    const forged = signSessionToken("some-other-secret-0123456789", { profileId: alice, expiresAt: Math.floor(Date.now() / 1000) + 3600 });
    const expired = signSessionToken(SECRET, { profileId: alice, expiresAt: Math.floor(Date.now() / 1000) - 1 });
    const tampered = aliceToken.replace(/\.([\w-])/, (_m, c: string) => `.${c === "A" ? "B" : "A"}`);
    for (const token of [forged, expired, tampered, "garbage"]) {
      const { body } = await post(server, { query: HOME, headers: { authorization: `Bearer ${token}` } });
      expect(codeOf(body)).toBe("UNAUTHENTICATED");
      expect(body.errors![0].message).toMatch(/invalid or expired/);
    }
  });

  it("the admin key logs events for any profile, imports and trains; viewers and wrong keys may not", async () => {
    const admin = { "x-admin-key": ADMIN_KEY };
    const many = await post<{ logInteractions: { profileId: string }[] }>(server, {
      query: LOG_MANY,
      variables: { inputs: [{ profileId: alice, movieId: "3", type: "PLAY" }, { profileId: bob, movieId: "3", type: "PLAY" }] },
      headers: admin,
    });
    expect(many.body.errors).toBeUndefined();
    expect(many.body.data!.logInteractions.map((e) => e.profileId)).toEqual([alice, bob]);
    const adminWithoutProfile = await post(server, { query: LOG_MANY, variables: { inputs: [{ movieId: "3", type: "PLAY" }] }, headers: admin });
    expect(codeOf(adminWithoutProfile.body)).toBe("UNAUTHENTICATED");
    expect(adminWithoutProfile.body.errors![0].message).toMatch(/profileId is required/);

    const csv = `profile,movie,type,occurred_at\n${bob},1,LIKE,2024-01-01T00:00:00Z\n`;
    expect(codeOf((await post(server, { query: IMPORT, variables: { content: csv } })).body)).toBe("UNAUTHENTICATED");
    expect(codeOf((await post(server, { query: IMPORT, variables: { content: csv }, headers: { authorization: `Bearer ${aliceToken}` } })).body)).toBe("FORBIDDEN");
    const wrong = await post(server, { query: IMPORT, variables: { content: csv }, headers: { "x-admin-key": `${ADMIN_KEY}x` } });
    expect(codeOf(wrong.body)).toBe("FORBIDDEN");
    expect(wrong.body.errors![0].message).toMatch(/does not match MARQUEE_ADMIN_KEY/);
    const imported = await post<{ importEvents: { eventsImported: number } }>(server, { query: IMPORT, variables: { content: csv }, headers: admin });
    expect(imported.body.errors).toBeUndefined();
    expect(imported.body.data!.importEvents.eventsImported).toBe(1);

    const TRAIN = `mutation { trainModel(algorithm: "no-such-algorithm") { id } }`;
    expect(codeOf((await post(server, { query: TRAIN, headers: { authorization: `Bearer ${aliceToken}` } })).body)).toBe("FORBIDDEN");
    // Past the key check, the algorithm name is validated (BAD_USER_INPUT): the admin got through.
    expect(codeOf((await post(server, { query: TRAIN, headers: admin })).body)).toBe("BAD_USER_INPUT");
  });

  it("refuses operations whose estimated cost is over the limit (pages multiply)", async () => {
    // 28 aliases (under the alias limit of 30), each a page of 100 costing about 800.
    const aliases = Array.from({ length: 28 }, (_, i) => `a${i}: movies(first: 100) { edges { node { id title year genres synopsis runtimeMinutes } } }`).join(" ");
    const costly = await post(server, { query: `{ ${aliases} }` });
    expect(costly.status).toBe(400);
    expect(codeOf(costly.body)).toBe("QUERY_TOO_COMPLEX");
    expect(costly.body.errors![0].message).toMatch(/limit 20000/);
    const fine = await post(server, { query: `{ a: movies(first: 100) { edges { node { id title } } } b: genres }` });
    expect(fine.body.errors).toBeUndefined();
  });

  it("estimates the same document anew for each page size given by a variable (the estimate is remembered per document and value)", async () => {
    const aliases = Array.from({ length: 28 }, (_, i) => `a${i}: movies(first: $n) { edges { node { id title year genres synopsis runtimeMinutes } } }`).join(" ");
    const query = `query Pages($n: Int!) { ${aliases} }`;
    for (const [n, code] of [[1, undefined], [100, "QUERY_TOO_COMPLEX"], [1, undefined], [100, "QUERY_TOO_COMPLEX"]] as const) {
      const answer = await post(server, { query, variables: { n } });
      expect(codeOf(answer.body)).toBe(code);
    }
    // A variable's default counts when it is absent.
    const defaulted = `query Pages($n: Int = 100) { ${aliases} }`;
    expect(codeOf((await post(server, { query: defaulted, variables: { n: 1 } })).body)).toBeUndefined();
    expect(codeOf((await post(server, { query: defaulted, variables: {} })).body)).toBe("QUERY_TOO_COMPLEX");
  });

  it("hides introspection and the GraphiQL page, and never leaks SQL or stacks", async () => {
    const introspection = await post(server, { query: `{ __schema { queryType { name } } }` });
    expect(introspection.body.data ?? null).toBeNull();
    expect(introspection.body.errors![0].message).toMatch(/introspection/i);
    const page = await fetch(`${server.url}/graphql`, { headers: { accept: "text/html" } });
    expect(await page.text()).not.toMatch(/playground|graphiql/i);

    // A real database error: the table a resolver reads is gone for a moment.
    await server.db.dataSource.query(`ALTER TABLE movies RENAME TO movies_hidden`);
    try {
      const { body } = await post(server, { query: `{ genres }` });
      expect(body.errors).toHaveLength(1);
      expect(body.errors![0]).toEqual({ message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" } });
      expect(JSON.stringify(body)).not.toMatch(/relation|movies|SELECT|stack|\.ts:/i);
    } finally {
      await server.db.dataSource.query(`ALTER TABLE movies_hidden RENAME TO movies`);
    }
  });
});

describe("GraphQL limits", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ ...PRODUCTION, enablePlayground: true, rateLimitPerSessionPerMinute: 3, rateLimitPerIpPerMinute: 40, maxQueryDepth: 2 });
  });
  afterAll(() => server.close());

  it("MARQUEE_ENABLE_PLAYGROUND turns introspection back on in production", async () => {
    const { body } = await post<{ __schema: { queryType: { name: string } } }>(server, { query: `{ __schema { queryType { name } } }` });
    expect(body.data!.__schema.queryType.name).toBe("Query");
  });

  it("refuses too deep operations before running them", async () => {
    // This server allows depth 2 (MARQUEE_MAX_QUERY_DEPTH; the default 10 is far above what our types nest).
    const shallow = await post(server, { query: `{ movies(first: 1) { pageInfo { hasNextPage } } }` });
    expect(shallow.body.errors).toBeUndefined();
    const deep = await post(server, { query: `{ movies(first: 1) { edges { node { id } } } }` });
    expect(codeOf(deep.body)).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(deep.body.errors![0].message).toMatch(/maximum depth of 2/);
    // 200 violations at once: still a clean validation error, not a 500.
    const many = Array.from({ length: 200 }, (_, i) => `query Q${i} { movies(first: 1) { edges { node { id } } } }`).join(" ");
    const manyDeep = await post(server, { query: many });
    expect(manyDeep.status).toBe(400);
    expect(codeOf(manyDeep.body)).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  it("refuses batched operation arrays, unparseable JSON and oversized bodies with JSON errors", async () => {
    const batch = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ query: "{ genres }" }, { query: "{ genres }" }]),
    });
    expect(batch.status).toBe(400);
    const broken = await fetch(`${server.url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toEqual({ errors: [{ message: "The request body is not valid JSON.", extensions: { code: "BAD_REQUEST" } }] });
    const huge = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ genres }", variables: { pad: "x".repeat(6 * 1024 * 1024) } }),
    });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as GraphQLResponse).errors![0].extensions!.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("limits requests per session and per IP with 429, Retry-After and RATE_LIMITED", async () => {
    const profile = await insertProfile(server.db.dataSource, "Busy");
    const { body } = await post<{ selectProfile: { token: string } }>(server, { query: SELECT, variables: { id: profile } });
    const auth = { authorization: `Bearer ${body.data!.selectProfile.token}` };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await post(server, { query: `{ genres }`, headers: auth })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await post(server, { query: `{ genres }`, headers: auth });
    expect(limited.status).toBe(429);
    expect(Number(limited.res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(codeOf(limited.body)).toBe("RATE_LIMITED");

    // Without a token only the per-IP budget applies (40 a minute, some already spent above).
    let status = 200;
    for (let i = 0; i < 45 && status === 200; i++) status = (await post(server, { query: `{ genres }` })).status;
    expect(status).toBe(429);
  });
});

describe("behind a reverse proxy (MARQUEE_TRUST_PROXY)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ rateLimitPerIpPerMinute: 2, trustProxy: "loopback" });
  });
  afterAll(() => server.close());

  it("limits each forwarded client address separately", async () => {
    const from = async (ip: string) => (await post(server, { query: `{ genres }`, headers: { "x-forwarded-for": ip } })).status;
    expect([await from("203.0.113.1"), await from("203.0.113.1"), await from("203.0.113.1")]).toEqual([200, 200, 429]);
    expect(await from("203.0.113.2")).toBe(200);
  });
});

describe("MARQUEE_TRUST_PROXY as a hop count", () => {
  let server: TestServer;
  beforeAll(async () => {
    // One proxy in front: the client is the address that proxy appended, the last of X-Forwarded-For.
    server = await startTestServer({ rateLimitPerIpPerMinute: 2, trustProxy: "1" });
  });
  afterAll(() => server.close());

  it("takes the address one hop back, so a client cannot dodge the limit by prepending addresses of its own", async () => {
    const from = async (forwarded: string) => (await post(server, { query: `{ genres }`, headers: { "x-forwarded-for": forwarded } })).status;
    // The proxy saw 198.51.100.7 each time; the spoofed entries before it change nothing.
    expect([await from("10.0.0.1, 198.51.100.7"), await from("10.0.0.2, 198.51.100.7"), await from("198.51.100.7")]).toEqual([200, 200, 429]);
    expect(await from("10.0.0.1, 198.51.100.8")).toBe(200);
  });
});

describe("rate limits of 0", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ rateLimitPerIpPerMinute: 0, rateLimitPerSessionPerMinute: 0 });
  });
  afterAll(() => server.close());

  it("turn the limits off: 250 requests from one address and one session in a minute all pass", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 250; i++) statuses.push((await post(server, { query: `{ genres }` })).status);
    expect(new Set(statuses)).toEqual(new Set([200]));
  });
});

describe("configuration", () => {
  it("refuses a session secret shorter than 16 characters, and takes one of 16", () => {
    expect(() => loadConfig({ MARQUEE_SESSION_SECRET: "x".repeat(15) })).toThrow(/MARQUEE_SESSION_SECRET must be at least 16 characters/);
    expect(loadConfig({ MARQUEE_SESSION_SECRET: "x".repeat(16) }).sessionSecret).toBe("x".repeat(16));
  });

  it("refuses to start in production without MARQUEE_SESSION_SECRET, saying what to set", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(/MARQUEE_SESSION_SECRET/);
    const config = loadConfig({ NODE_ENV: "production", MARQUEE_SESSION_SECRET: SECRET });
    expect(config).toMatchObject({ production: true, authEnforced: true, sessionSecret: SECRET, adminKey: undefined });
  });

  it("npm start refuses production without the secret, with that message and no stack", () => {
    const result = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "src/main.ts"], {
      cwd: path.resolve(__dirname, ".."),
      env: { ...process.env, NODE_ENV: "production", MARQUEE_SESSION_SECRET: "", DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^Marquee cannot start: NODE_ENV=production needs MARQUEE_SESSION_SECRET/m);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("development keeps a persisted random secret; an admin key alone turns enforcement on", () => {
    const first = loadConfig({});
    expect(first.authEnforced).toBe(false);
    expect(first.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({}).sessionSecret).toBe(first.sessionSecret);
    expect(loadConfig({ MARQUEE_ADMIN_KEY: "k" }).authEnforced).toBe(true);
  });
});
