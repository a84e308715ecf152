import { insertMovies, insertProfile } from "./factories";
import { startTestServer, type TestServer } from "./server";

const RECOMMEND = `query Recommend($profileId: ID!, $first: Int, $filter: MovieFilter) {
  recommendations(profileId: $profileId, first: $first, filter: $filter) { score reason movie { id title } }
}`;

interface Recommended {
  recommendations: { score: number; reason: string; movie: { id: string; title: string } }[];
}

describe("recommendations (popularity, for now)", () => {
  let server: TestServer;
  let viewer: string;

  beforeAll(async () => {
    server = await startTestServer();
    const ds = server.db.dataSource;
    await insertMovies(ds, [
      { id: 1, title: "Most watched", genres: ["Drama"], year: 1990 },
      { id: 2, title: "Second", genres: ["Comedy"], year: 2000 },
      { id: 3, title: "Third", genres: ["Drama"], year: 2010 },
      { id: 4, title: "Finished by viewer", genres: ["Drama"] },
      { id: 5, title: "Disliked by viewer", genres: ["Drama"] },
      { id: 6, title: "Nobody watched", genres: ["Drama"] },
    ]);
    viewer = await insertProfile(ds, "Viewer");
    const crowd = await Promise.all(Array.from({ length: 6 }, (_, i) => insertProfile(ds, `Crowd ${i}`)));
    // How many crowd members play each title: 1 -> 6, 4 -> 5, 5 -> 5, 2 -> 4, 3 -> 2.
    const plays: [number, number][] = [[1, 6], [4, 5], [5, 5], [2, 4], [3, 2]];
    const inputs = plays.flatMap(([movie, n]) => crowd.slice(0, n).map((profileId) => ({ profileId, movieId: String(movie), type: "PLAY" })));
    inputs.push({ profileId: viewer, movieId: "4", type: "WATCHED_FULL" }, { profileId: viewer, movieId: "5", type: "DISLIKE" });
    inputs.push({ profileId: viewer, movieId: "2", type: "PLAY" });
    const res = await server.gql(`mutation($inputs: [LogInteractionInput!]!) { logInteractions(inputs: $inputs) { id } }`, { inputs });
    expect(res.errors).toBeUndefined();
  });
  afterAll(() => server.close());

  it("ranks the most-watched titles first, leaving out what the viewer finished or disliked", async () => {
    const res = await server.gql<Recommended>(RECOMMEND, { profileId: viewer, first: 10 });
    expect(res.errors).toBeUndefined();
    const list = res.data!.recommendations;
    expect(list.map((r) => r.movie.title)).toEqual(["Most watched", "Second", "Third", "Nobody watched"]);
    expect(list.map((r) => r.score)).toEqual([6, 5, 2, 0]);
    expect(list[0].reason).toMatch(/Popular on Marquee/);
  });

  it("honours first and the movie filter", async () => {
    const top = await server.gql<Recommended>(RECOMMEND, { profileId: viewer, first: 1 });
    expect(top.data!.recommendations.map((r) => r.movie.id)).toEqual(["1"]);
    const dramaSince2000 = await server.gql<Recommended>(RECOMMEND, { profileId: viewer, filter: { genre: "Drama", yearFrom: 2000 } });
    expect(dramaSince2000.data!.recommendations.map((r) => r.movie.title)).toEqual(["Third", "Nobody watched"]);
  });

  it("changes on the next request after an event", async () => {
    await server.gql(`mutation($i: LogInteractionInput!) { logInteraction(input: $i) { id } }`, {
      i: { profileId: viewer, movieId: "1", type: "WATCHED_FULL", progress: 1 },
    });
    const res = await server.gql<Recommended>(RECOMMEND, { profileId: viewer, first: 1 });
    expect(res.data!.recommendations[0].movie.title).toBe("Second");
  });

  it("gives NOT_FOUND for an unknown profile and BAD_USER_INPUT for first outside 1..100", async () => {
    const unknown = await server.gql(RECOMMEND, { profileId: "00000000-0000-4000-8000-0000000fffff" });
    expect(unknown.errors?.[0].extensions?.code).toBe("NOT_FOUND");
    for (const first of [0, -1, 101]) {
      const res = await server.gql(RECOMMEND, { profileId: viewer, first });
      expect(res.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    }
  });
});
