import { insertMovies } from "./factories";
import { startTestServer, type TestServer } from "./server";

const MOVIES_QUERY = `query Movies($first: Int, $after: String, $filter: MovieFilter) {
  movies(first: $first, after: $after, filter: $filter) {
    totalCount
    edges { cursor node { id title year genres synopsis } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

interface MoviesData {
  movies: {
    totalCount: number;
    edges: { cursor: string; node: { id: string; title: string; year: number; genres: string[] } }[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  };
}

describe("movies, movie, genres", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    await insertMovies(server.db.dataSource, [
      { id: 1, title: "Toy Story", year: 1995, genres: ["Animation", "Comedy"] },
      { id: 2, title: "Alien", year: 1979, genres: ["Horror", "Sci-Fi"] },
      { id: 3, title: "Aliens", year: 1986, genres: ["Action", "Sci-Fi"] },
      { id: 4, title: "Heat", year: 1995, genres: ["Crime", "Thriller"] },
      { id: 5, title: "100% Love", year: 2001, genres: ["Romance"] },
      { id: 6, title: "It's a Wonderful Life", year: 1946, genres: ["Drama"] },
      { id: 7, title: "Snake_Eyes", year: 1998, genres: ["Thriller"] },
    ]);
  });
  afterAll(() => server.close());

  const titles = (data: MoviesData | null | undefined) => data?.movies.edges.map((e) => e.node.title);

  it("pages through the whole catalog with cursors, each title once", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const res: { data?: MoviesData | null } = await server.gql<MoviesData>(MOVIES_QUERY, { first: 3, after });
      const page: MoviesData["movies"] = res.data!.movies;
      expect(page.totalCount).toBe(7);
      seen.push(...page.edges.map((e) => e.node.id));
      pages += 1;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(["1", "2", "3", "4", "5", "6", "7"]);
  });

  it("filters by genre, year range and title text, combined", async () => {
    expect(titles((await server.gql<MoviesData>(MOVIES_QUERY, { filter: { genre: "Sci-Fi" } })).data)).toEqual(["Alien", "Aliens"]);
    expect(titles((await server.gql<MoviesData>(MOVIES_QUERY, { filter: { yearFrom: 1980, yearTo: 1998 } })).data)).toEqual([
      "Toy Story", "Aliens", "Heat", "Snake_Eyes",
    ]);
    expect(titles((await server.gql<MoviesData>(MOVIES_QUERY, { filter: { text: "alien", yearFrom: 1980 } })).data)).toEqual(["Aliens"]);
    const none = await server.gql<MoviesData>(MOVIES_QUERY, { filter: { genre: "Western" } });
    expect(none.data!.movies).toMatchObject({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it("treats SQL metacharacters in the text filter as plain characters", async () => {
    // LIKE wildcards match literally, quotes and comments are just text, and the table survives.
    expect(titles((await server.gql<MoviesData>(MOVIES_QUERY, { filter: { text: "%" } })).data)).toEqual(["100% Love"]);
    expect(titles((await server.gql<MoviesData>(MOVIES_QUERY, { filter: { text: "_" } })).data)).toEqual(["Snake_Eyes"]);
    expect(titles((await server.gql<MoviesData>(MOVIES_QUERY, { filter: { text: "it's" } })).data)).toEqual(["It's a Wonderful Life"]);
    for (const text of ["'; DROP TABLE movies; --", "\\", "%' OR '1'='1", "\") OR 1=1 --", "$1"]) {
      const res = await server.gql<MoviesData>(MOVIES_QUERY, { filter: { text } });
      expect(res.errors).toBeUndefined();
      expect(res.data!.movies.totalCount).toBe(0);
    }
    const after = await server.gql<MoviesData>(MOVIES_QUERY, { first: 100 });
    expect(after.data!.movies.totalCount).toBe(7);
  });

  it("refuses a forged cursor, a page size out of 1..100 and an inverted year range with BAD_USER_INPUT", async () => {
    for (const variables of [{ after: "not-a-cursor" }, { first: 0 }, { first: 101 }, { filter: { yearFrom: 2000, yearTo: 1990 } }]) {
      const res = await server.gql(MOVIES_QUERY, variables);
      expect(res.data ?? null).toBeNull();
      expect(res.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    }
  });

  it("returns one movie by id, null for an unknown id, and every genre", async () => {
    const res = await server.gql<{ known: { title: string } | null; unknown: unknown; genres: string[] }>(
      `{ known: movie(id: "4") { title } unknown: movie(id: "999") { title } genres }`,
    );
    expect(res.data).toEqual({
      known: { title: "Heat" },
      unknown: null,
      genres: ["Action", "Animation", "Comedy", "Crime", "Drama", "Horror", "Romance", "Sci-Fi", "Thriller"],
    });
  });
});
