import { loadEventWeights } from "../src/interactions/event-weights";
import { seedIfEmpty } from "../src/seeding/demo-seed";
import { insertProfile } from "./factories";
import { startTestServer, type TestServer } from "./server";

/** My List over GraphQL on a real Postgres: per profile, newest first, fed by ADD_TO_LIST events too. */
let server: TestServer;

const LIST = `query($p: ID) { myList(profileId: $p) { id title } }`;
const ADD = `mutation($p: ID, $m: ID!) { addToMyList(profileId: $p, movieId: $m) { id } }`;
const REMOVE = `mutation($p: ID, $m: ID!) { removeFromMyList(profileId: $p, movieId: $m) { id } }`;
const LOG = `mutation($input: LogInteractionInput!) { logInteraction(input: $input) { id } }`;

type Ids = { id: string }[];
const ids = (movies: Ids | undefined) => (movies ?? []).map((m) => m.id);

beforeAll(async () => {
  server = await startTestServer();
  await seedIfEmpty(server.db.dataSource, await loadEventWeights(server.db.dataSource));
}, 120_000);

afterAll(() => server?.close());

describe("My List", () => {
  it("starts with the titles the seed's viewers added by ADD_TO_LIST events, newest first", async () => {
    const [{ profile_id: profileId }] = (await server.db.dataSource.query(
      `SELECT profile_id FROM interactions WHERE type = 'ADD_TO_LIST' GROUP BY profile_id ORDER BY count(*) DESC LIMIT 1`,
    )) as { profile_id: string }[];
    const expected = (await server.db.dataSource.query(
      `SELECT movie_id::text AS id FROM interactions WHERE profile_id = $1 AND type = 'ADD_TO_LIST'
        GROUP BY movie_id ORDER BY min(occurred_at) DESC, movie_id DESC`,
      [profileId],
    )) as Ids;
    expect(expected.length).toBeGreaterThan(0);
    const res = await server.gql<{ myList: Ids }>(LIST, { p: profileId });
    expect(res.errors).toBeUndefined();
    expect(ids(res.data!.myList)).toEqual(ids(expected));
  });

  it("adds (twice is once), lists newest first, removes, and follows ADD_TO_LIST events", async () => {
    const p = await insertProfile(server.db.dataSource, "Lister");
    expect(ids((await server.gql<{ myList: Ids }>(LIST, { p })).data?.myList)).toEqual([]);

    await server.gql(ADD, { p, m: "50" });
    await new Promise((r) => setTimeout(r, 5)); // distinct added_at
    const twice = await server.gql<{ addToMyList: Ids }>(ADD, { p, m: "181" });
    expect(ids(twice.data!.addToMyList)).toEqual(["181", "50"]);
    const again = await server.gql<{ addToMyList: Ids }>(ADD, { p, m: "50" });
    expect(ids(again.data!.addToMyList)).toEqual(["181", "50"]);

    // Another client logs the event only: the title joins the list in the same transaction.
    const logged = await server.gql(LOG, { input: { profileId: p, movieId: "1", type: "ADD_TO_LIST", clientEventId: "list-1" } });
    expect(logged.errors).toBeUndefined();
    expect(ids((await server.gql<{ myList: Ids }>(LIST, { p })).data?.myList)).toEqual(["1", "181", "50"]);

    const removed = await server.gql<{ removeFromMyList: Ids }>(REMOVE, { p, m: "181" });
    expect(ids(removed.data!.removeFromMyList)).toEqual(["1", "50"]);
    // Removing what is not there is fine; the ADD_TO_LIST events stay in the log (taste signals):
    // three adds through the mutation (one a repeat) and the logged one.
    expect(ids((await server.gql<{ removeFromMyList: Ids }>(REMOVE, { p, m: "181" })).data!.removeFromMyList)).toEqual(["1", "50"]);
    const [{ events }] = (await server.db.dataSource.query(`SELECT count(*)::int AS events FROM interactions WHERE profile_id = $1 AND type = 'ADD_TO_LIST'`, [p])) as { events: number }[];
    expect(events).toBe(4);
  });

  it("keeps each profile's list to itself", async () => {
    const a = await insertProfile(server.db.dataSource, "A");
    const b = await insertProfile(server.db.dataSource, "B");
    await server.gql(ADD, { p: a, m: "7" });
    expect(ids((await server.gql<{ myList: Ids }>(LIST, { p: b })).data?.myList)).toEqual([]);
  });

  it("refuses unknown or malformed ids with typed errors, storing nothing", async () => {
    const p = await insertProfile(server.db.dataSource, "Careful");
    const unknownMovie = await server.gql(ADD, { p, m: "999999" });
    expect(unknownMovie.errors?.[0].extensions?.code).toBe("NOT_FOUND");
    expect(unknownMovie.errors?.[0].message).toMatch(/no movie has id 999999/i);
    const unknownProfile = await server.gql(ADD, { p: "00000000-0000-4000-8000-00000000dead", m: "1" });
    expect(unknownProfile.errors?.[0].extensions?.code).toBe("NOT_FOUND");
    const badMovie = await server.gql(ADD, { p, m: "abc" });
    expect(badMovie.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    const badProfile = await server.gql(LIST, { p: "nobody" });
    expect(badProfile.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    const [{ n }] = (await server.db.dataSource.query(`SELECT count(*)::int AS n FROM my_list WHERE profile_id = $1`, [p])) as { n: number }[];
    expect(n).toBe(0);
  });
});
