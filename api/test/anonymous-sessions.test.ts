import { ServingIdSigner } from "../src/recommendations/serving-ids";
import { insertMovies, insertProfile } from "./factories";
import { deleteRedisKeys, redisAnswers, SHARED_REDIS_URL, startOwnRedis, uniqueRedisPrefix } from "./redis";
import { startTestServer, type GraphQLResponse, type TestServer } from "./server";

/**
 * Issue 15 §5: visitors without a profile, in production mode (auth enforced). An anonymous
 * session is an ephemeral profile with the same token and cookie as selectProfile; its events
 * personalise its next home; claimProfile names it in place; it never shows in `profiles`; it is
 * deleted with everything it logged once expired; anonymousSession has its own per-IP limit.
 */

const ADMIN_KEY = "test-admin-key-with-enough-entropy";
const SECRET = "test-session-secret-0123456789";
const PRODUCTION = { production: true, authEnforced: true, adminKey: ADMIN_KEY, sessionSecret: SECRET };

const ANONYMOUS = `mutation { anonymousSession { token profile { id name anonymous expiresAt } } }`;
const CLAIM = `mutation Claim($name: String!) { claimProfile(name: $name) { id name anonymous expiresAt } }`;
const PROFILES = `{ profiles { id name anonymous } }`;
const SELECT = `mutation Select($id: ID!) { selectProfile(profileId: $id) { token profile { id anonymous } } }`;
const HOME = `{ home { id kind items { recommendationId movie { id } } } }`;
const LOG = `mutation Log($inputs: [LogInteractionInput!]!) { logInteractions(inputs: $inputs) { id } }`;
const IMPRESSIONS = `mutation Imp($inputs: [ImpressionInput!]!) { logImpressions(inputs: $inputs) { accepted } }`;
const ADD_TO_LIST = `mutation Add($movieId: ID!) { addToMyList(movieId: $movieId) { id } }`;

interface AnonymousSession {
  anonymousSession: { token: string; profile: { id: string; name: string; anonymous: boolean; expiresAt: string | null } };
}
interface HomeRow {
  id: string;
  kind: string;
  items: { recommendationId: string; movie: { id: string } }[];
}

/** Enough for two Because you watched rows of 20 and a genre row. */
const HORROR = Array.from({ length: 60 }, (_, i) => 101 + i);
const OTHERS = Array.from({ length: 30 }, (_, i) => 301 + i);

async function post<T = Record<string, unknown>>(
  server: TestServer,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<{ status: number; body: GraphQLResponse<T>; res: Response }> {
  const res = await fetch(`${server.url}/graphql`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ query, variables }) });
  return { status: res.status, body: (await res.json()) as GraphQLResponse<T>, res };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const codeOf = (body: GraphQLResponse) => body.errors?.[0]?.extensions?.code;

async function anonymous(server: TestServer): Promise<AnonymousSession["anonymousSession"] & { cookie: string }> {
  const { body, res } = await post<AnonymousSession>(server, ANONYMOUS);
  expect(body.errors).toBeUndefined();
  return { ...body.data!.anonymousSession, cookie: (res.headers.get("set-cookie") ?? "").split(";")[0] };
}

async function ok<T>(server: TestServer, query: string, variables: Record<string, unknown>, headers: Record<string, string>): Promise<T> {
  const { body } = await post<T>(server, query, variables, headers);
  expect(body.errors).toBeUndefined();
  return body.data!;
}

async function watchHorror(server: TestServer, token: string, ids: number[]): Promise<void> {
  await ok(server, LOG, { inputs: ids.flatMap((movieId) => [{ movieId: String(movieId), type: "PLAY" }, { movieId: String(movieId), type: "WATCHED_FULL", progress: 1 }]) }, bearer(token));
}

describe("anonymous sessions in production mode", () => {
  let server: TestServer;
  let alice: string;

  beforeAll(async () => {
    server = await startTestServer(PRODUCTION);
    await insertMovies(server.db.dataSource, [
      ...HORROR.map((id) => ({ id, title: `Horror ${id}`, genres: ["Horror"] })),
      ...OTHERS.map((id) => ({ id, title: `Comedy ${id}`, genres: ["Comedy"] })),
    ]);
    alice = await insertProfile(server.db.dataSource, "Alice");
    // Alice made the comedies the most watched titles: Popular is not horror.
    const { body } = await post<{ selectProfile: { token: string } }>(server, SELECT, { id: alice });
    await ok(server, LOG, { inputs: OTHERS.map((movieId) => ({ movieId: String(movieId), type: "PLAY" })) }, bearer(body.data!.selectProfile.token));
  });
  afterAll(() => server.close());

  it("anonymousSession: a signed token and the HTTP-only session cookie for a new anonymous profile, expiring after the TTL", async () => {
    const { body, res } = await post<AnonymousSession>(server, ANONYMOUS);
    expect(body.errors).toBeUndefined();
    const { token, profile } = body.data!.anonymousSession;
    expect(token).toMatch(/^v1\.[\w-]+\.[\w-]+$/);
    expect(profile).toMatchObject({ anonymous: true, name: "Guest" });
    // MARQUEE_ANONYMOUS_TTL_DAYS defaults to 30.
    const days = (Date.parse(profile.expiresAt!) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29);
    expect(days).toBeLessThanOrEqual(30);
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^marquee_session=v1\./);
    expect(cookie).toMatch(/HttpOnly/i);
    // Both the token and the cookie act for the anonymous profile.
    expect((await post(server, HOME, {}, bearer(token))).body.errors).toBeUndefined();
    expect((await post(server, HOME, {}, { cookie: cookie.split(";")[0] })).body.errors).toBeUndefined();
  });

  it("never appears in profiles (Who's watching), and cannot be selected by id without its own session", async () => {
    const session = await anonymous(server);
    const { profiles } = await ok<{ profiles: { id: string; anonymous: boolean }[] }>(server, PROFILES, {}, {});
    expect(profiles.map((p) => p.id)).toContain(alice);
    expect(profiles.map((p) => p.id)).not.toContain(session.profile.id);
    expect(profiles.every((p) => !p.anonymous)).toBe(true);
    expect(codeOf((await post(server, SELECT, { id: session.profile.id })).body)).toBe("NOT_FOUND");
    expect((await post(server, `query P($id: ID!) { profile(id: $id) { id } }`, { id: session.profile.id })).body.data).toEqual({ profile: null });
    // Its own session may refresh it (a reload of the client does), within its expiry.
    const refreshed = await ok<{ selectProfile: { profile: { id: string; anonymous: boolean } } }>(server, SELECT, { id: session.profile.id }, bearer(session.token));
    expect(refreshed.selectProfile.profile).toEqual({ id: session.profile.id, anonymous: true });
  });

  it("its events personalise its very next home", async () => {
    const session = await anonymous(server);
    const before = await ok<{ home: HomeRow[] }>(server, HOME, {}, bearer(session.token));
    expect(before.home.map((r) => r.kind)).toEqual(["POPULAR", "NEW"]);
    await watchHorror(server, session.token, HORROR.slice(0, 3));
    const after = await ok<{ home: HomeRow[] }>(server, HOME, {}, bearer(session.token));
    expect(after.home.map((r) => r.kind)).toContain("BECAUSE_YOU_WATCHED");
    expect(after.home.map((r) => r.id)).toContain("GENRE:Horror");
  });

  it("claimProfile names it in place: same id, history and serving ids still valid, listed from then on", async () => {
    const session = await anonymous(server);
    await watchHorror(server, session.token, HORROR.slice(0, 3));
    const { home } = await ok<{ home: HomeRow[] }>(server, HOME, {}, bearer(session.token));
    const served = home.find((r) => r.kind === "BECAUSE_YOU_WATCHED")!.items[0];

    const { claimProfile } = await ok<{ claimProfile: { id: string; name: string; anonymous: boolean; expiresAt: string | null } }>(server, CLAIM, { name: "  Robin " }, bearer(session.token));
    expect(claimProfile).toEqual({ id: session.profile.id, name: "Robin", anonymous: false, expiresAt: null });

    // The same token goes on acting for it; its history is there, its serving id still attributes.
    await ok(server, IMPRESSIONS, { inputs: [{ recommendationId: served.recommendationId }] }, bearer(session.token));
    await ok(server, LOG, { inputs: [{ movieId: served.movie.id, type: "THUMBNAIL_CLICK", recommendationId: served.recommendationId }] }, bearer(session.token));
    const events: { n: number; attributed: number }[] = await server.db.dataSource.query(
      `SELECT count(*)::int AS n, count(rec_row_kind)::int AS attributed FROM interactions WHERE profile_id = $1`,
      [session.profile.id],
    );
    expect(events[0]).toEqual({ n: 7, attributed: 1 });
    expect(new ServingIdSigner(SECRET).verify(served.recommendationId).profileId).toBe(session.profile.id);
    const after = await ok<{ home: HomeRow[] }>(server, HOME, {}, bearer(session.token));
    expect(after.home.map((r) => r.kind)).toContain("BECAUSE_YOU_WATCHED");

    const { profiles } = await ok<{ profiles: { id: string; name: string }[] }>(server, PROFILES, {}, {});
    expect(profiles).toContainEqual({ id: session.profile.id, name: "Robin", anonymous: false });
    // A named profile is selectable by id like any other, and is no longer swept.
    expect((await post(server, SELECT, { id: session.profile.id })).body.errors).toBeUndefined();
  });

  it("typed errors: claim without an anonymous session (NO_ANONYMOUS_SESSION), a name taken (NAME_TAKEN) or invalid (BAD_USER_INPUT)", async () => {
    expect(codeOf((await post(server, CLAIM, { name: "Nobody" })).body)).toBe("NO_ANONYMOUS_SESSION");
    const { body: named } = await post<{ selectProfile: { token: string } }>(server, SELECT, { id: alice });
    expect(codeOf((await post(server, CLAIM, { name: "Alice 2" }, bearer(named.data!.selectProfile.token))).body)).toBe("NO_ANONYMOUS_SESSION");

    const session = await anonymous(server);
    const taken = await post(server, CLAIM, { name: "alice" }, bearer(session.token));
    expect(codeOf(taken.body)).toBe("NAME_TAKEN");
    expect(taken.body.errors![0].extensions?.field).toBe("name");
    for (const name of ["   ", "x".repeat(41)]) {
      const invalid = await post(server, CLAIM, { name }, bearer(session.token));
      expect(codeOf(invalid.body)).toBe("BAD_USER_INPUT");
      expect(invalid.body.errors![0].extensions?.field).toBe("name");
    }
    // Nothing was changed by the refused claims; a second claim after a good one is refused.
    await ok(server, CLAIM, { name: "Sam" }, bearer(session.token));
    expect(codeOf((await post(server, CLAIM, { name: "Sam again" }, bearer(session.token))).body)).toBe("NO_ANONYMOUS_SESSION");
  });

  it("the expiry sweep deletes expired anonymous profiles with their events, scores, impressions, roll-ups and My List, and nothing else", async () => {
    const expiring = await anonymous(server);
    const kept = await anonymous(server);
    for (const session of [expiring, kept]) {
      await watchHorror(server, session.token, HORROR.slice(0, 3));
      const { home } = await ok<{ home: HomeRow[] }>(server, HOME, {}, bearer(session.token));
      await ok(server, IMPRESSIONS, { inputs: home.flatMap((r) => r.items.slice(0, 3)).map((i) => ({ recommendationId: i.recommendationId })) }, bearer(session.token));
      await ok(server, ADD_TO_LIST, { movieId: String(OTHERS[0]) }, bearer(session.token));
    }
    const counts = async (profileId: string) => {
      const [row]: Record<string, number>[] = await server.db.dataSource.query(
        `SELECT (SELECT count(*)::int FROM profiles WHERE id = $1) AS profiles,
                (SELECT count(*)::int FROM interactions WHERE profile_id = $1) AS interactions,
                (SELECT count(*)::int FROM interaction_scores WHERE profile_id = $1) AS scores,
                (SELECT count(*)::int FROM impressions WHERE profile_id = $1) AS impressions,
                (SELECT count(*)::int FROM impression_viewer_rollups WHERE profile_id = $1) AS rollups,
                (SELECT count(*)::int FROM my_list WHERE profile_id = $1) AS my_list`,
        [profileId],
      );
      return row;
    };
    const before = await counts(expiring.profile.id);
    for (const table of ["profiles", "interactions", "scores", "impressions", "rollups", "my_list"]) expect(before[table]).toBeGreaterThan(0);
    const keptBefore = await counts(kept.profile.id);

    // Its expiry passed (as 30 days would make it).
    await server.db.dataSource.query(`UPDATE profiles SET expires_at = now() - interval '1 second' WHERE id = $1`, [expiring.profile.id]);
    expect(await server.app.services.anonymousProfiles.sweep()).toBe(1);
    expect(await counts(expiring.profile.id)).toEqual({ profiles: 0, interactions: 0, scores: 0, impressions: 0, rollups: 0, my_list: 0 });
    expect(await counts(kept.profile.id)).toEqual(keptBefore);
    const { profiles } = await ok<{ profiles: { id: string }[] }>(server, PROFILES, {}, {});
    expect(profiles.map((p) => p.id)).toContain(alice);
    expect(await server.app.services.anonymousProfiles.sweep()).toBe(0);
    // Its token names a profile that is gone.
    expect(codeOf((await post(server, HOME, {}, bearer(expiring.token))).body)).toBe("NOT_FOUND");
  });
});

describe("anonymousSession's own per-IP limit", () => {
  it("allows the limit a minute per address, then RATE_LIMITED (HTTP 429), counting every call in an operation; other operations unaffected", async () => {
    const server = await startTestServer({ ...PRODUCTION, rateLimitAnonymousPerMinute: 3 });
    try {
      for (let i = 0; i < 2; i++) expect((await post(server, ANONYMOUS)).status).toBe(200);
      // Two more in one operation, by aliases: the second is over the limit.
      const aliased = await post<Record<string, { token: string } | null>>(server, `mutation { a: anonymousSession { token } b: anonymousSession { token } }`);
      expect(codeOf(aliased.body)).toBe("RATE_LIMITED");
      const refused = await post(server, ANONYMOUS);
      expect(refused.status).toBe(429);
      expect(codeOf(refused.body)).toBe("RATE_LIMITED");
      expect(Number(refused.res.headers.get("retry-after"))).toBeGreaterThan(0);
      const made: { n: number }[] = await server.db.dataSource.query(`SELECT count(*)::int AS n FROM profiles WHERE anonymous`);
      expect(made[0].n).toBe(3);
      expect((await post(server, PROFILES)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it("with Redis, two API processes enforce one limit", async () => {
    // The shared Redis, or (on a machine without one) a redis-server of this test's own.
    const own = (await redisAnswers(SHARED_REDIS_URL)) ? undefined : await startOwnRedis();
    const url = own?.url ?? SHARED_REDIS_URL;
    const prefix = uniqueRedisPrefix("anonymous-limit");
    const settings = { ...PRODUCTION, rateLimitAnonymousPerMinute: 3, redisUrl: url, redisPrefix: prefix };
    const a = await startTestServer(settings);
    const b = await startTestServer(settings);
    try {
      // Until a process is connected its limits fail open: wait for both to report the store up.
      for (const server of [a, b]) {
        for (;;) {
          const up = await server.app.metrics.registry.getSingleMetric("marquee_rate_limit_store_up")!.get();
          if (up.values[0]?.value === 1) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      const statuses = [];
      for (const server of [a, b, a, b]) statuses.push((await post(server, ANONYMOUS)).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await deleteRedisKeys(url, prefix);
      await own?.kill();
    }
  });
});
