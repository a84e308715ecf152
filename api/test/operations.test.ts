import { loadEventWeights } from "../src/interactions/event-weights";
import { seedIfEmpty } from "../src/seeding/demo-seed";
import { startTestServer, type GraphQLResponse, type TestServer } from "./server";

/** Operators' surface: /metrics, /readyz, request ids, and the admin queries behind the admin page. */

async function metric(server: TestServer, name: string, labels = ""): Promise<number | undefined> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const escaped = `${name}${labels}`.replace(/[{}"=,.+]/g, (c) => `\\${c}`);
  const match = new RegExp(`^${escaped}\\s+([\\d.e+-]+)$`, "m").exec(text);
  return match ? Number(match[1]) : undefined;
}

describe("operations", () => {
  let server: TestServer;
  let viewer: string;

  beforeAll(async () => {
    server = await startTestServer();
    const { dataSource } = server.db;
    await seedIfEmpty(dataSource, await loadEventWeights(dataSource));
    viewer = (await dataSource.query(`SELECT id FROM profiles ORDER BY created_at LIMIT 1`))[0].id;
  }, 120_000);
  afterAll(() => server.close());

  it("echoes a client's x-request-id, and makes one when there is none", async () => {
    const given = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "trace-abc-123" },
      body: '{"query":"{ genres }"}',
    });
    expect(given.headers.get("x-request-id")).toBe("trace-abc-123");
    const made = await fetch(`${server.url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"query":"{ genres }"}' });
    expect(made.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const hostile = await fetch(`${server.url}/healthz`, { headers: { "x-request-id": "bad id\twith spaces" } });
    expect(hostile.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("is not ready before a model exists; counts events and latency by operation", async () => {
    const notReady = await fetch(`${server.url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(((await notReady.json()) as { reason: string }).reason).toMatch(/no model/);

    const before = (await metric(server, "marquee_events_ingested_total", '{mutation="logInteractions"}')) ?? 0;
    const res = await server.gql(`mutation LogThree($inputs: [LogInteractionInput!]!) { logInteractions(inputs: $inputs) { id } }`, {
      inputs: [1, 2, 3].map((movie) => ({ profileId: viewer, movieId: String(movie), type: "PLAY" })),
    });
    expect(res.errors).toBeUndefined();
    expect(await metric(server, "marquee_events_ingested_total", '{mutation="logInteractions"}')).toBe(before + 3);
    expect(await metric(server, "marquee_graphql_request_duration_seconds_count", '{operation="LogThree",outcome="ok"}')).toBe(1);
    expect(await metric(server, "marquee_model_version")).toBe(0);
    expect(await metric(server, "marquee_model_age_seconds")).toBe(-1);
  });

  it("after training: ready, model version/age/training time exported, coverage and event volume for the admin page", async () => {
    const trained = await server.gql<{ trainModel: { id: string; status: string; trainingSeconds: number } }>(
      `mutation { trainModel(algorithm: "popular") { id status trainingSeconds } }`,
    );
    expect(trained.errors).toBeUndefined();
    const model = trained.data!.trainModel;
    expect(model.status).toBe("ACTIVE");

    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", model: Number(model.id) });
    expect(await metric(server, "marquee_model_version")).toBe(Number(model.id));
    const age = (await metric(server, "marquee_model_age_seconds"))!;
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(600);
    expect(await metric(server, "marquee_model_training_duration_seconds_count")).toBe(1);

    const coverage = await server.gql<{ modelCoverage: { modelId: string; modelTitles: number; catalogTitles: number; titleCoverage: number; viewerCoverage: number } }>(
      `{ modelCoverage { modelId modelTitles catalogTitles titleCoverage viewerCoverage } }`,
    );
    const c = coverage.data!.modelCoverage;
    expect(c.modelId).toBe(model.id);
    expect(c.catalogTitles).toBeGreaterThan(0);
    expect(c.titleCoverage).toBeCloseTo(c.modelTitles / c.catalogTitles, 6);
    expect(c.viewerCoverage).toBeGreaterThan(0);
    expect(c.viewerCoverage).toBeLessThanOrEqual(1);

    const received: { n: number }[] = await server.db.dataSource.query(`SELECT count(*)::int AS n FROM interactions WHERE received_at >= date_trunc('hour', now())`);
    const volume = await server.gql<{ eventVolume: { start: string; events: number }[] }>(`{ eventVolume(bucket: HOUR) { start events viewers } }`);
    expect(volume.errors).toBeUndefined();
    const points = volume.data!.eventVolume;
    expect(points.length).toBeGreaterThanOrEqual(48);
    expect(points[points.length - 1].events).toBe(received[0].n);
    const starts = points.map((p) => Date.parse(p.start));
    expect(starts.every((t, i) => i === 0 || t - starts[i - 1] === 3_600_000)).toBe(true);
    const tooFar: GraphQLResponse = await server.gql(`{ eventVolume(bucket: HOUR, since: "2000-01-01T00:00:00Z") { events } }`);
    expect(tooFar.errors![0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "since" });
  });
});

describe("admin queries in production mode", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ production: true, authEnforced: true, adminKey: "ops-key-0123456789", sessionSecret: "ops-secret-0123456789" });
  });
  afterAll(() => server.close());

  it("need the admin key", async () => {
    const ask = (headers: Record<string, string>) =>
      fetch(`${server.url}/graphql`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: '{"query":"{ eventVolume(bucket: DAY) { events } modelCoverage { modelId } }"}' }).then(
        (r) => r.json() as Promise<GraphQLResponse<{ eventVolume: unknown[]; modelCoverage: null }>>,
      );
    expect((await ask({})).errors![0].extensions!.code).toBe("UNAUTHENTICATED");
    const ok = await ask({ "x-admin-key": "ops-key-0123456789" });
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.eventVolume).toHaveLength(31);
    expect(ok.data!.modelCoverage).toBeNull();
  });
});
