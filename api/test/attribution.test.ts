import { loadConfig } from "../src/config";
import { loadEventWeights } from "../src/interactions/event-weights";
import { trainAndStore } from "../src/models/trainer";
import { ServingIdSigner } from "../src/recommendations/serving-ids";
import { seedIfEmpty } from "../src/seeding/demo-seed";
import { demoProfileId } from "../../seeds/demo-audience";
import { startTestServer, type TestServer } from "./server";

/**
 * Serving ids, impressions, attribution and online metrics over the real server: every served
 * title carries a recommendationId that the server (and only it) decodes into who was served
 * what, where and by which model.
 */

interface Row {
  id: string;
  kind: string;
  items: { recommendationId: string; movie: { id: string } }[];
}

const HOME = `query Home($profileId: ID!) { home(profileId: $profileId) { id kind items { recommendationId movie { id } } } }`;
const ITEMS = "recommendationId movie { id }";

let server: TestServer;
const signer = new ServingIdSigner(loadConfig({}).sessionSecret);
const ada = demoProfileId(0);

async function ok<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await server.gql<T>(query, variables);
  expect(res.errors).toBeUndefined();
  return res.data!;
}

beforeAll(async () => {
  server = await startTestServer();
  await seedIfEmpty(server.db.dataSource, await loadEventWeights(server.db.dataSource));
}, 120_000);

afterAll(async () => {
  await server?.close();
});

describe("serving ids", () => {
  it("before any model: the fallback served (no model id), on the home surface, for that viewer", async () => {
    const { home } = await ok<{ home: Row[] }>(HOME, { profileId: ada });
    const popular = home.find((r) => r.kind === "POPULAR")!;
    const served = signer.verify(popular.items[0].recommendationId);
    expect(served).toMatchObject({ surface: "HOME", profileId: ada, modelId: null, experimentId: null, arm: null, rowKind: "POPULAR", itemPosition: 0, propensity: 1 });
    expect(served.movieId).toBe(Number(popular.items[0].movie.id));
    expect(Math.abs(served.servedAt - Date.now())).toBeLessThan(60_000);
  });

  describe("with a model", () => {
    let modelId: number;
    beforeAll(async () => {
      const model = await trainAndStore(server.db.dataSource, { algorithm: "ease", threads: 1 });
      modelId = model.id;
      for (let i = 0; i < 100 && (await ok<{ activeModel: { id: string } | null }>(`{ activeModel { id } }`)).activeModel?.id !== String(model.id); i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }, 240_000);

    it("say, for every title of every home row, its row kind, row and item position and the serving model", async () => {
      const { home } = await ok<{ home: Row[] }>(HOME, { profileId: ada });
      expect(home.length).toBeGreaterThan(4);
      const ids = new Set<string>();
      home.forEach((row, rowPosition) => {
        row.items.forEach((item, itemPosition) => {
          ids.add(item.recommendationId);
          expect(signer.verify(item.recommendationId)).toMatchObject({
            surface: "HOME",
            profileId: ada,
            modelId,
            movieId: Number(item.movie.id),
            rowKind: row.kind,
            rowPosition,
            itemPosition,
            propensity: 1,
          });
        });
      });
      expect(ids.size).toBe(home.reduce((n, r) => n + r.items.length, 0));
    });

    it("give rows ids that are unique on the page and stable across requests, while serving ids are new each time", async () => {
      const first = (await ok<{ home: Row[] }>(HOME, { profileId: ada })).home;
      const second = (await ok<{ home: Row[] }>(HOME, { profileId: ada })).home;
      expect(new Set(first.map((r) => r.id)).size).toBe(first.length);
      expect(second.map((r) => r.id)).toEqual(first.map((r) => r.id));
      expect(first.map((r) => r.id)).toEqual(expect.arrayContaining(["CONTINUE_WATCHING", "TOP_PICKS", "TRENDING"]));
      expect(first.filter((r) => r.kind === "GENRE").every((r) => /^GENRE:.+/.test(r.id))).toBe(true);
      expect(first.filter((r) => r.kind === "BECAUSE_YOU_WATCHED").every((r) => /^BECAUSE_YOU_WATCHED:\d+$/.test(r.id))).toBe(true);
      expect(second[1].items[0].recommendationId).not.toBe(first[1].items[0].recommendationId);
    });

    it("mark Top picks, More like this (no profile without a session) and onboarding as their surfaces", async () => {
      const { recommendations } = await ok<{ recommendations: Row["items"] }>(`query($p: ID!) { recommendations(profileId: $p, first: 5) { ${ITEMS} } }`, { p: ada });
      expect(recommendations.map((r) => signer.verify(r.recommendationId))).toEqual(
        recommendations.map((r, i) => expect.objectContaining({ surface: "TOP_PICKS", rowKind: "TOP_PICKS", profileId: ada, rowPosition: 0, itemPosition: i, modelId })),
      );
      const { similarMovies } = await ok<{ similarMovies: Row["items"] }>(`{ similarMovies(movieId: "50", first: 3) { ${ITEMS} } }`);
      expect(signer.verify(similarMovies[2].recommendationId)).toMatchObject({ surface: "MORE_LIKE_THIS", rowKind: "MORE_LIKE_THIS", profileId: null, itemPosition: 2, modelId });
      const newcomer = (await ok<{ createProfile: { id: string } }>(`mutation { createProfile(name: "Newcomer") { id } }`)).createProfile.id;
      const { chooseFavorites } = await ok<{ chooseFavorites: Row["items"] }>(`mutation($p: ID!) { chooseFavorites(profileId: $p, movieIds: ["50", "181"]) { ${ITEMS} } }`, { p: newcomer });
      expect(signer.verify(chooseFavorites[0].recommendationId)).toMatchObject({ surface: "ONBOARDING", rowKind: "TOP_PICKS", profileId: newcomer });
    });
  });
});
