import fc from "fast-check";
import { countRows, insertMovies, insertProfile } from "./factories";
import { startTestServer, type TestServer } from "./server";

/**
 * Malformed GraphQL at volume (fast-check): random bodies, broken documents and hostile variables.
 * Every answer must be a well-formed GraphQL result or error (JSON, errors with string
 * messages, no stack traces in production mode), the server must stay up, and no invalid input
 * may store anything.
 */

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
      if (typeof error !== "object" || error === null || typeof (error as { message?: unknown }).message !== "string") return false;
    }
  } else if (data === undefined || status !== 200) {
    return false;
  }
  return true;
}

describe("malformed GraphQL at volume", () => {
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
      { numRuns: 150 },
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
      { numRuns: 300 },
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
      { numRuns: 400 },
    );
    expect(await counts()).toEqual(rowsBefore);
  });

  it("non-JSON content types and bodies", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 100 }), fc.constantFrom("application/json", "application/graphql", "text/plain", "application/x-www-form-urlencoded"), async (body, type) => {
        const res = await fetch(`${server.url}/graphql`, { method: "POST", headers: { "content-type": type, "x-admin-key": ADMIN_KEY }, body });
        expect(res.status).toBeLessThan(500);
        await res.text();
      }),
      { numRuns: 100 },
    );
  });

  it("is still up and stored nothing", async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await server.gql<{ genres: string[] }>(`{ genres }`)).data!.genres).toEqual(["Drama"]);
    expect(await counts()).toEqual(rowsBefore);
  });
});
