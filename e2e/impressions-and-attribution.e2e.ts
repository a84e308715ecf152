import path from "node:path";
import type { Page } from "playwright-core";
import { startTestServer, type TestServer } from "../api/test/server";
import { loadEventWeights } from "../api/src/interactions/event-weights";
import { trainAndStore } from "../api/src/models/trainer";
import { seedIfEmpty } from "../api/src/seeding/demo-seed";
import { ARTIFACTS, launchChromium, type Browser } from "./support/chromium";
import { ensureWebBuilt } from "./support/web-build";

/**
 * Closing the loop in Chromium (issue 10): the built client on an API that enforces sessions.
 * A viewer opens Home and scrolls; the cards that were really on screen (at least half of them,
 * for over a second) are stored as impressions, and no others, and they refetch nothing. A
 * trailer played from a row is stored with that row's attribution, and onlineMetrics counts it
 * under that row kind; a card's details keep its attribution through /title/:id and a reload.
 */

const ADMIN_KEY = "e2e-admin-key-impressions-0123";
/** Long enough at each resting place that every card on screen passes the client's 1 s rule. */
const REST_MS = 2500;

let server: TestServer;
let browser: Browser;
let page: Page;
let modelId: number;

interface SeenCard {
  /** `<row position>|<row kind>|<movie id>`: what an impression row in Postgres says. */
  key: string;
  /** Largest share of it that was on screen at any resting place. */
  ratio: number;
}

interface StoredImpression {
  row_position: number;
  row_kind: string;
  movie_id: number;
  item_position: number;
  model_id: number | null;
}

beforeAll(async () => {
  ensureWebBuilt();
  server = await startTestServer({ adminKey: ADMIN_KEY, authEnforced: true });
  const { dataSource } = server.db;
  await seedIfEmpty(dataSource, await loadEventWeights(dataSource));
  const model = await trainAndStore(dataSource, { algorithm: "ease", threads: 1 });
  expect(model.status).toBe("ACTIVE");
  modelId = model.id;
  await until("the API to serve the new model", () => server.gql<{ activeModel: { id: string } | null }>(`{ activeModel { id } }`), (r) => r.data?.activeModel?.id === String(model.id), 30_000);
  browser = await launchChromium("impressions", { width: 1280, height: 800 });
  page = browser.page;
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
}, 60_000);

async function until<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * What is on screen now, measured from the layout (not from the client's own observer): each
 * card's share inside the viewport and its row's scroller, and the hero's (the first card of
 * its row, shown big).
 */
function measure(): Promise<SeenCard[]> {
  return page.evaluate(() => {
    const view = { left: 0, top: 0, right: window.innerWidth, bottom: window.innerHeight };
    const share = (el: Element, clip: { left: number; top: number; right: number; bottom: number }) => {
      const r = el.getBoundingClientRect();
      const w = Math.max(0, Math.min(r.right, clip.right) - Math.max(r.left, clip.left));
      const h = Math.max(0, Math.min(r.bottom, clip.bottom) - Math.max(r.top, clip.top));
      return r.width * r.height > 0 ? (w * h) / (r.width * r.height) : 0;
    };
    const sections = [...document.querySelectorAll<HTMLElement>("section[data-row-id]")];
    const seen = sections.flatMap((section, position) => {
      const track = section.querySelector("[data-row-track]")!.getBoundingClientRect();
      const clip = { left: Math.max(view.left, track.left), top: Math.max(view.top, track.top), right: Math.min(view.right, track.right), bottom: Math.min(view.bottom, track.bottom) };
      return [...section.querySelectorAll<HTMLElement>("[role=listitem]")].map((item) => ({
        key: `${position}|${section.dataset.rowKind}|${item.querySelector<HTMLElement>("[data-movie-id]")!.dataset.movieId}`,
        ratio: share(item, clip),
      }));
    });
    const hero = document.querySelector<HTMLElement>("[data-hero-movie-id]");
    const heroRow = sections.findIndex((s) => s.dataset.rowKind === "TOP_PICKS");
    if (hero && heroRow >= 0) seen.push({ key: `${heroRow}|TOP_PICKS|${hero.dataset.heroMovieId}`, ratio: share(hero, view) });
    return seen;
  });
}

async function storedImpressions(profileId: string): Promise<StoredImpression[]> {
  return server.db.dataSource.query(`SELECT row_position, row_kind::text AS row_kind, movie_id, item_position, model_id FROM impressions WHERE profile_id = $1 ORDER BY id`, [profileId]);
}

const keyOf = (i: StoredImpression) => `${i.row_position}|${i.row_kind}|${i.movie_id}`;

it("stores an impression for each card really seen and for no other; a play from a row carries that row's attribution into onlineMetrics", async () => {
  const [viewer] = (await server.db.dataSource.query(`SELECT id::text AS id, name FROM profiles ORDER BY created_at, id LIMIT 1`)) as { id: string; name: string }[];
  let homeRequests = 0;
  page.on("request", (request) => {
    if (request.method() === "POST" && /"operationName":"Home"/.test(request.postData() ?? "")) homeRequests += 1;
  });
  await page.goto(server.url);
  await page.getByRole("heading", { name: "Who’s watching?" }).waitFor();
  await page.getByRole("button", { name: viewer!.name, exact: true }).click();
  await page.locator("section[data-row-id] [data-movie-id]").first().waitFor();
  await page.waitForLoadState("networkidle");
  // The pointer away from the rows: a hovered card's preview would change what is on screen.
  await page.mouse.move(2, 2);

  // Rest at the top, then jump (no smooth scrolling: nothing is seen on the way) down one and a
  // half screens, resting each time; the lower rows and the cards right of each row's edge stay unseen.
  const best = new Map<string, number>();
  for (const top of [0, 1200]) {
    await page.evaluate((y) => window.scrollTo({ top: y, behavior: "instant" }), top);
    await page.waitForTimeout(REST_MS);
    for (const card of await measure()) best.set(card.key, Math.max(best.get(card.key) ?? 0, card.ratio));
  }
  const seen = [...best].filter(([, ratio]) => ratio >= 0.6).map(([key]) => key);
  const unseen = [...best].filter(([, ratio]) => ratio < 0.4).map(([key]) => key);
  expect(seen.length).toBeGreaterThan(8);
  expect(unseen.length).toBeGreaterThan(20);

  // The outbox flushes impressions within a few seconds; wait for it to be empty, then compare.
  const stored = await until(
    "every seen card's impression in Postgres",
    () => storedImpressions(viewer!.id),
    (rows) => seen.every((key) => rows.some((r) => keyOf(r) === key)),
  );
  await until("the outbox to be empty", () => page.evaluate(() => localStorage.getItem("marquee.pendingInteractions")), (pending) => pending === null);
  const final = await storedImpressions(viewer!.id);
  expect(final.length).toBeGreaterThanOrEqual(stored.length);
  // No card stored that was never at least 40 % on screen; each (row, title) once in this page view.
  expect(final.map(keyOf).filter((key) => unseen.includes(key) || !best.has(key))).toEqual([]);
  expect(new Set(final.map(keyOf)).size).toBe(final.length);
  expect(final.some((i) => i.model_id === modelId)).toBe(true);
  // Acknowledged impressions refetch nothing: Home was asked for once, when the page opened.
  expect(homeRequests).toBe(1);
  console.log(`e2e: ${seen.length} cards seen, ${unseen.length} never on screen, ${final.length} impressions stored`);

  // Play a trailer from a row's card (a seen one, not the first row's first), by keyboard.
  const target = seen.map((key) => key.split("|")).find(([, kind]) => kind !== "CONTINUE_WATCHING" && kind !== "TOP_PICKS")!;
  expect(target).toBeDefined();
  const [rowPosition, rowKind, movieId] = target;
  const card = page.locator(`section[data-row-id]`).nth(Number(rowPosition)).locator(`[data-movie-id="${movieId}"]`);
  await card.getByRole("button", { name: /^Play trailer of / }).focus();
  await page.keyboard.press("Enter");
  const video = page.locator("video");
  await video.waitFor();
  await page.waitForFunction(() => {
    const v = document.querySelector("video");
    return v !== null && !v.paused && v.currentTime > 0.3;
  });
  await page.screenshot({ path: path.join(ARTIFACTS, "e2e-impressions-player.png") });
  await page.keyboard.press("Escape");
  await video.waitFor({ state: "detached" });

  type Attributed = { type: string; rec_surface: string; rec_row_kind: string; rec_row_position: number; rec_item_position: number; rec_model_id: number | null; rec_propensity: number };
  const events = await until(
    "the PLAY and the CLOSED (or, on a slow machine, WATCHED_FULL) events in Postgres",
    () =>
      server.db.dataSource.query(
        `SELECT type::text AS type, rec_surface::text AS rec_surface, rec_row_kind::text AS rec_row_kind, rec_row_position, rec_item_position, rec_model_id, rec_propensity
           FROM interactions WHERE profile_id = $1 AND movie_id = $2 AND client_event_id NOT LIKE 'seed-%' ORDER BY id`,
        [viewer!.id, Number(movieId)],
      ) as Promise<Attributed[]>,
    (rows) => rows.some((r) => r.type === "PLAY") && rows.some((r) => r.type === "CLOSED" || r.type === "WATCHED_FULL"),
  );
  const impression = final.find((i) => keyOf(i) === target.join("|"))!;
  const play = events.find((e) => e.type === "PLAY");
  expect(play).toEqual({
    type: "PLAY",
    rec_surface: "HOME",
    rec_row_kind: rowKind,
    rec_row_position: Number(rowPosition),
    rec_item_position: impression.item_position,
    rec_model_id: impression.model_id,
    rec_propensity: 1,
  });
  // Every trailer event of that play carries the same attribution.
  expect(events.filter((e) => e.type !== "PLAY").every((e) => e.rec_row_kind === rowKind && e.rec_row_position === Number(rowPosition))).toBe(true);

  // onlineMetrics (admin key): the play counted under its row kind, with the impressions of that kind.
  type Metric = { rowKind: string; impressions: number; plays: number; clicks: number; ctr: number; ctrLow: number; ctrHigh: number };
  const metrics = await until(
    "onlineMetrics to count the play",
    () => server.gql<{ onlineMetrics: Metric[] }>(`{ onlineMetrics(groupBy: [ROW_KIND]) { rowKind impressions plays clicks ctr ctrLow ctrHigh } }`, {}, { "x-admin-key": ADMIN_KEY }),
    (r) => (r.data?.onlineMetrics.find((m) => m.rowKind === rowKind)?.plays ?? 0) >= 1,
  );
  expect(metrics.errors).toBeUndefined();
  const row = metrics.data!.onlineMetrics.find((m) => m.rowKind === rowKind)!;
  expect(row.impressions).toBe(final.filter((i) => i.row_kind === rowKind).length);
  expect(row.plays).toBe(1);
  expect(row.clicks).toBe(1);
  expect(row.ctrLow).toBeLessThanOrEqual(row.ctr);
  expect(row.ctrHigh).toBeGreaterThanOrEqual(row.ctr);

  // From a card's details, through /title/:id and a reload of it: the click and the play from the
  // details are both attributed to the card that opened them. Wait for the play's refetch first,
  // so the rows on screen are the ones last served.
  await until(
    "the played title to lead Continue watching",
    () => page.$$eval("section[data-row-kind='CONTINUE_WATCHING'] [data-movie-id]", (cards) => cards[0]?.getAttribute("data-movie-id") ?? null),
    (first) => first === movieId,
  );
  await page.waitForLoadState("networkidle");
  const opened = await page.$$eval("section[data-row-id]", (sections, played) => {
    for (const [position, section] of sections.entries()) {
      const kind = (section as HTMLElement).dataset.rowKind ?? "";
      if (kind === "CONTINUE_WATCHING" || kind === "TOP_PICKS") continue;
      const id = [...section.querySelectorAll<HTMLElement>("[data-movie-id]")].map((c) => c.dataset.movieId).find((m) => m !== played);
      if (id) return { position, kind, movieId: id };
    }
    return null;
  }, movieId);
  expect(opened).not.toBeNull();
  await page.locator("section[data-row-id]").nth(opened!.position).locator(`[data-movie-id="${opened!.movieId}"] [data-card-poster]`).focus();
  await page.keyboard.press("Enter");
  await page.waitForURL(new RegExp(`/title/${opened!.movieId}$`));
  await page.getByRole("dialog").getByRole("heading", { level: 2 }).waitFor();
  await page.reload();
  await page.getByRole("dialog").getByRole("button", { name: "Play trailer" }).click();
  await page.waitForFunction(() => {
    const v = document.querySelector("video");
    return v !== null && !v.paused && v.currentTime > 0.3;
  });
  await page.keyboard.press("Escape");
  await page.locator("video").waitFor({ state: "detached" });
  const fromDetails = await until(
    "the details' click and play in Postgres",
    () =>
      server.db.dataSource.query(
        `SELECT type::text AS type, rec_surface::text AS rec_surface, rec_row_kind::text AS rec_row_kind, rec_row_position FROM interactions
          WHERE profile_id = $1 AND movie_id = $2 AND type IN ('THUMBNAIL_CLICK', 'PLAY') AND client_event_id NOT LIKE 'seed-%' ORDER BY id`,
        [viewer!.id, Number(opened!.movieId)],
      ) as Promise<{ type: string; rec_surface: string; rec_row_kind: string; rec_row_position: number }[]>,
    (rows) => rows.some((r) => r.type === "PLAY"),
  );
  expect(fromDetails).toEqual(["THUMBNAIL_CLICK", "PLAY"].map((type) => ({ type, rec_surface: "HOME", rec_row_kind: opened!.kind, rec_row_position: opened!.position })));

  expect(browser.consoleErrors).toEqual([]);
}, 240_000);
