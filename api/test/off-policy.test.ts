import { loadEventWeights } from "../src/interactions/event-weights";
import { decodeBundle } from "../src/models/model-bundle";
import { trainAndStore } from "../src/models/trainer";
import { DEFAULT_ROW_SETTINGS } from "../src/recommendations/row-settings";
import { seedIfEmpty } from "../src/seeding/demo-seed";
import { demoProfileId } from "../../seeds/demo-audience";
import { startTestServer, type TestServer } from "./server";

/** offPolicyEstimate over real Postgres: a trained model judged on a few logged explored Top picks slots. */

const QUERY = `query Ope($m: ID!, $since: DateTimeISO, $until: DateTimeISO) {
  offPolicyEstimate(modelId: $m, since: $since, until: $until) { ips ipsLow ipsHigh snips snipsLow snipsHigh effectiveSampleSize slots clippedWeights loggedPlayRate }
}`;

interface Estimate {
  ips: number;
  ipsLow: number;
  ipsHigh: number;
  snips: number | null;
  snipsLow: number | null;
  snipsHigh: number | null;
  effectiveSampleSize: number;
  slots: number;
  clippedWeights: number;
  loggedPlayRate: number;
}

let server: TestServer;
let modelId: number;
const ada = demoProfileId(0);
let inTopK: number;
let outOfTopK: number;
let watched: number;
let watchedInTopK: boolean;
const served = new Date(Date.now() - 3_600_000);

beforeAll(async () => {
  server = await startTestServer();
  const ds = server.db.dataSource;
  await seedIfEmpty(ds, await loadEventWeights(ds));
  modelId = (await trainAndStore(ds, { algorithm: "ease", threads: 1 })).id;
  // Which titles the model ranks first and 40th for ada (neither in her history, so taking the logged title out of it changes nothing).
  const [{ artifact }] = await ds.query(`SELECT artifact FROM models WHERE id = $1`, [modelId]);
  const model = decodeBundle(new Uint8Array(artifact.buffer, artifact.byteOffset, artifact.byteLength)).topPicks;
  const index = new Map(model.itemIds.map((id, i) => [Number(id), i]));
  const rows: { movie_id: number; score: number; disliked: boolean; last_event_at: Date }[] = await ds.query(
    `SELECT movie_id, score, disliked, last_event_at FROM interaction_scores WHERE profile_id = $1 ORDER BY movie_id`,
    [ada],
  );
  const ranked = (without: number, k: number) => {
    const pairs = rows
      .filter((r) => index.has(Number(r.movie_id)) && Number(r.score) !== 0 && Number(r.movie_id) !== without)
      .map((r) => [index.get(Number(r.movie_id))!, r.disliked ? -Math.abs(Number(r.score)) : Number(r.score), r.last_event_at.getTime() / 1000] as const)
      .sort((a, b) => a[0] - b[0]);
    const { items } = model.recommend({ indices: Int32Array.from(pairs, (p) => p[0]), data: Float32Array.from(pairs, (p) => p[1]), times: Float64Array.from(pairs, (p) => p[2]) }, k);
    return Array.from(items, (i) => Number(model.itemIds[i]));
  };
  const items = ranked(-1, 40);
  inTopK = items[0];
  outOfTopK = items[39];
  // A title of ada's own history: judged on the ranking without it (leave one out).
  watched = Number(rows.find((r) => Number(r.score) > 0 && index.has(Number(r.movie_id)))!.movie_id);
  watchedInTopK = ranked(watched, DEFAULT_ROW_SETTINGS.rowSize).includes(watched);
  const insert = (movieId: number, at: Date, position: number, propensity: number, played: boolean) =>
    ds.query(
      `INSERT INTO impressions (profile_id, movie_id, served_at, shown_at, surface, row_kind, row_position, item_position, propensity, model_id, played_at)
       VALUES ($1, $2, $3, $3, 'HOME', 'TOP_PICKS', 1, $4, $5, $6, $7)`,
      [ada, movieId, at, position, propensity, modelId, played ? at : null],
    );
  await insert(inTopK, served, 3, 0.25, true);
  await insert(inTopK, served, 3, 0.5, false);
  await insert(outOfTopK, served, 3, 0.1, true);
  await insert(watched, served, 3, 0.5, true);
  // Neither of these counts: a greedy slot (propensity 1), and an explored slot before `since`.
  await insert(inTopK, served, 0, 1, true);
  await insert(inTopK, new Date(served.getTime() - 86_400_000), 3, 0.25, true);
}, 240_000);

afterAll(async () => {
  await server?.close();
});

describe("offPolicyEstimate", () => {
  it("weighs the explored slots by the model's choice probability (1/k in its top k) over the logged propensity", async () => {
    const res = await server.gql<{ offPolicyEstimate: Estimate }>(QUERY, { m: String(modelId), since: new Date(served.getTime() - 60_000).toISOString() });
    expect(res.errors).toBeUndefined();
    const est = res.data!.offPolicyEstimate;
    const k = DEFAULT_ROW_SETTINGS.rowSize;
    const w = [1 / k / 0.25, 1 / k / 0.5, 0, watchedInTopK ? 1 / k / 0.5 : 0];
    expect(est.slots).toBe(4);
    expect(est.clippedWeights).toBe(0);
    expect(est.loggedPlayRate).toBeCloseTo(3 / 4, 12);
    expect(est.ips).toBeCloseTo((w[0] + w[3]) / 4, 9);
    expect(est.ipsLow).toBeLessThan(est.ips);
    expect(est.ipsHigh).toBeGreaterThan(est.ips);
    expect(est.snips).toBeCloseTo((w[0] + w[3]) / (w[0] + w[1] + w[3]), 9);
    expect(est.snipsLow!).toBeLessThan(est.snips!);
    expect(est.snipsHigh!).toBeGreaterThan(est.snips!);
    expect(est.effectiveSampleSize).toBeCloseTo((w[0] + w[1] + w[3]) ** 2 / (w[0] ** 2 + w[1] ** 2 + w[3] ** 2), 9);
  });

  it("answers NOT_FOUND for a model that does not exist, and counts nothing in an empty range", async () => {
    const missing = await server.gql(QUERY, { m: "999999" });
    expect(missing.errors?.[0].extensions?.code).toBe("NOT_FOUND");
    const empty = await server.gql<{ offPolicyEstimate: Estimate }>(QUERY, { m: String(modelId), since: "2020-01-01T00:00:00Z", until: "2020-01-02T00:00:00Z" });
    expect(empty.data!.offPolicyEstimate).toMatchObject({ slots: 0, ips: 0, snips: null, effectiveSampleSize: 0 });
  });
});
