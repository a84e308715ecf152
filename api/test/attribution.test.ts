import { createApp } from "../src/app";
import { loadConfig } from "../src/config";
import { loadEventWeights } from "../src/interactions/event-weights";
import { trainAndStore } from "../src/models/trainer";
import { exploredPositions } from "../src/recommendations/selection/exploration";
import { ServingIdSigner } from "../src/recommendations/serving-ids";
import { seedIfEmpty } from "../src/seeding/demo-seed";
import { demoProfileId } from "../../seeds/demo-audience";
import { ImpressionPartitions } from "../src/impressions/impression-partitions";
import { insertMovies, insertProfile } from "./factories";
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
          const served = signer.verify(item.recommendationId);
          expect(served).toMatchObject({ surface: "HOME", profileId: ada, modelId, movieId: Number(item.movie.id), rowKind: row.kind, rowPosition, itemPosition });
          // Exploration's slots in Top picks (2 of 20 at the default rate) carry their propensity; every other slot 1.
          if (row.kind === "TOP_PICKS" && exploredPositions(row.items.length, 2).includes(itemPosition)) {
            expect(served.propensity).toBeGreaterThan(0);
            expect(served.propensity).toBeLessThanOrEqual(1);
          } else {
            expect(served.propensity).toBe(1);
          }
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

const LOG_IMPRESSIONS = `mutation Imp($inputs: [ImpressionInput!]!) { logImpressions(inputs: $inputs) { accepted duplicates expired } }`;
const LOG = `mutation Log($input: LogInteractionInput!) { logInteraction(input: $input) { id } }`;

async function rowsOf<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  return server.db.dataSource.query(sql, params);
}

async function servedHome(profileId: string): Promise<Row[]> {
  return (await ok<{ home: Row[] }>(HOME, { profileId })).home;
}

describe("impressions", () => {
  let viewer: string;
  let home: Row[];
  beforeAll(async () => {
    viewer = await insertProfile(server.db.dataSource, "Watcher");
    home = await servedHome(viewer);
  });

  it("stores each card shown with what its id says, once per client event id, never as a positive", async () => {
    const shown = home.slice(0, 2).flatMap((row) => row.items.slice(0, 3));
    const scoresBefore = await rowsOf<{ n: number }>(`SELECT count(*)::int AS n FROM interaction_scores WHERE profile_id = $1`, [viewer]);
    const inputs = shown.map((item, i) => ({ recommendationId: item.recommendationId, clientEventId: `imp-${i}` }));
    expect((await ok<{ logImpressions: unknown }>(LOG_IMPRESSIONS, { inputs })).logImpressions).toEqual({ accepted: 6, duplicates: 0, expired: 0 });
    // A retry of the same batch, and a batch repeating one of its own elements, store nothing new.
    expect((await ok<{ logImpressions: unknown }>(LOG_IMPRESSIONS, { inputs })).logImpressions).toEqual({ accepted: 0, duplicates: 6, expired: 0 });
    expect((await ok<{ logImpressions: unknown }>(LOG_IMPRESSIONS, { inputs: [inputs[0], { ...inputs[0], clientEventId: "imp-x" }, { ...inputs[0], clientEventId: "imp-x" }] })).logImpressions).toEqual({
      accepted: 1,
      duplicates: 2,
      expired: 0,
    });
    const stored = await rowsOf<{ movie_id: number; row_kind: string; row_position: number; item_position: number; surface: string; propensity: number }>(
      `SELECT movie_id, row_kind::text, row_position, item_position, surface::text, propensity FROM impressions WHERE profile_id = $1 AND client_event_id ~ '^imp-[0-9]$' ORDER BY client_event_id`,
      [viewer],
    );
    expect(stored).toEqual(
      shown.map((item) => {
        const served = signer.verify(item.recommendationId);
        return { movie_id: served.movieId, row_kind: served.rowKind, row_position: served.rowPosition, item_position: served.itemPosition, surface: "HOME", propensity: 1 };
      }),
    );
    expect(await rowsOf(`SELECT count(*)::int AS n FROM interaction_scores WHERE profile_id = $1`, [viewer])).toEqual(scoresBefore);
    const [rollup] = await rowsOf<{ n: string }>(`SELECT sum(impressions)::text AS n FROM impression_viewer_rollups WHERE profile_id = $1`, [viewer]);
    expect(rollup.n).toBe("7");
  });

  it("keeps every roll-up equal to a count of the stored impressions, whether a batch was all new or partly a retry", async () => {
    const other = await insertProfile(server.db.dataSource, "Counter");
    const rows = await servedHome(other);
    const items = rows.flatMap((row) => row.items);
    const batch = items.slice(0, 12).map((item, i) => ({ recommendationId: item.recommendationId, clientEventId: `count-${i}` }));
    await ok(LOG_IMPRESSIONS, { inputs: batch.slice(0, 8) }); // all new
    await ok(LOG_IMPRESSIONS, { inputs: batch }); // 8 stored before, 4 new
    const recent = `served_at > now() - interval '1 day'`;
    const pairs = [
      [
        `SELECT date_trunc('hour', served_at, 'UTC') AS k1, surface::text AS k2, row_kind::text AS k3, row_position AS k4, item_position AS k5, coalesce(model_id, 0) AS k6, count(*)::int AS n FROM impressions WHERE ${recent} GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6`,
        `SELECT hour AS k1, surface::text AS k2, row_kind::text AS k3, row_position AS k4, item_position AS k5, model_id AS k6, impressions::int AS n FROM impression_rollups WHERE hour > now() - interval '25 hours' AND impressions > 0 ORDER BY 1, 2, 3, 4, 5, 6`,
      ],
      [
        `SELECT date_trunc('hour', served_at, 'UTC') AS k1, row_kind::text AS k2, profile_id AS k3, count(*)::int AS n FROM impressions WHERE ${recent} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
        `SELECT hour AS k1, row_kind::text AS k2, profile_id AS k3, impressions::int AS n FROM impression_viewer_rollups WHERE hour > now() - interval '25 hours' AND impressions > 0 ORDER BY 1, 2, 3`,
      ],
      [
        `SELECT (served_at AT TIME ZONE 'UTC')::date::text AS k1, movie_id AS k2, count(*)::int AS n FROM impressions WHERE ${recent} GROUP BY 1, 2 ORDER BY 1, 2`,
        `SELECT day::text AS k1, movie_id AS k2, impressions::int AS n FROM impression_title_rollups WHERE day >= (now() AT TIME ZONE 'UTC')::date - 1 AND impressions > 0 ORDER BY 1, 2`,
      ],
    ];
    for (const [raw, rollup] of pairs) expect(await rowsOf(rollup)).toEqual(await rowsOf(raw));
    expect(await rowsOf(`SELECT count(*)::int AS n FROM impressions WHERE profile_id = $1`, [other])).toEqual([{ n: 12 }]);
  });

  it("refuses a forged or malformed id with its index, a batch over 5,000, and stores nothing of the batch", async () => {
    const good = home[0].items[0].recommendationId;
    const forged = Buffer.from(good, "base64url");
    forged[35] ^= 1; // another movie, same tag
    const before = await rowsOf<{ n: number }>(`SELECT count(*)::int AS n FROM impressions`);
    for (const [bad, index] of [
      [forged.toString("base64url"), 1],
      ["not-an-id", 1],
    ] as const) {
      const res = await server.gql(LOG_IMPRESSIONS, { inputs: [{ recommendationId: good, clientEventId: "g" }, { recommendationId: bad }] });
      expect(res.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", index, field: "recommendationId" });
    }
    const big = await server.gql(LOG_IMPRESSIONS, { inputs: Array.from({ length: 5001 }, (_, i) => ({ recommendationId: good, clientEventId: `big-${i}` })) });
    expect(big.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "inputs" });
    expect(big.errors?.[0].message).toMatch(/at most 5000/);
    expect(await rowsOf(`SELECT count(*)::int AS n FROM impressions`)).toEqual(before);
  });

  it("counts an id older than the retention as expired, storing nothing", async () => {
    const old = signer.response({ servedAt: Date.now() - 91 * 86_400_000, surface: "HOME" as never, profileId: viewer, modelId: null, experimentId: null, arm: null });
    const id = old.idFor({ movieId: 50, rowKind: "TRENDING" as never, rowPosition: 0, itemPosition: 0, propensity: 1 });
    expect((await ok<{ logImpressions: unknown }>(LOG_IMPRESSIONS, { inputs: [{ recommendationId: id, clientEventId: "old" }] })).logImpressions).toEqual({
      accepted: 0,
      duplicates: 0,
      expired: 1,
    });
  });

  it("go when their profile goes", async () => {
    const leaving = await insertProfile(server.db.dataSource, "Leaving");
    const rows = await servedHome(leaving);
    await ok(LOG_IMPRESSIONS, { inputs: [{ recommendationId: rows[0].items[0].recommendationId, clientEventId: "bye" }] });
    await server.db.dataSource.query(`DELETE FROM profiles WHERE id = $1`, [leaving]);
    expect(await rowsOf(`SELECT count(*)::int AS n FROM impressions WHERE profile_id = $1`, [leaving])).toEqual([{ n: 0 }]);
    expect(await rowsOf(`SELECT count(*)::int AS n FROM impression_viewer_rollups WHERE profile_id = $1`, [leaving])).toEqual([{ n: 0 }]);
  });

  it("live in daily partitions made ahead by the server; days past the retention are dropped whole", async () => {
    const partitions = await rowsOf<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'impressions'::regclass ORDER BY 1`,
    );
    const today = new Date().toISOString().slice(0, 10).replace(/-/g, "");
    expect(partitions.map((p) => p.name)).toContain(`impressions_${today}`);
    expect(partitions.length).toBeGreaterThanOrEqual(8);
    // An impression served 95 days ago (stored while the retention allowed it), then maintenance.
    const manager = new ImpressionPartitions(server.db.dataSource, { retentionDays: 90 });
    const oldDay = Date.now() - 95 * 86_400_000;
    await manager.ensure([oldDay]);
    await server.db.dataSource.query(
      `INSERT INTO impressions (profile_id, movie_id, served_at, shown_at, surface, row_kind, row_position, item_position, propensity) VALUES ($1, 50, $2, $2, 'HOME', 'TRENDING', 0, 0, 1)`,
      [viewer, new Date(oldDay)],
    );
    const { dropped } = await manager.maintain();
    expect(dropped).toEqual([`impressions_${new Date(oldDay).toISOString().slice(0, 10).replace(/-/g, "")}`]);
    expect(await rowsOf(`SELECT count(*)::int AS n FROM impressions WHERE served_at < now() - interval '90 days'`)).toEqual([{ n: 0 }]);
  });
});

describe("attribution", () => {
  let viewer: string;
  let card: Row["items"][number];
  let row: Row;
  beforeAll(async () => {
    viewer = await insertProfile(server.db.dataSource, "Clicker");
    const home = await servedHome(viewer);
    row = home.find((r) => r.kind === "TRENDING")!;
    card = row.items[2];
  });

  it("stores an event from a recommended card with what its id says, and settles the impression's click and play once", async () => {
    await ok(LOG_IMPRESSIONS, { inputs: [{ recommendationId: card.recommendationId, clientEventId: "seen-1" }] });
    for (const [i, type] of ["THUMBNAIL_CLICK", "PLAY", "PLAY"].entries()) {
      await ok(LOG, { input: { profileId: viewer, movieId: card.movie.id, type, recommendationId: card.recommendationId, clientEventId: `act-${i}` } });
    }
    const served = signer.verify(card.recommendationId);
    const events = await rowsOf<Record<string, unknown>>(
      `SELECT type::text, rec_surface::text AS surface, rec_row_kind::text AS row_kind, rec_row_position AS row_position, rec_item_position AS item_position, rec_model_id AS model_id, rec_propensity AS propensity, rec_served_at AS served_at
         FROM interactions WHERE profile_id = $1 ORDER BY id`,
      [viewer],
    );
    expect(events).toHaveLength(3);
    for (const e of events) {
      expect(e).toMatchObject({ surface: "HOME", row_kind: "TRENDING", row_position: served.rowPosition, item_position: 2, model_id: served.modelId, propensity: 1 });
      expect((e.served_at as Date).getTime()).toBe(served.servedAt);
    }
    const [imp] = await rowsOf<{ clicked: boolean; played: boolean }>(
      `SELECT clicked_at IS NOT NULL AS clicked, played_at IS NOT NULL AS played FROM impressions WHERE profile_id = $1`,
      [viewer],
    );
    expect(imp).toEqual({ clicked: true, played: true });
    const [counts] = await rowsOf<Record<string, string>>(
      `SELECT sum(impressions)::text AS impressions, sum(clicks)::text AS clicks, sum(plays)::text AS plays FROM impression_viewer_rollups WHERE profile_id = $1`,
      [viewer],
    );
    expect(counts).toEqual({ impressions: "1", clicks: "1", plays: "1" });
  });

  it("refuses a forged id, an id of another title and another profile's id, storing nothing", async () => {
    const other = await insertProfile(server.db.dataSource, "Other");
    const forged = Buffer.from(card.recommendationId, "base64url");
    forged[40] ^= 1;
    const cases: [Record<string, unknown>, string][] = [
      [{ profileId: viewer, movieId: card.movie.id, type: "PLAY", recommendationId: forged.toString("base64url") }, "BAD_USER_INPUT"],
      [{ profileId: viewer, movieId: row.items[3].movie.id, type: "PLAY", recommendationId: card.recommendationId }, "BAD_USER_INPUT"],
      [{ profileId: other, movieId: card.movie.id, type: "PLAY", recommendationId: card.recommendationId }, "FORBIDDEN"],
    ];
    for (const [input, code] of cases) {
      const res = await server.gql(LOG, { input });
      expect(res.errors?.[0].extensions).toMatchObject({ code, field: "recommendationId" });
    }
    expect(await rowsOf(`SELECT count(*)::int AS n FROM interactions WHERE profile_id = $1`, [other])).toEqual([{ n: 0 }]);
    expect(await rowsOf(`SELECT count(*)::int AS n FROM interactions WHERE profile_id = $1`, [viewer])).toEqual([{ n: 3 }]);
  });

  it("attributes an add to My List from a card", async () => {
    const lister = await insertProfile(server.db.dataSource, "Lister");
    const item = (await servedHome(lister)).find((r) => r.kind === "NEW")!.items[1];
    await ok(`mutation($m: ID!, $p: ID, $r: ID) { addToMyList(movieId: $m, profileId: $p, recommendationId: $r) { id } }`, { m: item.movie.id, p: lister, r: item.recommendationId });
    expect(await rowsOf(`SELECT type::text, rec_row_kind::text AS kind, rec_item_position AS at FROM interactions WHERE profile_id = $1`, [lister])).toEqual([
      { type: "ADD_TO_LIST", kind: "NEW", at: 1 },
    ]);
    const forged = await server.gql(`mutation($m: ID!, $p: ID, $r: ID) { addToMyList(movieId: $m, profileId: $p, recommendationId: $r) { id } }`, { m: item.movie.id, p: lister, r: "x".repeat(71) });
    expect(forged.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("counts no click for an event outside the attribution window of its impression", async () => {
    const late = await insertProfile(server.db.dataSource, "Late");
    const servedAt = Date.now() - 2 * 3_600_000;
    const id = signer
      .response({ servedAt, surface: "HOME" as never, profileId: late, modelId: null, experimentId: null, arm: null })
      .idFor({ movieId: 50, rowKind: "TRENDING" as never, rowPosition: 3, itemPosition: 1, propensity: 1 });
    await ok(LOG_IMPRESSIONS, { inputs: [{ recommendationId: id, shownAt: new Date(servedAt).toISOString(), clientEventId: "early" }] });
    await ok(LOG, { input: { profileId: late, movieId: "50", type: "PLAY", recommendationId: id } });
    const [imp] = await rowsOf<{ clicked: boolean }>(`SELECT clicked_at IS NOT NULL AS clicked FROM impressions WHERE profile_id = $1`, [late]);
    expect(imp.clicked).toBe(false);
    expect(await rowsOf(`SELECT rec_row_position FROM interactions WHERE profile_id = $1`, [late])).toEqual([{ rec_row_position: 3 }]);
  });
});

const METRICS = `query M($since: DateTimeISO, $until: DateTimeISO, $groupBy: [MetricDimension!]!) {
  onlineMetrics(since: $since, until: $until, groupBy: $groupBy) {
    rowKind modelId experimentId arm day rowPosition itemPosition surface impressions viewers clicks plays watchedFull
    ctr ctrLow ctrHigh playRate playRateLow playRateHigh watchThroughRate watchThroughRateLow watchThroughRateHigh
  }
}`;

interface MetricRow {
  rowKind: string | null;
  modelId: string | null;
  day: string | null;
  itemPosition: number | null;
  surface: string | null;
  impressions: number;
  viewers: number;
  clicks: number;
  plays: number;
  watchedFull: number;
  ctr: number;
  ctrLow: number;
  ctrHigh: number;
  watchThroughRate: number | null;
}

describe("online metrics", () => {
  const metrics = async (groupBy: string[]) => (await ok<{ onlineMetrics: MetricRow[] }>(METRICS, { groupBy })).onlineMetrics;
  const byKind = (rows: MetricRow[]) => new Map(rows.map((r) => [r.rowKind, r]));

  it("count, per row kind, the impressions logged and the clicks, plays and finishes they led to", async () => {
    const before = byKind(await metrics(["ROW_KIND"]));
    const viewer = await insertProfile(server.db.dataSource, "Measured");
    const home = await servedHome(viewer);
    const trending = home.find((r) => r.kind === "TRENDING")!;
    const fresh = home.find((r) => r.kind === "NEW")!;
    const shown = [...trending.items.slice(0, 4), ...fresh.items.slice(0, 2)];
    await ok(LOG_IMPRESSIONS, { inputs: shown.map((item, i) => ({ recommendationId: item.recommendationId, clientEventId: `m-${i}` })) });
    const act = (item: Row["items"][number], type: string, i: number) =>
      ok(LOG, { input: { profileId: viewer, movieId: item.movie.id, type, recommendationId: item.recommendationId, clientEventId: `ma-${i}`, progress: type === "WATCHED_FULL" ? 1 : undefined } });
    await act(trending.items[0], "THUMBNAIL_CLICK", 0); // a click, no play
    await act(trending.items[1], "PLAY", 1); // a play (also a click)
    await act(trending.items[1], "WATCHED_FULL", 2); // ...watched to the end
    await act(fresh.items[0], "PLAY", 3);

    const after = byKind(await metrics(["ROW_KIND"]));
    const delta = (kind: string, field: keyof MetricRow) => Number(after.get(kind)?.[field] ?? 0) - Number(before.get(kind)?.[field] ?? 0);
    expect([delta("TRENDING", "impressions"), delta("TRENDING", "clicks"), delta("TRENDING", "plays"), delta("TRENDING", "watchedFull"), delta("TRENDING", "viewers")]).toEqual([4, 2, 1, 1, 1]);
    expect([delta("NEW", "impressions"), delta("NEW", "clicks"), delta("NEW", "plays"), delta("NEW", "watchedFull")]).toEqual([2, 1, 1, 0]);
    for (const row of after.values()) {
      expect(row.ctr).toBeCloseTo(row.clicks / row.impressions, 12);
      expect(row.ctrLow).toBeLessThanOrEqual(row.ctr);
      expect(row.ctrHigh).toBeGreaterThanOrEqual(row.ctr);
      expect(row.modelId).toBeNull();
    }
    // Prometheus counts the same, per row kind.
    const text = await (await fetch(`${server.url}/metrics`)).text();
    const counter = (name: string) => Number(new RegExp(`^${name.replace(/[{}]/g, "\\$&")} (\\d+)`, "m").exec(text)?.[1] ?? NaN);
    expect(counter(`marquee_impressions_total{row_kind="TRENDING"}`)).toBeGreaterThanOrEqual(4);
    expect(counter(`marquee_attributed_events_total{row_kind="NEW",type="PLAY"}`)).toBeGreaterThanOrEqual(1);
    // One row without a breakdown: the sum of the kinds.
    const [total] = await metrics([]);
    expect(total.impressions).toBe([...after.values()].reduce((n, r) => n + r.impressions, 0));
    expect(total.rowKind).toBeNull();
  });

  it("break down by position (attention along a row), model, day and surface", async () => {
    const byItem = await metrics(["ITEM_POSITION"]);
    expect(byItem.map((r) => r.itemPosition)).toEqual([...byItem.map((r) => r.itemPosition)].sort((a, b) => a! - b!));
    expect(byItem.every((r) => r.viewers >= 1 && r.viewers <= r.impressions)).toBe(true);
    const rows = await metrics(["MODEL", "DAY", "SURFACE"]);
    const today = new Date().toISOString().slice(0, 10);
    expect(rows.every((r) => r.surface === "HOME" && r.rowKind === null)).toBe(true);
    expect(rows.some((r) => r.day === today)).toBe(true);
    expect(rows.map((r) => r.modelId)).toEqual(expect.arrayContaining(["fallback"]));
  });

  it("refuses a range that ends before it starts", async () => {
    const res = await server.gql(METRICS, { since: "2026-12-02T00:00:00Z", until: "2026-12-01T00:00:00Z", groupBy: ["ROW_KIND"] });
    expect(res.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "since" });
  });
});

describe("impression discounting", () => {
  const TRENDING_TOP = async (profileId: string, via = server.url) => {
    const res = await fetch(`${via}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: HOME, variables: { profileId } }) });
    const { data } = (await res.json()) as { data: { home: Row[] } };
    return data.home.find((r) => r.kind === "TRENDING")!;
  };

  it("sinks a title shown three times without a click on later page views, and lifts it again once clicked", async () => {
    const viewer = await insertProfile(server.db.dataSource, "Passer-by");
    const first = await TRENDING_TOP(viewer);
    const title = first.items[0].movie.id;
    // Three page views, each showing the title at the top of Trending, none acted on.
    let row = first;
    for (let view = 0; view < 3; view++) {
      expect(row.items[0].movie.id).toBe(title); // never on the page being read
      await ok(LOG_IMPRESSIONS, { inputs: [{ recommendationId: row.items[0].recommendationId, clientEventId: `pass-${view}` }] });
      row = await TRENDING_TOP(viewer);
    }
    const sunk = row.items.findIndex((i) => i.movie.id === title);
    expect(sunk === -1 || sunk >= row.items.length - 3).toBe(true);
    expect(row.items[0].movie.id).toBe(first.items[1].movie.id);

    // With discounting off (MARQUEE_IMPRESSION_DISCOUNT_SHOWS=0) the same viewer sees it on top.
    const plain = await createApp({ dataSource: server.db.dataSource, config: { ...loadConfig({}), autoTrain: false, logLevel: "error", impressionDiscountShows: 0 } });
    try {
      const { url } = await plain.listen(0);
      expect((await TRENDING_TOP(viewer, url)).items[0].movie.id).toBe(title);
    } finally {
      await plain.close();
    }

    // A click resets it: the shows before the click no longer count.
    await ok(LOG, { input: { profileId: viewer, movieId: title, type: "THUMBNAIL_CLICK" } });
    expect((await TRENDING_TOP(viewer)).items[0].movie.id).toBe(title);
  });
});

describe("in production mode", () => {
  let prod: TestServer;
  beforeAll(async () => {
    prod = await startTestServer({ production: true, authEnforced: true, adminKey: "an-admin-key-for-tests", sessionSecret: "a-production-secret-for-tests" });
  });
  afterAll(() => prod?.close());

  it("logs impressions only for the session's own profile: another profile's id is FORBIDDEN with its index", async () => {
    const prodSigner = new ServingIdSigner("a-production-secret-for-tests");
    await insertMovies(prod.db.dataSource, [{ id: 1, title: "One" }]);
    const [alice, bob] = [await insertProfile(prod.db.dataSource, "Alice"), await insertProfile(prod.db.dataSource, "Bob")];
    const select = await prod.gql<{ selectProfile: { token: string } }>(`mutation($id: ID!) { selectProfile(profileId: $id) { token } }`, { id: alice });
    const auth = { authorization: `Bearer ${select.data!.selectProfile.token}` };
    const idFor = (profileId: string | null) =>
      prodSigner
        .response({ servedAt: Date.now(), surface: "HOME" as never, profileId, modelId: null, experimentId: null, arm: null })
        .idFor({ movieId: 1, rowKind: "POPULAR" as never, rowPosition: 0, itemPosition: 0, propensity: 1 });
    const forbidden = await prod.gql(LOG_IMPRESSIONS, { inputs: [{ recommendationId: idFor(alice) }, { recommendationId: idFor(bob) }] }, auth);
    expect(forbidden.errors?.[0].extensions).toMatchObject({ code: "FORBIDDEN", index: 1 });
    const anonymous = await prod.gql(LOG_IMPRESSIONS, { inputs: [{ recommendationId: idFor(alice) }] });
    expect(anonymous.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    const own = await prod.gql<{ logImpressions: { accepted: number } }>(LOG_IMPRESSIONS, { inputs: [{ recommendationId: idFor(alice) }, { recommendationId: idFor(null) }] }, auth);
    expect(own.data?.logImpressions.accepted).toBe(2);
    expect(await prod.db.dataSource.query(`SELECT profile_id FROM impressions`)).toEqual([{ profile_id: alice }, { profile_id: alice }]);
  });

  it("answers onlineMetrics to the admin key only", async () => {
    const query = `{ onlineMetrics(groupBy: [ROW_KIND]) { rowKind impressions } }`;
    expect((await prod.gql(query)).errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    const admin = await prod.gql<{ onlineMetrics: { rowKind: string; impressions: number }[] }>(query, {}, { "x-admin-key": "an-admin-key-for-tests" });
    expect(admin.data?.onlineMetrics).toEqual([{ rowKind: "POPULAR", impressions: 2 }]);
  });
});
