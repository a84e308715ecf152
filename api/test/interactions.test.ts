import { countRows, insertMovies, insertProfile, scoreRows } from "./factories";
import { startTestServer, type GraphQLResponse, type TestServer } from "./server";

const LOG_ONE = `mutation Log($input: LogInteractionInput!) {
  logInteraction(input: $input) { id profileId movieId type weight progress positionSeconds occurredAt receivedAt clientEventId }
}`;
const LOG_MANY = `mutation LogMany($inputs: [LogInteractionInput!]!) {
  logInteractions(inputs: $inputs) { id profileId movieId type weight clientEventId }
}`;

interface StoredEvent {
  id: string;
  profileId: string;
  movieId: string;
  type: string;
  weight: number;
  progress: number | null;
  positionSeconds: number | null;
  occurredAt: string;
  receivedAt: string;
  clientEventId: string | null;
}

const TYPES = ["THUMBNAIL_CLICK", "PLAY", "WATCHED_FULL", "SKIPPED", "CLOSED", "LIKE", "DISLIKE", "ADD_TO_LIST"] as const;

describe("logInteraction and logInteractions", () => {
  let server: TestServer;
  let viewer: string;
  let other: string;
  const nothingStored = async () => {
    expect(await countRows(server.db.dataSource, "interactions")).toBe(0);
    expect(await countRows(server.db.dataSource, "interaction_scores")).toBe(0);
  };
  const expectError = (res: GraphQLResponse, code: string, details: { index?: number; field?: string } = {}) => {
    expect(res.data ?? null).toBeNull();
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0].extensions).toMatchObject({ code, ...details });
    return res.errors![0].message;
  };

  beforeAll(async () => {
    server = await startTestServer();
    await insertMovies(server.db.dataSource, Array.from({ length: 20 }, (_, i) => ({ id: i + 1, title: `Title ${i + 1}` })));
    viewer = await insertProfile(server.db.dataSource, "Viewer");
    other = await insertProfile(server.db.dataSource, "Other");
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    await server.db.dataSource.query(`TRUNCATE interactions, interaction_scores`);
  });

  it("stores an event with the weight in force and returns it as stored", async () => {
    const occurredAt = new Date(Date.now() - 60_000).toISOString();
    const res = await server.gql<{ logInteraction: StoredEvent }>(LOG_ONE, {
      input: { profileId: viewer, movieId: "3", type: "PLAY", progress: 0.25, positionSeconds: 1500, occurredAt, clientEventId: "e-1" },
    });
    expect(res.errors).toBeUndefined();
    const stored = res.data!.logInteraction;
    expect(stored).toMatchObject({ profileId: viewer, movieId: "3", type: "PLAY", weight: 2, progress: 0.25, positionSeconds: 1500, occurredAt, clientEventId: "e-1" });
    expect(Math.abs(Date.parse(stored.receivedAt) - Date.now())).toBeLessThan(60_000);
    const rows: { id: string; weight: number }[] = await server.db.dataSource.query(`SELECT id, weight FROM interactions`);
    expect(rows).toEqual([{ id: stored.id, weight: 2 }]);
  });

  it("keeps interaction_scores in step: sums, counts, flags, latest thumb wins", async () => {
    const t0 = Date.now() - 3_600_000;
    const at = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();
    const events = [
      { type: "THUMBNAIL_CLICK", occurredAt: at(0) },
      { type: "PLAY", progress: 0, occurredAt: at(1) },
      { type: "CLOSED", progress: 0.4, occurredAt: at(20) },
      { type: "LIKE", occurredAt: at(21) },
      { type: "ADD_TO_LIST", occurredAt: at(22) },
    ];
    for (const e of events) expect((await server.gql(LOG_ONE, { input: { profileId: viewer, movieId: "5", ...e } })).errors).toBeUndefined();
    let [row] = await scoreRows(server.db.dataSource);
    expect(row).toMatchObject({
      profile_id: viewer, movie_id: 5, score: 1 + 2 + 2 + 4 + 3, event_count: 5, thumbnail_clicks: 1, plays: 1, closes: 1,
      likes: 1, dislikes: 0, list_adds: 1, watched_full: false, liked: true, disliked: false, in_list: true,
    });
    expect(row.max_progress).toBeCloseTo(0.4, 5);
    expect((row.last_event_at as Date).toISOString()).toBe(at(22));

    // One batch: finished, then changed their mind. DISLIKE clears liked and counts -4.
    const res = await server.gql(LOG_MANY, {
      inputs: [
        { profileId: viewer, movieId: "5", type: "DISLIKE", occurredAt: at(41) },
        { profileId: viewer, movieId: "5", type: "WATCHED_FULL", progress: 1, occurredAt: at(40) },
      ],
    });
    expect(res.errors).toBeUndefined();
    [row] = await scoreRows(server.db.dataSource);
    expect(row).toMatchObject({ score: 12 + 4 - 4, event_count: 7, watched_full_count: 1, watched_full: true, liked: false, disliked: true, max_progress: 1 });
    expect((row.last_event_at as Date).toISOString()).toBe(at(41));
  });

  describe("bad input: a typed error, and nothing stored", () => {
    it("unknown movie -> NOT_FOUND", async () => {
      const message = expectError(await server.gql(LOG_ONE, { input: { profileId: viewer, movieId: "999", type: "PLAY" } }), "NOT_FOUND", { field: "movieId" });
      expect(message).toMatch(/movie.*999/);
      await nothingStored();
    });

    it("unknown profile -> NOT_FOUND; malformed ids -> BAD_USER_INPUT", async () => {
      const unknown = "00000000-0000-4000-8000-0000000fffff";
      expectError(await server.gql(LOG_ONE, { input: { profileId: unknown, movieId: "1", type: "PLAY" } }), "NOT_FOUND", { field: "profileId" });
      expectError(await server.gql(LOG_ONE, { input: { profileId: "bob", movieId: "1", type: "PLAY" } }), "BAD_USER_INPUT", { field: "profileId" });
      expectError(await server.gql(LOG_ONE, { input: { profileId: viewer, movieId: "1 OR 1=1", type: "PLAY" } }), "BAD_USER_INPUT", { field: "movieId" });
      await nothingStored();
    });

    it("an event type outside the enum is refused by GraphQL itself", async () => {
      const viaVariables = await server.gql(LOG_ONE, { input: { profileId: viewer, movieId: "1", type: "BINGE" } });
      expectError(viaVariables, "BAD_USER_INPUT");
      expect(viaVariables.errors![0].message).toMatch(/InteractionType/);
      const inline = await server.gql(`mutation { logInteraction(input: { profileId: "${viewer}", movieId: "1", type: BINGE }) { id } }`);
      expectError(inline, "GRAPHQL_VALIDATION_FAILED");
      await nothingStored();
    });

    it.each([-0.01, 1.01, 42])("progress %p outside 0..1 -> BAD_USER_INPUT", async (progress) => {
      const message = expectError(
        await server.gql(LOG_ONE, { input: { profileId: viewer, movieId: "1", type: "CLOSED", progress } }),
        "BAD_USER_INPUT",
        { field: "progress" },
      );
      expect(message).toMatch(/between 0 and 1/);
      await nothingStored();
    });

    it("negative positionSeconds -> BAD_USER_INPUT", async () => {
      expectError(await server.gql(LOG_ONE, { input: { profileId: viewer, movieId: "1", type: "PLAY", positionSeconds: -5 } }), "BAD_USER_INPUT", {
        field: "positionSeconds",
      });
      await nothingStored();
    });

    it("occurredAt far in the future -> BAD_USER_INPUT; a little clock skew is accepted", async () => {
      const future = new Date(Date.now() + 24 * 3_600_000).toISOString();
      const message = expectError(await server.gql(LOG_ONE, { input: { profileId: viewer, movieId: "1", type: "PLAY", occurredAt: future } }), "BAD_USER_INPUT", {
        field: "occurredAt",
      });
      expect(message).toMatch(/future/);
      await nothingStored();
      const skewed = new Date(Date.now() + 30_000).toISOString();
      expect((await server.gql(LOG_ONE, { input: { profileId: viewer, movieId: "1", type: "PLAY", occurredAt: skewed } })).errors).toBeUndefined();
    });

    it("a batch over 1,000 events -> BAD_USER_INPUT, nothing stored", async () => {
      const inputs = Array.from({ length: 1001 }, (_, i) => ({ profileId: viewer, movieId: String((i % 20) + 1), type: "THUMBNAIL_CLICK" }));
      const message = expectError(await server.gql(LOG_MANY, { inputs }), "BAD_USER_INPUT", { field: "inputs" });
      expect(message).toMatch(/at most 1000/);
      await nothingStored();
    });

    it.each([
      ["unknown movie", { movieId: "4242" }, "NOT_FOUND", "movieId"],
      ["unknown profile", { profileId: "00000000-0000-4000-8000-0000000fffff" }, "NOT_FOUND", "profileId"],
      ["progress outside 0..1", { type: "SKIPPED", progress: 2 }, "BAD_USER_INPUT", "progress"],
      ["future occurredAt", { occurredAt: new Date(Date.now() + 7 * 86_400_000).toISOString() }, "BAD_USER_INPUT", "occurredAt"],
    ])("a batch with one bad element (%s) stores nothing and names the index", async (_name, bad, code, field) => {
      const inputs: Record<string, unknown>[] = Array.from({ length: 10 }, (_, i) => ({ profileId: viewer, movieId: String(i + 1), type: "PLAY", clientEventId: `b-${i}` }));
      inputs[7] = { ...inputs[7], ...bad };
      const message = expectError(await server.gql(LOG_MANY, { inputs }), code, { index: 7, field });
      expect(message).toMatch(/^inputs\[7\]/);
      await nothingStored();
    });

    it("the same clientEventId twice is stored once; the second call returns the first event", async () => {
      const input = { profileId: viewer, movieId: "2", type: "WATCHED_FULL", progress: 1, clientEventId: "dup-1" };
      const first = await server.gql<{ logInteraction: StoredEvent }>(LOG_ONE, { input });
      const second = await server.gql<{ logInteraction: StoredEvent }>(LOG_ONE, { input: { ...input, type: "PLAY", progress: 0.1 } });
      expect(second.errors).toBeUndefined();
      expect(second.data!.logInteraction).toEqual(first.data!.logInteraction);
      expect(await countRows(server.db.dataSource, "interactions")).toBe(1);
      const [row] = await scoreRows(server.db.dataSource);
      expect(row).toMatchObject({ event_count: 1, score: 4 });
      // The id is per profile: another viewer may use it.
      const others = await server.gql<{ logInteraction: StoredEvent }>(LOG_ONE, { input: { ...input, profileId: other } });
      expect(others.data!.logInteraction.id).not.toBe(first.data!.logInteraction.id);
    });

    it("duplicates inside one batch and across batches are stored once, answered in input order", async () => {
      const e = (movieId: string, clientEventId: string) => ({ profileId: viewer, movieId, type: "PLAY", clientEventId });
      const first = await server.gql<{ logInteractions: StoredEvent[] }>(LOG_MANY, { inputs: [e("1", "a"), e("2", "b"), e("1", "a")] });
      const ids1 = first.data!.logInteractions.map((x) => x.id);
      expect(ids1[0]).toBe(ids1[2]);
      const again = await server.gql<{ logInteractions: StoredEvent[] }>(LOG_MANY, { inputs: [e("3", "c"), e("2", "b"), { profileId: viewer, movieId: "4", type: "LIKE" }] });
      const stored = again.data!.logInteractions;
      expect(stored.map((x) => x.movieId)).toEqual(["3", "2", "4"]);
      expect(stored[1].id).toBe(ids1[1]);
      expect(await countRows(server.db.dataSource, "interactions")).toBe(4);
      const scores: { movie_id: number; event_count: number }[] = await server.db.dataSource.query(`SELECT movie_id, event_count FROM interaction_scores ORDER BY movie_id`);
      expect(scores).toEqual([1, 2, 3, 4].map((m) => ({ movie_id: m, event_count: 1 })));
    });

    it("concurrent retries of one event store it once", async () => {
      const input = { profileId: viewer, movieId: "9", type: "PLAY", clientEventId: "race" };
      const results = await Promise.all(Array.from({ length: 12 }, () => server.gql<{ logInteraction: StoredEvent }>(LOG_ONE, { input })));
      expect(new Set(results.map((r) => r.data!.logInteraction.id)).size).toBe(1);
      expect(await countRows(server.db.dataSource, "interactions")).toBe(1);
      expect(await scoreRows(server.db.dataSource)).toEqual([expect.objectContaining({ event_count: 1 })]);
    });
  });

  it("coalesces concurrent single calls without letting one bad event fail the others", async () => {
    const inputs = Array.from({ length: 40 }, (_, i) => ({
      profileId: i % 2 ? viewer : other,
      movieId: String((i % 20) + 1),
      type: "PLAY",
      clientEventId: `burst-${i}`,
    }));
    inputs[13] = { ...inputs[13], movieId: "777" };
    const results = await Promise.all(inputs.map((input) => server.gql<{ logInteraction: StoredEvent }>(LOG_ONE, { input })));
    results.forEach((res, i) => {
      if (i === 13) expectError(res, "NOT_FOUND", { field: "movieId" });
      else expect(res.data!.logInteraction).toMatchObject({ clientEventId: `burst-${i}`, movieId: inputs[i].movieId, profileId: inputs[i].profileId });
    });
    expect(await countRows(server.db.dataSource, "interactions")).toBe(39);
    const [{ n }]: { n: number }[] = await server.db.dataSource.query(`SELECT sum(plays)::int AS n FROM interaction_scores`);
    expect(n).toBe(39);
  });

  it("stores a batch of 1,000 in one go, and the incremental scores equal a rebuild from the log", async () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const base = Date.now() - 86_400_000;
    const inputs = Array.from({ length: 1000 }, (_, i) => {
      const type = TYPES[Math.floor(random() * TYPES.length)];
      return {
        profileId: random() < 0.5 ? viewer : other,
        movieId: String(1 + Math.floor(random() * 20)),
        type,
        progress: ["PLAY", "SKIPPED", "CLOSED"].includes(type) ? Math.round(random() * 100) / 100 : null,
        occurredAt: new Date(base + i * 1000).toISOString(),
        clientEventId: `bulk-${i}`,
      };
    });
    // Two halves: the second half upserts onto rows the first created.
    for (const half of [inputs.slice(0, 500), inputs.slice(500)]) {
      const res = await server.gql<{ logInteractions: StoredEvent[] }>(LOG_MANY, { inputs: half });
      expect(res.errors).toBeUndefined();
      expect(res.data!.logInteractions.map((x) => x.clientEventId)).toEqual(half.map((x) => x.clientEventId));
    }
    expect(await countRows(server.db.dataSource, "interactions")).toBe(1000);
    const incremental = await scoreRows(server.db.dataSource);
    const result = await server.app.services.interactions.rebuildScores();
    expect(result).toMatchObject({ events: 1000, pairs: incremental.length });
    expect(await scoreRows(server.db.dataSource)).toEqual(incremental);
  });

  it("keeps the latest thumb by client time when an older one arrives later (offline replay), as a rebuild does", async () => {
    const now = Date.now();
    const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
    // Sent in this order, each its own request: the newest thumb first, then older ones queued offline.
    const sent = [
      { profileId: viewer, movieId: "4", type: "DISLIKE", occurredAt: at(1) },
      { profileId: viewer, movieId: "4", type: "LIKE", occurredAt: at(30) },
      { profileId: viewer, movieId: "5", type: "LIKE", occurredAt: at(2) },
      { profileId: viewer, movieId: "5", type: "DISLIKE", occurredAt: at(40) },
      { profileId: viewer, movieId: "5", type: "PLAY", occurredAt: at(0) },
    ];
    for (const input of sent) expect((await server.gql(LOG_ONE, { input })).errors).toBeUndefined();
    const stored = await scoreRows(server.db.dataSource);
    expect(stored.map((r) => [r.movie_id, r.liked, r.disliked])).toEqual([
      [4, false, true],
      [5, true, false],
    ]);
    await server.app.services.interactions.rebuildScores();
    expect(await scoreRows(server.db.dataSource)).toEqual(stored);
  });

  it("rebuildScores applies changed weights to past events", async () => {
    await server.gql(LOG_MANY, {
      inputs: [
        { profileId: viewer, movieId: "1", type: "SKIPPED", progress: 0.5 },
        { profileId: viewer, movieId: "1", type: "PLAY" },
      ],
    });
    expect((await scoreRows(server.db.dataSource))[0]).toMatchObject({ score: 5 });
    await server.db.dataSource.query(`UPDATE event_weights SET weight = -1 WHERE type = 'SKIPPED'`);
    try {
      await server.app.services.interactions.rebuildScores();
      expect((await scoreRows(server.db.dataSource))[0]).toMatchObject({ score: 1, skips: 1, plays: 1 });
      // The log keeps the weight that was in force when each event arrived.
      expect(await server.db.dataSource.query(`SELECT weight FROM interactions WHERE type = 'SKIPPED'`)).toEqual([{ weight: 3 }]);
    } finally {
      await server.db.dataSource.query(`UPDATE event_weights SET weight = 3 WHERE type = 'SKIPPED'`);
    }
  });
});
