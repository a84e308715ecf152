import { insertMovies, insertProfile } from "./factories";
import { startTestServer, type TestServer } from "./server";

/**
 * Issue 15 §6: right after a fresh start, before the first model exists, the viewer's own
 * history already shapes its rows (Because you watched by content, its genres), not only
 * Popular and New.
 */

interface Row {
  id: string;
  title: string;
  kind: string;
  items: { reason: string; recommendationId: string; movie: { id: string; genres: string[] } }[];
}
const HOME = `query Home($profileId: ID!) { home(profileId: $profileId) { id title kind items { reason recommendationId movie { id genres } } } }`;
const LOG = `mutation Log($inputs: [LogInteractionInput!]!) { logInteractions(inputs: $inputs) { id } }`;

/** Enough for two Because you watched rows of 20 and a genre row. */
const HORROR = Array.from({ length: 50 }, (_, i) => 101 + i);
const HORROR_COMEDY = 200;
/** More than a row of them, so that Popular (20 titles) is all comedies and dramas. */
const COMEDY = Array.from({ length: 12 }, (_, i) => 11 + i);
const DRAMA = Array.from({ length: 12 }, (_, i) => 31 + i);

let server: TestServer;
let viewer: string;

beforeAll(async () => {
  server = await startTestServer();
  const { dataSource } = server.db;
  await insertMovies(dataSource, [
    ...HORROR.map((id) => ({ id, title: `Horror ${id}`, year: 1850 + id, genres: ["Horror"] })),
    { id: HORROR_COMEDY, title: "Horror Comedy", year: 1990, genres: ["Comedy", "Horror"] },
    ...COMEDY.map((id) => ({ id, title: `Comedy ${id}`, year: 2000, genres: ["Comedy"] })),
    ...DRAMA.map((id) => ({ id, title: `Drama ${id}`, year: 2000, genres: ["Drama"] })),
  ]);
  // Other viewers made comedies and dramas the most watched titles: Popular is not horror.
  const others = await Promise.all(["A", "B", "C"].map((name) => insertProfile(dataSource, name)));
  const res = await server.gql(LOG, {
    inputs: others.flatMap((profileId) => [...COMEDY, ...DRAMA].map((movieId) => ({ profileId, movieId: String(movieId), type: "PLAY" }))),
  });
  expect(res.errors).toBeUndefined();
  viewer = await insertProfile(dataSource, "Horror fan");
});
afterAll(() => server.close());

async function home(profileId: string): Promise<Row[]> {
  const res = await server.gql<{ home: Row[] }>(HOME, { profileId });
  expect(res.errors).toBeUndefined();
  return res.data!.home;
}

it("serves no model yet: a viewer without history gets Popular and New only", async () => {
  expect(server.app.services.models).toBeDefined();
  const activeModel = await server.gql<{ activeModel: unknown }>(`{ activeModel { id } }`);
  expect(activeModel.data?.activeModel).toBeNull();
  const rows = await home(viewer);
  expect(rows.map((r) => r.kind)).toEqual(["POPULAR", "NEW"]);
});

it("after three horror titles watched, the next home has a content-based Because you watched row and a Horror genre row", async () => {
  const watched = HORROR.slice(0, 3);
  const res = await server.gql(LOG, {
    inputs: watched.flatMap((movieId, i) => [
      { profileId: viewer, movieId: String(movieId), type: "PLAY", clientEventId: `h-${i}-play` },
      { profileId: viewer, movieId: String(movieId), type: "WATCHED_FULL", progress: 1, clientEventId: `h-${i}-full` },
    ]),
  });
  expect(res.errors).toBeUndefined();

  const rows = await home(viewer);
  // The viewer's own rows lead (as Because you watched does with a model), Popular follows.
  expect(rows[0].kind).toBe("BECAUSE_YOU_WATCHED");
  expect(rows.map((r) => r.kind)).toContain("POPULAR");
  const because = rows.filter((r) => r.kind === "BECAUSE_YOU_WATCHED");
  expect(because.length).toBeGreaterThanOrEqual(1);
  for (const row of because) {
    const anchor = Number(row.id.split(":")[1]);
    expect(watched).toContain(anchor);
    expect(row.title).toBe(`Because you watched Horror ${anchor}`);
    expect(row.items.length).toBeGreaterThan(0);
    // By content: every title shares the anchor's genre, and the reason says so.
    for (const item of row.items) {
      expect(item.movie.genres).toContain("Horror");
      expect(item.reason).toBe(`Horror, like Horror ${anchor}`);
    }
  }
  // The pure-horror titles (Jaccard 1) come before the horror comedy (1/2).
  const first = because[0].items.map((i) => Number(i.movie.id));
  expect(first.indexOf(HORROR_COMEDY) === -1 || first.slice(0, first.indexOf(HORROR_COMEDY)).every((id) => HORROR.includes(id))).toBe(true);

  const horror = rows.find((r) => r.id === "GENRE:Horror");
  expect(horror).toBeDefined();
  expect(horror!.title).toBe("Horror picked for you");
  expect(rows.findIndex((r) => r.kind === "GENRE")).toBeGreaterThan(rows.findIndex((r) => r.kind === "POPULAR"));
  expect(rows[rows.length - 1].kind).toBe("NEW");

  // No title twice, nothing watched to the end recommended back, every title with a serving id.
  const shown = rows.flatMap((r) => r.items.map((i) => Number(i.movie.id)));
  expect(new Set(shown).size).toBe(shown.length);
  for (const id of watched) expect(shown).not.toContain(id);
  // Between the because-you-watched rows and the genre row, every other horror title is on the page.
  for (const id of [...HORROR.slice(3), HORROR_COMEDY]) expect(shown).toContain(id);
  for (const row of rows) for (const item of row.items) expect(item.recommendationId).toMatch(/\S/);

  // Its serving ids are first-class: an event sent with one is accepted and attributed.
  const served = because[0].items[0];
  const click = await server.gql(LOG, {
    inputs: [{ profileId: viewer, movieId: served.movie.id, type: "THUMBNAIL_CLICK", recommendationId: served.recommendationId }],
  });
  expect(click.errors).toBeUndefined();
  const attributed: { rec_row_kind: string }[] = await server.db.dataSource.query(
    `SELECT rec_row_kind FROM interactions WHERE profile_id = $1 AND movie_id = $2 AND type = 'THUMBNAIL_CLICK'`,
    [viewer, Number(served.movie.id)],
  );
  expect(attributed.map((a) => a.rec_row_kind)).toEqual(["BECAUSE_YOU_WATCHED"]);
});
