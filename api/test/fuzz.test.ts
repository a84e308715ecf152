import fc from "fast-check";
import { countRows, insertMovies, insertProfile } from "./factories";
import { startTestServer, type TestServer } from "./server";

/**
 * Malformed GraphQL at volume (fast-check): random bodies, broken documents and hostile variables.
 * Every answer must be a well-formed GraphQL result or a typed client error: JSON, errors with
 * string messages and a 4xx-class `extensions.code` (never INTERNAL_SERVER_ERROR: a resolver that
 * throws on hostile input is a bug), an HTTP status below 500, no stack traces in production
 * mode. The server must stay up, and no invalid input may store anything.
 */

/** MARQUEE_FUZZ_SCALE=10 runs every property ten times as long (a deeper search than CI's). */
const SCALE = Number(process.env.MARQUEE_FUZZ_SCALE ?? 1);
const runs = (n: number) => Math.round(n * SCALE);
const ADMIN_KEY = "fuzz-admin-key-0123456789";
const LOG_ONE = `mutation Log($input: LogInteractionInput!) { logInteraction(input: $input) { id } }`;
const LOG_MANY = `mutation LogMany($inputs: [LogInteractionInput!]!) { logInteractions(inputs: $inputs) { id } }`;
const HOME = `query Home($profileId: ID, $filter: MovieFilter) { home(profileId: $profileId, filter: $filter) { title items { movie { id } } } }`;
const MOVIES = `query Movies($first: Int, $after: String, $filter: MovieFilter) { movies(first: $first, after: $after, filter: $filter) { edges { node { id title } } } }`;
const VALID = [LOG_ONE, LOG_MANY, HOME, MOVIES, `{ genres }`, `{ profiles { id name } }`];

/** GraphQL-ish tokens, so random documents get past the lexer often enough to reach deeper code. */
const TOKENS = [
  "{", "}", "(", ")", "[", "]", ":", "!", "$", "...", "@", "=", ",", "query", "mutation", "subscription", "fragment", "on",
  "movies", "movie", "home", "genres", "profiles", "logInteraction", "logInteractions", "input", "inputs", "profileId", "movieId",
  "type", "PLAY", "LIKE", "first", "after", "filter", "edges", "node", "id", "title", "items", "__typename", "__schema", "\"x\"",
  "1", "-1", "1e308", "null", "true", "$input", "LogInteractionInput", "ID", "Int", "String",
];

/** The codes a client's own mistake may get; anything else (INTERNAL_SERVER_ERROR, none at all) fails. */
const CLIENT_ERROR_CODES = new Set([
  "BAD_USER_INPUT",
  "BAD_REQUEST",
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "OPERATION_RESOLUTION_FAILURE",
  "NOT_FOUND",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "PAYLOAD_TOO_LARGE",
  "QUERY_TOO_DEEP",
  "QUERY_TOO_COMPLEX",
  "TOO_MANY_ALIASES",
  "TOO_MANY_REPEATED_FIELDS",
]);

interface Outcome {
  status: number;
  body: unknown;
}

function isWellFormed({ status, body }: Outcome): boolean {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return false;
  const { data, errors } = body as { data?: unknown; errors?: unknown };
  if (errors !== undefined) {
    if (!Array.isArray(errors) || errors.length === 0) return false;
    for (const error of errors) {
      if (typeof error !== "object" || error === null) return false;
      const { message, extensions } = error as { message?: unknown; extensions?: { code?: unknown } };
      if (typeof message !== "string" || typeof extensions?.code !== "string" || !CLIENT_ERROR_CODES.has(extensions.code)) return false;
    }
    if (status >= 500) return false;
  } else if (data === undefined || status !== 200) {
    return false;
  }
  return true;
}

describe("malformed GraphQL at volume", () => {
  // Hundreds of requests per property; a busy 2-core machine needs more than the default minute.
  jest.setTimeout(180_000 * SCALE);
  let server: TestServer;
  let profileId: string;
  let rowsBefore: Record<string, number>;
  const tables = ["interactions", "interaction_scores", "profiles", "movies"] as const;
  const counts = async () => Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await countRows(server.db.dataSource, t)] as const)));

  beforeAll(async () => {
    // Production mode, with the admin key on every request, so inputs reach validation rather than stopping at auth.
    server = await startTestServer({ production: true, authEnforced: true, adminKey: ADMIN_KEY, sessionSecret: "fuzz-secret-0123456789", rateLimitPerIpPerMinute: 0 });
    await insertMovies(server.db.dataSource, [
      { id: 1, title: "One" },
      { id: 2, title: "Two" },
    ]);
    profileId = await insertProfile(server.db.dataSource, "Target");
    rowsBefore = await counts();
  });
  afterAll(() => server.close());

  const send = async (body: string, contentType = "application/json"): Promise<Outcome> => {
    const res = await fetch(`${server.url}/graphql`, { method: "POST", headers: { "content-type": contentType, "x-admin-key": ADMIN_KEY }, body });
    const text = await res.text();
    expect(text).not.toMatch(/stacktrace|\n\s+at \S+ \(|QueryFailedError|SELECT |INSERT /);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Error(`not JSON (status ${res.status}): ${text.slice(0, 200)}`);
    }
    return { status: res.status, body: parsed };
  };
  const expectWellFormed = (outcome: Outcome, input: unknown) => {
    if (!isWellFormed(outcome)) throw new Error(`malformed answer ${JSON.stringify(outcome).slice(0, 400)} to ${JSON.stringify(input).slice(0, 400)}`);
  };

  it("random JSON bodies", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (value) => expectWellFormed(await send(JSON.stringify(value)), value)),
      { numRuns: runs(500) },
    );
  });

  it("broken documents: random token soup and mutated valid operations", async () => {
    const soup = fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 40 }).map((tokens) => tokens.join(" "));
    const mutated = fc
      .tuple(fc.constantFrom(...VALID), fc.nat(), fc.nat({ max: 10 }), fc.string({ maxLength: 5 }))
      .map(([doc, at, cut, insert]) => {
        const i = at % (doc.length + 1);
        return doc.slice(0, i) + insert + doc.slice(i + cut);
      });
    await fc.assert(
      fc.asyncProperty(fc.oneof(soup, mutated, fc.string({ maxLength: 200 })), async (query) => {
        // A profile that does not exist: a mutated document that stays valid still stores nothing.
        expectWellFormed(await send(JSON.stringify({ query, variables: { input: { profileId: "00000000-0000-4000-8000-000000000000", movieId: "1", type: "PLAY" } } })), query);
      }),
      { numRuns: runs(300) },
    );
  });

  it("hostile variables for valid operations store nothing", async () => {
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom("", "0", "-1", "1e309", "NaN", "x".repeat(300), "00000000-0000-4000-8000-000000000000", "1; DROP TABLE movies", "' OR 1=1 --"),
      fc.double(),
      fc.integer(),
    );
    // Events that look almost right: a real profile with bad fields, or bad profiles with real titles.
    const event = fc.record(
      {
        profileId: fc.oneof(value, fc.constant(profileId.toUpperCase() + "x"), fc.constant("00000000-0000-4000-8000-000000000000")),
        movieId: fc.oneof(value, fc.constantFrom("999999", "-1", "1.5", "0")),
        type: fc.oneof(value, fc.constantFrom("PLAY", "play", "LIKE ", "DELETE")),
        progress: value,
        positionSeconds: value,
        occurredAt: fc.oneof(value, fc.constantFrom("2999-01-01T00:00:00Z", "not a date", "1969-12-31T23:59:59Z")),
        clientEventId: fc.oneof(value, fc.constant("c".repeat(129))),
      },
      { requiredKeys: [] },
    );
    const call = fc.oneof(
      fc.record({ query: fc.constant(LOG_ONE), variables: fc.record({ input: fc.oneof(event, value) }) }),
      fc.record({ query: fc.constant(LOG_MANY), variables: fc.record({ inputs: fc.oneof(fc.array(event, { maxLength: 5 }), value) }) }),
      fc.record({ query: fc.constant(HOME), variables: fc.record({ profileId: value, filter: value }, { requiredKeys: [] }) }),
      fc.record({ query: fc.constant(MOVIES), variables: fc.record({ first: value, after: value, filter: value }, { requiredKeys: [] }) }),
    );
    await fc.assert(
      fc.asyncProperty(call, async (body) => {
        const outcome = await send(JSON.stringify(body));
        expectWellFormed(outcome, body);
        const data = (outcome.body as { data?: Record<string, unknown> | null }).data;
        // Only reads may succeed here; every event above is invalid in some field or names no real profile.
        if (body.query === LOG_ONE || body.query === LOG_MANY) {
          const stored = data?.logInteraction ?? (data?.logInteractions as unknown[] | undefined)?.length;
          expect(stored ?? 0).toBeFalsy();
        }
      }),
      { numRuns: runs(400) },
    );
    expect(await counts()).toEqual(rowsBefore);
  });

  /**
   * Values of the right GraphQL type but hostile content, so they pass variable coercion and
   * reach the resolvers, services and SQL: NUL bytes and lone surrogates (Postgres refuses both
   * in text), numbers at the edges of int4 and float8, ids that are almost ids, dates at the
   * edges of what Postgres and JavaScript hold.
   */
  const hostileString = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.string({ maxLength: 20, unit: "binary" }),
    fc.constantFrom("", " ", "\u0000", "a\u0000b", "\ud800", "\udfff", "x".repeat(10_000), "%", "_", "\\", "'; DROP TABLE movies; --", "1", "-1", "0", "1e3", "2147483648", "99999999999999999999", " 1", "1 ", "0x10", "00000000-0000-4000-8000-000000000000", "NaN", "Infinity"),
  );
  const hostileInt = fc.oneof(fc.integer(), fc.constantFrom(0, -1, 1, 100, 101, -2147483648, 2147483647));
  const hostileFloat = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -0, 1e308, -1e308, 5e-324, 1, 1.0000001));
  const hostileDate = fc.oneof(
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    fc.constantFrom("0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1970-01-01T00:00:00Z", "+275760-09-13T00:00:00Z", "-000001-01-01T00:00:00Z", "2026-02-30T00:00:00Z"),
  );
  const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
  const list = <T>(arb: fc.Arbitrary<T>) => fc.oneof(fc.array(arb, { maxLength: 4 }), fc.constant([]));
  const filter = optional(
    fc.record(
      { genre: hostileString, genres: list(hostileString), maturityRatings: list(hostileString), text: hostileString, yearFrom: hostileInt, yearTo: hostileInt },
      { requiredKeys: [] },
    ),
  );

  it("typed but hostile arguments to every read get data or a typed client error", async () => {
    const id = () => fc.oneof(hostileString, fc.constant(profileId), fc.constant("1"), fc.constant("2"));
    const call = fc.oneof(
      fc.record({ query: fc.constant(`query($id: ID!) { movie(id: $id) { id title } }`), variables: fc.record({ id: id() }) }),
      fc.record({ query: fc.constant(`query($id: ID!) { profile(id: $id) { id name } }`), variables: fc.record({ id: id() }) }),
      fc.record({ query: fc.constant(MOVIES), variables: fc.record({ first: optional(hostileInt), after: optional(hostileString), filter }, { requiredKeys: [] }) }),
      fc.record({ query: fc.constant(HOME), variables: fc.record({ profileId: optional(id()), filter }, { requiredKeys: [] }) }),
      fc.record({
        query: fc.constant(`query($p: ID, $n: Int, $f: MovieFilter) { recommendations(profileId: $p, first: $n, filter: $f) { movie { id } } }`),
        variables: fc.record({ p: optional(id()), n: optional(hostileInt), f: filter }, { requiredKeys: [] }),
      }),
      fc.record({
        query: fc.constant(`query($m: ID!, $n: Int, $f: MovieFilter) { similarMovies(movieId: $m, first: $n, filter: $f) { movie { id } } }`),
        variables: fc.record({ m: id(), n: optional(hostileInt), f: filter }, { requiredKeys: ["m"] }),
      }),
      fc.record({ query: fc.constant(`query($p: ID) { myList(profileId: $p) { id } }`), variables: fc.record({ p: optional(id()) }, { requiredKeys: [] }) }),
      fc.record({ query: fc.constant(`query($n: Int) { models(first: $n) { id } }`), variables: fc.record({ n: optional(hostileInt) }, { requiredKeys: [] }) }),
      fc.record({
        query: fc.constant(`query($b: VolumeBucket!, $s: DateTimeISO) { eventVolume(bucket: $b, since: $s) { events } }`),
        variables: fc.record({ b: fc.constantFrom("HOUR", "DAY"), s: optional(hostileDate) }, { requiredKeys: ["b"] }),
      }),
      fc.record({
        query: fc.constant(`query($g: [MetricDimension!]!, $s: DateTimeISO, $u: DateTimeISO) { onlineMetrics(groupBy: $g, since: $s, until: $u) { clicks } }`),
        variables: fc.record(
          { g: fc.uniqueArray(fc.constantFrom("ARM", "DAY", "EXPERIMENT", "ITEM_POSITION", "MODEL", "ROW_KIND", "ROW_POSITION", "SURFACE"), { maxLength: 3 }), s: optional(hostileDate), u: optional(hostileDate) },
          { requiredKeys: ["g"] },
        ),
      }),
    );
    await fc.assert(
      fc.asyncProperty(call, async (body) => expectWellFormed(await send(JSON.stringify(body)), body)),
      // What this property found first: a NUL in a filter reached Postgres (22021) as an internal error.
      { numRuns: runs(600), examples: [[{ query: HOME, variables: { profileId, filter: { genres: ["a\u0000b"] } } }]] },
    );
    expect(await counts()).toEqual(rowsBefore);
  });

  it("non-JSON content types and bodies get a 400 with a typed error", async () => {
    // No string here is a GraphQL request: JSON or not, it names no query, so every answer is 400.
    const body = fc.oneof(fc.string({ maxLength: 100 }), fc.string({ maxLength: 100, unit: "binary" }), fc.constantFrom("", "{", "{}", "[]", "null", "1", '"query"', "query { genres }", "query=%7B+genres+%7D"));
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom("application/json", "application/graphql", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data"), async (text, type) => {
        const outcome = await send(text, type);
        if (outcome.status !== 400 || !isWellFormed(outcome)) throw new Error(`answer ${JSON.stringify(outcome).slice(0, 400)} to ${type} ${JSON.stringify(text)}`);
      }),
      { numRuns: runs(300) },
    );
  });

  it("is still up and stored nothing", async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await server.gql<{ genres: string[] }>(`{ genres }`)).data!.genres).toEqual(["Drama"]);
    expect(await counts()).toEqual(rowsBefore);
  });

  // Last: some of these writes are valid (a profile named "1", a PLAY of title 1), so nothing is counted after them.
  it("typed but hostile arguments to every write get data or a typed client error", async () => {
    const id = fc.oneof(hostileString, fc.constant(profileId), fc.constant("1"), fc.constant("2"));
    const event = fc.record(
      {
        profileId: optional(id),
        movieId: id,
        type: fc.constantFrom("PLAY", "LIKE", "DISLIKE", "WATCHED_FULL", "THUMBNAIL_CLICK", "ADD_TO_LIST", "SKIPPED", "CLOSED"),
        progress: optional(hostileFloat),
        positionSeconds: optional(hostileFloat),
        occurredAt: optional(hostileDate),
        clientEventId: optional(hostileString),
        recommendationId: optional(hostileString),
      },
      { requiredKeys: ["movieId", "type"] },
    );
    const impression = fc.record({ recommendationId: hostileString, shownAt: optional(hostileDate), clientEventId: optional(hostileString) }, { requiredKeys: ["recommendationId"] });
    const call = fc.oneof(
      fc.record({ query: fc.constant(LOG_ONE), variables: fc.record({ input: event }) }),
      fc.record({ query: fc.constant(LOG_MANY), variables: fc.record({ inputs: list(event) }) }),
      fc.record({ query: fc.constant(`mutation($i: [ImpressionInput!]!) { logImpressions(inputs: $i) { accepted } }`), variables: fc.record({ i: list(impression) }) }),
      fc.record({
        query: fc.constant(`mutation($m: ID!, $p: ID, $r: ID) { addToMyList(movieId: $m, profileId: $p, recommendationId: $r) { id } }`),
        variables: fc.record({ m: id, p: optional(id), r: optional(hostileString) }, { requiredKeys: ["m"] }),
      }),
      fc.record({ query: fc.constant(`mutation($m: ID!, $p: ID) { removeFromMyList(movieId: $m, profileId: $p) { id } }`), variables: fc.record({ m: id, p: optional(id) }, { requiredKeys: ["m"] }) }),
      fc.record({ query: fc.constant(`mutation($m: [ID!]!, $p: ID) { chooseFavorites(movieIds: $m, profileId: $p) { movie { id } } }`), variables: fc.record({ m: list(id), p: optional(id) }, { requiredKeys: ["m"] }) }),
      fc.record({ query: fc.constant(`mutation($p: ID!) { selectProfile(profileId: $p) { token } }`), variables: fc.record({ p: id }) }),
      fc.record({ query: fc.constant(`mutation($n: String!, $c: String) { createProfile(name: $n, avatarColor: $c) { id } }`), variables: fc.record({ n: hostileString, c: optional(hostileString) }, { requiredKeys: ["n"] }) }),
      fc.record({
        query: fc.constant(`mutation($c: String!, $f: ImportFormat!, $s: String) { importEvents(content: $c, format: $f, source: $s) { duplicates } }`),
        variables: fc.record(
          {
            c: fc.oneof(hostileString, fc.array(fc.oneof(hostileString, fc.constantFrom("profile,movie,type,occurred_at", `${profileId},1,PLAY,2026-01-01T00:00:00Z`)), { maxLength: 4 }).map((lines) => lines.join("\n"))),
            f: fc.constantFrom("CSV", "JSONL"),
            s: optional(hostileString),
          },
          { requiredKeys: ["c", "f"] },
        ),
      }),
    );
    await fc.assert(
      fc.asyncProperty(call, async (body) => expectWellFormed(await send(JSON.stringify(body)), body)),
      {
        numRuns: runs(600),
        // What it found: a NUL in importEvents' source, and a position of 5e-324 (Postgres real refuses it: "underflow").
        examples: [
          [{ query: LOG_ONE, variables: { input: { profileId, movieId: "1", type: "PLAY", positionSeconds: 5e-324 } } }],
          [{ query: LOG_ONE, variables: { input: { profileId, movieId: "1", type: "PLAY", progress: 1e-40 } } }],
        ],
      },
    );
  });
});
