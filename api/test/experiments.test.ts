import { loadConfig } from "../src/config";
import { assignArm } from "../src/experiments/assignment";
import { loadEventWeights } from "../src/interactions/event-weights";
import { trainAndStore } from "../src/models/trainer";
import { ServingIdSigner } from "../src/recommendations/serving-ids";
import { seedIfEmpty } from "../src/seeding/demo-seed";
import { demoProfileId } from "../../seeds/demo-audience";
import { startTestServer, type TestServer } from "./server";

/** Experiments over the real server: create, start, assign, serve, measure, stop, guardrails. */

const EXPERIMENT = "id name surface status trafficPercent primaryMetric arms { name control share modelId algorithm pinnedModelId settings } stopReason";
const CREATE = `mutation C($input: CreateExperimentInput!) { createExperiment(input: $input) { ${EXPERIMENT} } }`;
const START = `mutation S($id: ID!) { startExperiment(id: $id) { ${EXPERIMENT} } }`;
const STOP = `mutation S($id: ID!) { stopExperiment(id: $id) { ${EXPERIMENT} } }`;
const LIST = `{ experiments { ${EXPERIMENT} } }`;
const RESULTS = `query R($id: ID!) { experimentResults(id: $id) { arm armIndex control viewers impressions clicks plays watchedFull playRate playRateLow playRateHigh ctr ctrLow ctrHigh primaryRate difference differenceLow differenceHigh pValue alwaysValidPValue history { at viewers difference alwaysValidPValue } } }`;
const HOME = `query Home($profileId: ID!) { home(profileId: $profileId) { id kind items { recommendationId movie { id } } } }`;
const TOP = `query Top($profileId: ID!) { recommendations(profileId: $profileId, first: 10) { recommendationId movie { id } } }`;
const LOG_IMPRESSIONS = `mutation Imp($inputs: [ImpressionInput!]!) { logImpressions(inputs: $inputs) { accepted } }`;
const LOG = `mutation Log($input: LogInteractionInput!) { logInteraction(input: $input) { id } }`;

interface Arm {
  name: string;
  control: boolean;
  share: number;
  modelId: number | null;
  algorithm: string | null;
  pinnedModelId: number | null;
  settings: Record<string, unknown>;
}
interface Experiment {
  id: string;
  name: string;
  surface: string;
  status: string;
  trafficPercent: number;
  primaryMetric: string;
  arms: Arm[];
  stopReason: string | null;
}
interface Row {
  kind: string;
  items: { recommendationId: string; movie: { id: string } }[];
}

const signer = new ServingIdSigner(loadConfig({}).sessionSecret);

async function ok<T>(server: TestServer, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await server.gql<T>(query, variables);
  expect(res.errors).toBeUndefined();
  return res.data!;
}

async function refused(server: TestServer, query: string, variables: Record<string, unknown>, message: RegExp): Promise<void> {
  const res = await server.gql(query, variables);
  expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  expect(res.errors?.[0]?.message).toMatch(message);
}

async function experimentRows(server: TestServer): Promise<unknown[]> {
  return server.db.dataSource.query(`SELECT id, status, started_at, stopped_at, arms FROM experiments ORDER BY id`);
}

const arms = (over: Partial<Arm>[] = []) =>
  [
    { name: "control", control: true, share: 50 },
    { name: "treatment", share: 50, settings: { explorationRate: 0 } },
  ].map((a, i) => ({ ...a, ...over[i] }));

describe("experiments", () => {
  let server: TestServer;
  let modelId: number;
  let home: Experiment;

  beforeAll(async () => {
    server = await startTestServer();
    await seedIfEmpty(server.db.dataSource, await loadEventWeights(server.db.dataSource));
    modelId = (await trainAndStore(server.db.dataSource, { algorithm: "ease", threads: 1 })).id;
    for (let i = 0; i < 100 && (await ok<{ activeModel: { id: string } | null }>(server, `{ activeModel { id } }`)).activeModel?.id !== String(modelId); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 240_000);

  afterAll(async () => {
    await server?.close();
  });

  describe("bad input: a typed error that changes nothing", () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ["an unknown model", { arms: arms([{}, { modelId: 987654 }]) }, /arms\[1\]: model #987654 is unknown/],
      ["an unknown algorithm", { arms: arms([{}, { algorithm: "no-such-algorithm" }]) }, /arms\[1\]: .*no-such-algorithm/],
      ["shares not summing to 100", { arms: arms([{ share: 50 }, { share: 40 }]) }, /shares must sum to 100, got 90/],
      ["no control", { arms: arms([{ control: false }]) }, /exactly one arm must be the control.*got 0/],
      ["two controls", { arms: arms([{}, { control: true }]) }, /exactly one arm must be the control.*got 2/],
      ["a setting that does not exist", { arms: arms([{}, { settings: { explorationRat: 0.2 } }]) }, /"explorationRat" is not a row setting/],
      ["a share outside 0..1", { arms: arms([{}, { settings: { explorationRate: 2 } }]) }, /"explorationRate" is a share/],
      ["a model and an algorithm", { arms: arms([{}, { modelId: 1, algorithm: "ease" }]) }, /pin a modelId or an algorithm, not both/],
      ["traffic above 100 %", { trafficPercent: 101, arms: arms() }, /trafficPercent must be/],
    ];
    it.each(cases)("%s", async (_what, input, message) => {
      const before = await experimentRows(server);
      await refused(server, CREATE, { input: { name: "bad", surface: "HOME", ...input } }, message);
      expect(await experimentRows(server)).toEqual(before);
    });
  });

  describe("a running experiment on HOME", () => {
    beforeAll(async () => {
      const created = (await ok<{ createExperiment: Experiment }>(server, CREATE, { input: { name: "no exploration", surface: "HOME", arms: arms([{}, { modelId }]) } })).createExperiment;
      expect(created).toMatchObject({ status: "DRAFT", trafficPercent: 100, primaryMetric: "PLAY_RATE", surface: "HOME" });
      expect(created.arms.map((a) => [a.name, a.control, a.share])).toEqual([
        ["control", true, 50],
        ["treatment", false, 50],
      ]);
      home = (await ok<{ startExperiment: Experiment }>(server, START, { id: created.id })).startExperiment;
    });

    it("is RUNNING, listed, and its pinned arm keeps its model", async () => {
      expect(home.status).toBe("RUNNING");
      expect(home.arms[1].pinnedModelId).toBe(modelId);
      expect(home.arms[0].pinnedModelId).toBeNull();
      expect((await ok<{ experiments: Experiment[] }>(server, LIST)).experiments.map((e) => [e.id, e.status])).toContainEqual([home.id, "RUNNING"]);
    });

    it("assigns viewers by the hash of (salt, profile), sticky, and carries experiment and arm in every recommendationId", async () => {
      const [{ salt }] = await server.db.dataSource.query(`SELECT salt FROM experiments WHERE id = $1`, [home.id]);
      const seen = new Set<number>();
      for (let v = 0; v < 8; v++) {
        const profileId = demoProfileId(v);
        const expected = assignArm(salt, profileId, 100, [50, 50]);
        for (let again = 0; again < 2; again++) {
          const rows = (await ok<{ home: Row[] }>(server, HOME, { profileId })).home;
          for (const row of rows) {
            for (const item of row.items) {
              const served = signer.verify(item.recommendationId);
              expect(served).toMatchObject({ experimentId: Number(home.id), arm: expected, modelId });
              // The treatment arm's settings turn exploration off: every Top picks slot is exploited.
              if (expected === 1 && row.kind === "TOP_PICKS") expect(served.propensity).toBe(1);
            }
          }
        }
        seen.add(expected!);
      }
      expect(seen.size).toBe(2);
      // Other surfaces are outside this experiment.
      const top = (await ok<{ recommendations: Row["items"] }>(server, TOP, { profileId: demoProfileId(0) })).recommendations;
      expect(signer.verify(top[0].recommendationId)).toMatchObject({ experimentId: null, arm: null });
    });

    it("refuses a second running experiment on the same surface, changing nothing", async () => {
      const second = (await ok<{ createExperiment: Experiment }>(server, CREATE, { input: { name: "second", surface: "HOME", arms: arms() } })).createExperiment;
      const before = await experimentRows(server);
      await refused(server, START, { id: second.id }, new RegExp(`experiment #${home.id} is already running on HOME: one experiment runs per surface`));
      expect(await experimentRows(server)).toEqual(before);
    });

    it("counts impressions and attributed plays per arm, per viewer, against control", async () => {
      const [{ salt }] = await server.db.dataSource.query(`SELECT salt FROM experiments WHERE id = $1`, [home.id]);
      const perArm = [0, 0];
      for (let v = 10; v < 30; v++) {
        const profileId = demoProfileId(v);
        const arm = assignArm(salt, profileId, 100, [50, 50])!;
        const rows = (await ok<{ home: Row[] }>(server, HOME, { profileId })).home;
        const cards = rows.flatMap((r) => r.items.slice(0, 2)).slice(0, 6);
        await ok(server, LOG_IMPRESSIONS, { inputs: cards.map((c, i) => ({ recommendationId: c.recommendationId, clientEventId: `exp-${v}-${i}` })) });
        // Treatment viewers play two of their six cards, control viewers one.
        for (const card of cards.slice(0, arm === 1 ? 2 : 1)) {
          await ok(server, LOG, { input: { profileId, movieId: card.movie.id, type: "PLAY", recommendationId: card.recommendationId, clientEventId: `play-${v}-${card.movie.id}` } });
        }
        perArm[arm]++;
      }
      const results = (await ok<{ experimentResults: Record<string, unknown>[] }>(server, RESULTS, { id: home.id })).experimentResults;
      expect(results.map((r) => [r.arm, r.control])).toEqual([
        ["control", true],
        ["treatment", false],
      ]);
      const [control, treatment] = results as { viewers: number; impressions: number; plays: number; playRate: number; playRateLow: number; playRateHigh: number; difference: number | null; differenceLow: number; differenceHigh: number; pValue: number; alwaysValidPValue: number; history: unknown[] }[];
      // Viewers served earlier in this file count too (impressions only from these 20).
      expect(control.impressions).toBe(6 * perArm[0]);
      expect(treatment.impressions).toBe(6 * perArm[1]);
      expect(control.plays).toBe(perArm[0]);
      expect(treatment.plays).toBe(2 * perArm[1]);
      expect(control.playRate).toBeCloseTo(1 / 6, 10);
      expect(treatment.playRate).toBeCloseTo(2 / 6, 10);
      expect(control.playRateLow).toBeLessThan(1 / 6);
      expect(control.playRateHigh).toBeGreaterThan(1 / 6);
      expect(control.difference).toBeNull();
      expect(treatment.difference).toBeCloseTo(1 / 6, 10);
      // Every viewer's rate is exactly 1/6 or 2/6: no spread within an arm, so the difference is certain.
      expect(treatment.differenceLow).toBeCloseTo(1 / 6, 10);
      expect(treatment.pValue).toBeLessThan(1e-6);
      expect(treatment.alwaysValidPValue).toBeLessThan(0.01);
      expect(treatment.history.length).toBeGreaterThanOrEqual(1);
      // onlineMetrics sees the same arms.
      const metrics = (await ok<{ onlineMetrics: { experimentId: string; arm: string; impressions: number }[] }>(server, `{ onlineMetrics(groupBy: [EXPERIMENT, ARM]) { experimentId arm impressions } }`)).onlineMetrics;
      expect(metrics.filter((m) => m.experimentId === home.id).map((m) => m.impressions)).toEqual([6 * perArm[0], 6 * perArm[1]]);
    });

    it("stops: its viewers get the default again, and a stopped experiment never restarts", async () => {
      const stopped = (await ok<{ stopExperiment: Experiment }>(server, STOP, { id: home.id })).stopExperiment;
      expect(stopped).toMatchObject({ status: "STOPPED", stopReason: "stopped by an admin" });
      const rows = (await ok<{ home: Row[] }>(server, HOME, { profileId: demoProfileId(0) })).home;
      expect(signer.verify(rows[0].items[0].recommendationId)).toMatchObject({ experimentId: null, arm: null });
      const before = await experimentRows(server);
      await refused(server, START, { id: home.id }, /is stopped; a stopped experiment is never restarted/);
      await refused(server, STOP, { id: home.id }, /already stopped/);
      expect(await experimentRows(server)).toEqual(before);
    });
  });

  it("pins an algorithm arm to a stored model of it at start, on Top picks", async () => {
    const created = (
      await ok<{ createExperiment: Experiment }>(server, CREATE, {
        input: { name: "ease pinned", surface: "TOP_PICKS", trafficPercent: 100, primaryMetric: "CTR", arms: [{ name: "a", control: true, share: 30 }, { name: "b", algorithm: "ease", share: 70 }] },
      })
    ).createExperiment;
    expect(created.arms[1]).toMatchObject({ algorithm: "ease", pinnedModelId: null });
    const started = (await ok<{ startExperiment: Experiment }>(server, START, { id: created.id })).startExperiment;
    expect(started.arms[1].pinnedModelId).toBe(modelId);
    const top = (await ok<{ recommendations: Row["items"] }>(server, TOP, { profileId: demoProfileId(3) })).recommendations;
    expect(signer.verify(top[0].recommendationId)).toMatchObject({ surface: "TOP_PICKS", experimentId: Number(created.id) });
    await ok(server, STOP, { id: created.id });
  });
  it("runs on More like this for viewers with a session (and not for anonymous calls)", async () => {
    const created = (await ok<{ createExperiment: Experiment }>(server, CREATE, { input: { name: "similar", surface: "MORE_LIKE_THIS", arms: arms() } })).createExperiment;
    await ok(server, START, { id: created.id });
    const viewer = demoProfileId(5);
    const select = await server.gql<{ selectProfile: { token: string } }>(`mutation($id: ID!) { selectProfile(profileId: $id) { token } }`, { id: viewer });
    const auth = { authorization: `Bearer ${select.data!.selectProfile.token}` };
    const SIMILAR = `{ similarMovies(movieId: "50", first: 3) { recommendationId } }`;
    const withSession = await server.gql<{ similarMovies: { recommendationId: string }[] }>(SIMILAR, {}, auth);
    expect(withSession.errors).toBeUndefined();
    const served = signer.verify(withSession.data!.similarMovies[0].recommendationId);
    expect(served).toMatchObject({ surface: "MORE_LIKE_THIS", profileId: viewer, experimentId: Number(created.id) });
    expect([0, 1]).toContain(served.arm);
    const anonymous = (await ok<{ similarMovies: { recommendationId: string }[] }>(server, SIMILAR)).similarMovies;
    expect(signer.verify(anonymous[0].recommendationId)).toMatchObject({ profileId: null, experimentId: null, arm: null });
    await ok(server, STOP, { id: created.id });
  });

  it("trains a model of an algorithm arm at start when none is stored, without activating it", async () => {
    const created = (
      await ok<{ createExperiment: Experiment }>(server, CREATE, {
        input: { name: "popularity", surface: "TOP_PICKS", arms: [{ name: "personal", control: true, share: 50 }, { name: "popular", algorithm: "popular", share: 50 }] },
      })
    ).createExperiment;
    const started = (await ok<{ startExperiment: Experiment }>(server, START, { id: created.id })).startExperiment;
    const pinned = started.arms[1].pinnedModelId!;
    expect(pinned).toBeGreaterThan(modelId);
    const [model] = await server.db.dataSource.query(`SELECT algorithm, status::text, artifact IS NOT NULL AS stored FROM models WHERE id = $1`, [pinned]);
    expect(model).toEqual({ algorithm: "popular", status: "REJECTED", stored: true });
    // The active model is still the one it was: the arm's model serves only the arm.
    expect((await ok<{ activeModel: { id: string } }>(server, `{ activeModel { id } }`)).activeModel.id).toBe(String(modelId));
    const [{ salt }] = await server.db.dataSource.query(`SELECT salt FROM experiments WHERE id = $1`, [created.id]);
    const viewer = Array.from({ length: 40 }, (_, i) => demoProfileId(i)).find((p) => assignArm(salt, p, 100, [50, 50]) === 1)!;
    const top = (await ok<{ recommendations: Row["items"] }>(server, TOP, { profileId: viewer })).recommendations;
    expect(signer.verify(top[0].recommendationId)).toMatchObject({ experimentId: Number(created.id), arm: 1, modelId: pinned });
    await ok(server, STOP, { id: created.id });
  }, 240_000);
});

describe("guardrails", () => {
  let server: TestServer;
  beforeAll(async () => {
    // Thresholds so low that real serving breaks them: p95 above 0 ms after 3 requests.
    server = await startTestServer({ guardrailP95Ms: 0, guardrailMinRequests: 3, guardrailWindow: 10 });
    await seedIfEmpty(server.db.dataSource, await loadEventWeights(server.db.dataSource));
  }, 120_000);

  afterAll(async () => {
    await server?.close();
  });

  it("stop an experiment whose arm breaks one, with the reason, and serve the default from then on", async () => {
    const created = (await ok<{ createExperiment: Experiment }>(server, CREATE, { input: { name: "slow", surface: "HOME", arms: arms() } })).createExperiment;
    await ok(server, START, { id: created.id });
    const [{ salt }] = await server.db.dataSource.query(`SELECT salt FROM experiments WHERE id = $1`, [created.id]);
    const treated = Array.from({ length: 40 }, (_, i) => demoProfileId(i)).find((p) => assignArm(salt, p, 100, [50, 50]) === 1)!;
    for (let i = 0; i < 3; i++) {
      const rows = (await ok<{ home: Row[] }>(server, HOME, { profileId: treated })).home;
      expect(signer.verify(rows[0].items[0].recommendationId)).toMatchObject({ experimentId: Number(created.id), arm: 1 });
    }
    // The third request broke the guardrail; the stop is written beside the response.
    let experiment: Experiment | undefined;
    for (let i = 0; i < 200; i++) {
      experiment = (await ok<{ experiments: Experiment[] }>(server, LIST)).experiments.find((e) => e.id === created.id);
      if (experiment?.status === "STOPPED") break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(experiment).toMatchObject({ status: "STOPPED" });
    expect(experiment!.stopReason).toMatch(/^guardrail: arm "treatment" p95 latency [\d.]+ ms over its last 3 requests is above 0 ms$/);
    const rows = (await ok<{ home: Row[] }>(server, HOME, { profileId: treated })).home;
    expect(signer.verify(rows[0].items[0].recommendationId)).toMatchObject({ experimentId: null, arm: null });
  });
});
