/**
 * simulate:live against a real Marquee (HTTP, sessions enforced, real Postgres): the audience is
 * the one `npm run simulate` stored, its tastes regenerated from the seed; its impressions and
 * attributed events land as the web client's do; the client refuses non-loopback servers and
 * sends the web client's Home selection.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse, print, visit, type DocumentNode } from "graphql";
import { AudienceTastes } from "../src/engine/synthetic/audience";
import { simulateAudience } from "../src/import/simulate";
import { runLiveAudience, type VisitRecord } from "../src/live-audience/live-audience";
import { HOME_DOCUMENT, loopbackUrl, MarqueeClient } from "../src/live-audience/marquee-client";
import { loadExperimentArms, loadSimulatedAudience, type SimulatedAudience } from "../src/live-audience/simulated-audience.repository";
import { assignArm } from "../src/experiments/assignment";
import { insertMovies } from "./factories";
import { startTestServer, type TestServer } from "./server";

jest.setTimeout(120_000);

const ADMIN_KEY = "live-audience-admin-key";
const SPEC = { events: 8000, viewers: 60, titles: 120, seed: 4, days: 20 };
let server: TestServer;
let audience: SimulatedAudience;

beforeAll(async () => {
  server = await startTestServer({ authEnforced: true, adminKey: ADMIN_KEY, attributionWindowMinutes: 5 });
  await insertMovies(
    server.db.dataSource,
    Array.from({ length: 120 }, (_, i) => ({ id: i + 1, title: `Title ${i + 1}`, genres: [["Drama", "Comedy", "Horror", "Western"][i % 4]] })),
  );
  await simulateAudience(server.db.dataSource, SPEC);
  audience = await loadSimulatedAudience(server.db.dataSource, SPEC.seed);
}, 120_000);
afterAll(() => server?.close(), 30_000);

describe("the simulated audience's world", () => {
  it("regenerates the tastes of the stored history from its seed (same world as the generator's)", () => {
    const genres = new Uint32Array(120);
    // Comedy, Drama, Horror, Western sorted: bits 0..3.
    const bit = { Comedy: 0, Drama: 1, Horror: 2, Western: 3 } as Record<string, number>;
    for (let t = 0; t < 120; t++) genres[t] = 1 << bit[["Drama", "Comedy", "Horror", "Western"][t % 4]];
    const direct = new AudienceTastes({ viewers: 60, titles: 120, seed: 4, titleGenres: genres });
    for (const u of [0, 7, 33, 59]) for (const t of [0, 1, 2, 3, 50, 119]) expect(audience.tastes.viewer(u).affinity(t)).toBeCloseTo(direct.viewer(u).affinity(t), 6);
    expect(audience.profileIds.filter(Boolean).length).toBeGreaterThan(40);
    expect(audience.titleIndex.get("1")).toBe(0);
  });

  it("finds the stored history's taste in what the viewers played (played titles have a higher hidden affinity)", async () => {
    const rows = (await server.db.dataSource.query(
      `SELECT ip.external_id, i.movie_id, i.type::text AS type FROM interactions i JOIN import_profiles ip ON ip.profile_id = i.profile_id WHERE i.type IN ('WATCHED_FULL', 'THUMBNAIL_CLICK')`,
    )) as { external_id: string; movie_id: number; type: string }[];
    const mean = (type: string) => {
      const xs = rows.filter((r) => r.type === type).map((r) => audience.tastes.viewer(Number(r.external_id) - 1).affinity(audience.titleIndex.get(String(r.movie_id))!));
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    };
    expect(mean("WATCHED_FULL")).toBeGreaterThan(mean("THUMBNAIL_CLICK") + 0.03);
  });

  it("refuses to load a seed that was never simulated", async () => {
    await expect(loadSimulatedAudience(server.db.dataSource, 99)).rejects.toThrow(/No simulated audience with seed 99/);
  });
});

describe("runLiveAudience over HTTP", () => {
  it("visits Home with session tokens, logs impressions and attributed events, and reports the true value served", async () => {
    const client = new MarqueeClient(server.url, ADMIN_KEY);
    const visits: VisitRecord[] = [];
    const result = await runLiveAudience(client, audience, {
      viewers: 20,
      minutes: 2,
      visits: 24,
      seed: 4,
      concurrency: 3,
      returnSeconds: 0.05,
      armOf: (profileId) => (profileId < "8" ? "low" : "high"),
      runId: "test-run",
      onVisit: (v) => visits.push(v),
    });
    expect(result.failedVisits).toBe(0);
    expect(result.visits).toBe(24);
    expect(visits.length).toBe(24);
    // Viewers come back: 20 viewers, 24 visits.
    expect(new Set(visits.map((v) => v.viewer)).size).toBeLessThanOrEqual(20);
    expect(result.arms.map((a) => a.arm).sort()).toEqual(["high", "low"].filter((arm) => visits.some((v) => v.arm === arm)));
    const total = (pick: (a: (typeof result.arms)[number]) => number) => result.arms.reduce((s, a) => s + pick(a), 0);
    expect(total((a) => a.visits)).toBe(24);
    for (const arm of result.arms) {
      expect(arm.meanTop10Utility).toBeGreaterThan(0);
      expect(arm.meanTop10Utility).toBeLessThan(1);
    }

    const [stored] = (await server.db.dataSource.query(`SELECT count(*)::int AS n, count(DISTINCT profile_id)::int AS viewers FROM impressions WHERE client_event_id LIKE 'test-run:%'`)) as { n: number; viewers: number }[];
    expect(stored.n).toBe(total((a) => a.impressions));
    expect(stored.viewers).toBe(new Set(visits.filter((v) => v.impressions > 0).map((v) => v.viewer)).size);
    const events = (await server.db.dataSource.query(
      `SELECT type::text AS type, rec_row_kind::text AS row_kind FROM interactions WHERE client_event_id LIKE 'test-run:%'`,
    )) as { type: string; row_kind: string | null }[];
    expect(events.length).toBe(visits.reduce((s, v) => s + v.events, 0));
    expect(events.filter((e) => e.type === "THUMBNAIL_CLICK").length).toBe(total((a) => a.clicks));
    // Every event starts from a card, so every one is attributed to the row that served it.
    expect(events.every((e) => e.row_kind !== null)).toBe(true);

    const measured = await client.onlineMetrics(result.startedAt, []);
    expect(measured[0].impressions).toBeGreaterThanOrEqual(stored.n);
    expect(measured[0].plays).toBeGreaterThanOrEqual(total((a) => a.plays) > 0 ? 1 : 0);
  });

  it("stops at the time limit when the visit count is not reached", async () => {
    const client = new MarqueeClient(server.url, ADMIN_KEY);
    const result = await runLiveAudience(client, audience, { viewers: 5, minutes: 0.02, seed: 5, returnSeconds: 600, runId: "short" });
    // Five first visits are spread over the 1.2 s run; none comes back within it.
    expect(result.visits).toBeLessThanOrEqual(5);
    expect(result.endedAt.getTime() - result.startedAt.getTime()).toBeLessThan(60_000);
  });
});

describe("--experiment", () => {
  it("puts each viewer in the arm the server serves it (the experiment's salt and shares through the server's hash)", async () => {
    const admin = { "x-admin-key": ADMIN_KEY };
    const created = await server.gql<{ createExperiment: { id: string } }>(
      `mutation C($input: CreateExperimentInput!) { createExperiment(input: $input) { id } }`,
      { input: { name: "a/a", surface: "HOME", trafficPercent: 80, arms: [{ name: "left", control: true, share: 50 }, { name: "right", share: 50 }] } },
      admin,
    );
    expect(created.errors).toBeUndefined();
    const id = created.data!.createExperiment.id;
    expect((await server.gql(`mutation S($id: ID!) { startExperiment(id: $id) { status } }`, { id }, admin)).errors).toBeUndefined();
    const experiment = await loadExperimentArms(server.db.dataSource, id);
    expect(experiment.arms).toEqual(["left", "right"]);
    const [{ salt }] = (await server.db.dataSource.query(`SELECT salt FROM experiments WHERE id = $1`, [Number(id)])) as { salt: string }[];
    for (const p of audience.profileIds.filter((x): x is string => x !== undefined)) {
      const arm = assignArm(salt, p, 80, [50, 50]);
      expect(experiment.armOf(p)).toBe(arm === null ? "outside" : ["left", "right"][arm]);
    }
    // The server may take a moment to learn of the started experiment (NOTIFY): visit until it serves arms.
    const client = new MarqueeClient(server.url, ADMIN_KEY);
    let served: { profile_id: string; arm: number | null }[] = [];
    for (let attempt = 0; attempt < 20 && !served.some((r) => r.arm !== null); attempt++) {
      await runLiveAudience(client, audience, { viewers: 20, minutes: 1, visits: 10, seed: 40 + attempt, returnSeconds: 0.05, armOf: experiment.armOf, runId: `exp-${attempt}` });
      served = (await server.db.dataSource.query(`SELECT DISTINCT profile_id::text AS profile_id, arm FROM impressions WHERE client_event_id LIKE 'exp-%' AND experiment_id IS NOT DISTINCT FROM $1`, [Number(id)])) as typeof served;
    }
    expect(served.length).toBeGreaterThan(0);
    for (const row of served) expect(experiment.armOf(row.profile_id)).toBe(["left", "right"][row.arm!]);
    await expect(loadExperimentArms(server.db.dataSource, "999")).rejects.toThrow(/No experiment has id 999/);
    await expect(loadExperimentArms(server.db.dataSource, "x")).rejects.toThrow(/must be an experiment id/);
  });
});

describe("the client", () => {
  it("talks to loopback addresses only", () => {
    for (const ok of ["http://127.0.0.1:4000", "http://localhost:4000/", "http://[::1]:4000", "http://127.8.0.1"]) expect(() => loopbackUrl(ok)).not.toThrow();
    for (const bad of ["http://10.0.0.1:4000", "http://example.com", "http://127.0.0.1.example.com", "ftp://127.0.0.1", "not a url", "http://0.0.0.0:4000"]) {
      expect(() => loopbackUrl(bad)).toThrow(RangeError);
    }
    expect(() => new MarqueeClient("http://192.168.1.5:4000")).toThrow(/loopback/);
  });

  it("selects on Home what the web client's document selects, plus the row id and the serving id", () => {
    const webSource = (file: string) => {
      const text = readFileSync(path.resolve(__dirname, "../../web/src/modules", file), "utf8");
      return /graphql\(`([\s\S]*?)`\)/.exec(text)![1];
    };
    const web = parse(webSource("browse/graphql/home.query.ts") + webSource("movies/graphql/movie-card.fragment.ts"));
    const fields = (doc: DocumentNode) => {
      const paths = new Set<string>();
      const stack: string[] = [];
      visit(doc, {
        Field: { enter: (node) => void (stack.push(node.name.value), paths.add(stack.join("."))), leave: () => void stack.pop() },
        FragmentDefinition: { enter: (node) => void stack.push(`...${node.name.value}`), leave: () => void stack.pop() },
      });
      return paths;
    };
    const ours = fields(parse(HOME_DOCUMENT));
    const theirs = fields(web);
    for (const f of theirs) expect(ours).toContain(f);
    expect([...ours].filter((f) => !theirs.has(f)).sort()).toEqual(["home.id", "home.items.recommendationId"].filter((f) => !theirs.has(f)));
    expect(print(parse(HOME_DOCUMENT))).toContain("home(profileId: $profileId)");
  });
});
