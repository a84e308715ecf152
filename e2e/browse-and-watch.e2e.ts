import path from "node:path";
import type { Page } from "playwright-core";
import { startTestServer, type TestServer } from "../api/test/server";
import { loadEventWeights } from "../api/src/interactions/event-weights";
import { trainAndStore } from "../api/src/models/trainer";
import { seedIfEmpty } from "../api/src/seeding/demo-seed";
import { ARTIFACTS, launchChromium, type Browser } from "./support/chromium";
import { ensureWebBuilt } from "./support/web-build";

/**
 * The product's signature moment, for real: the built client served by the API over a seeded
 * Postgres, in headless Chromium. A viewer picks a profile, opens a title, plays its trailer,
 * skips ahead and closes it; the events land in Postgres, and the rows on screen change.
 */


interface RowSnapshot {
  kind: string;
  title: string;
  ids: string[];
}
interface StoredEvent {
  type: string;
  progress: number | null;
  position_seconds: number | null;
  client_event_id: string;
}

let server: TestServer;
let browser: Browser;
let page: Page;
let apiStopped = false;
let consoleErrors: string[];

beforeAll(async () => {
  ensureWebBuilt();
  server = await startTestServer();
  const { dataSource } = server.db;
  await seedIfEmpty(dataSource, await loadEventWeights(dataSource));
  // A trained model, as `npm start` has one: Top picks and the explained rows come from it.
  const model = await trainAndStore(dataSource, { algorithm: "ease", threads: 1 });
  expect(model.status).toBe("ACTIVE");
  await until("the API to serve the new model", () => server.gql<{ activeModel: { id: string } | null }>(`{ activeModel { id } }`), (r) => r.data?.activeModel?.id === String(model.id), 30_000);
  browser = await launchChromium("browse", { width: 1440, height: 900 });
  ({ page, consoleErrors } = browser);
}, 300_000); // seed + first model training + a web build when stale, on a busy 2-core machine

afterAll(async () => {
  await browser?.close();
  if (apiStopped) await server?.db.drop();
  else await server?.close();
}, 60_000);

async function rows(): Promise<RowSnapshot[]> {
  return page.$$eval("section[data-row-kind]", (sections) =>
    sections.map((section) => ({
      kind: (section as HTMLElement).dataset.rowKind ?? "",
      title: section.querySelector("h2")?.textContent ?? "",
      ids: [...section.querySelectorAll<HTMLElement>("[data-movie-id]")].map((card) => card.dataset.movieId ?? ""),
    })),
  );
}

async function eventsFor(profileId: string, movieId: string): Promise<StoredEvent[]> {
  return server.db.dataSource.query(
    `SELECT type::text AS type, progress, position_seconds, client_event_id FROM interactions
      WHERE profile_id = $1 AND movie_id = $2 AND (client_event_id IS NULL OR client_event_id NOT LIKE 'seed-%') ORDER BY id`,
    [profileId, Number(movieId)],
  );
}

async function until<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

it("pick a profile, open a title, play, seek, close: events in Postgres and the rows react", async () => {
  const [viewer] = (await server.db.dataSource.query(`SELECT id::text AS id, name FROM profiles ORDER BY created_at, id LIMIT 1`)) as { id: string; name: string }[];
  expect(viewer).toBeDefined();

  // Who's watching?
  await page.goto(server.url);
  await page.getByRole("heading", { name: "Who’s watching?" }).waitFor();
  await page.getByRole("button", { name: viewer!.name, exact: true }).click();

  // Browse: hero and rows from `home`.
  await page.locator("section[data-row-kind] [data-movie-id]").first().waitFor();
  await page.getByRole("region", { name: /^Featured:/ }).waitFor();
  await page.waitForLoadState("networkidle");
  await page.waitForTimeout(600); // let the cards' fade-in finish before the screenshot
  await page.screenshot({ path: path.join(ARTIFACTS, "e2e-browse.png") });
  const before = await rows();
  expect(before.length).toBeGreaterThan(2);
  const topPicks = before.find((row) => row.kind === "TOP_PICKS");
  expect(topPicks?.ids.length).toBeGreaterThan(3);
  const movieId = topPicks!.ids[0]!;
  const [movie] = (await server.db.dataSource.query(`SELECT title FROM movies WHERE id = $1`, [Number(movieId)])) as { title: string }[];

  // Open the title from its poster, by keyboard (focus + Enter): THUMBNAIL_CLICK.
  const card = page.locator(`section[data-row-kind="TOP_PICKS"] [data-movie-id="${movieId}"]`);
  await card.locator("[data-card-poster]").focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("heading", { level: 2 }).waitFor();
  await dialog.getByRole("heading", { name: "More like this" }).waitFor();

  // Play the trailer: a real <video> playing the bundled clip served by the API. A capturing
  // listener pauses it in the page at the first timeupdate past half a second: no round trip, so a
  // busy machine cannot overshoot, and pausing itself logs nothing.
  await page.evaluate(() => {
    const flags = window as { __e2ePaused?: boolean };
    document.addEventListener(
      "timeupdate",
      (event) => {
        const v = event.target as HTMLVideoElement;
        if (!flags.__e2ePaused && !v.paused && v.currentTime > 0.5) {
          flags.__e2ePaused = true;
          v.pause();
        }
      },
      true,
    );
  });
  await dialog.getByRole("button", { name: "Play trailer" }).click();
  const video = page.locator("video");
  await video.waitFor();
  await page.waitForFunction(() => (window as { __e2ePaused?: boolean }).__e2ePaused === true);

  // Skip ahead by 40% of the clip: past the skip threshold, short of "watched in full".
  const target = await video.evaluate(async (v: HTMLVideoElement) => {
    const to = v.currentTime + v.duration * 0.4;
    const seeked = new Promise((resolve) => v.addEventListener("seeked", resolve, { once: true }));
    v.currentTime = to;
    await seeked;
    return to;
  });
  await page.screenshot({ path: path.join(ARTIFACTS, "e2e-player.png") });

  // Close early (Escape, as a keyboard user would): CLOSED with the progress fraction.
  await page.keyboard.press("Escape");
  const closedAt = Date.now();
  await video.waitFor({ state: "detached" });
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });

  const events = await until("the four trailer events in Postgres", () => eventsFor(viewer!.id, movieId), (e) => e.length >= 4);
  expect(events.map((e) => e.type)).toEqual(["THUMBNAIL_CLICK", "PLAY", "SKIPPED", "CLOSED"]);
  const [, , skipped, closed] = events;
  expect(skipped!.position_seconds).toBeGreaterThan(target - 0.5);
  expect(closed!.progress).toBeGreaterThan(0.4);
  expect(closed!.progress).toBeLessThan(0.9);
  // Client event ids: one UUID per event, never repeated.
  expect(new Set(events.map((e) => e.client_event_id)).size).toBe(4);
  events.forEach((e) => expect(e.client_event_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/));

  // The rows react: the half-watched title is now first in Continue watching.
  const afterWatch = await until(
    `"${movie!.title}" to lead Continue watching`,
    rows,
    (r) => r.find((row) => row.kind === "CONTINUE_WATCHING")?.ids[0] === movieId,
  );
  expect(afterWatch).not.toEqual(before);
  // Reported, not asserted (timing belongs in benchmarks): close -> event stored -> rows refetched -> DOM.
  console.log(`e2e: Continue watching showed the closed title ${Date.now() - closedAt} ms after the player closed (includes 150 ms polling)`);

  // Thumbs down on another top pick: it leaves Top picks on the next refetch.
  const disliked = afterWatch.find((row) => row.kind === "TOP_PICKS")!.ids.find((id) => id !== movieId)!;
  const dislikedCard = page.locator(`section[data-row-kind="TOP_PICKS"] [data-movie-id="${disliked}"]`);
  await dislikedCard.getByRole("button", { name: /^Not for me/ }).focus();
  await page.keyboard.press("Enter");
  await until("the DISLIKE event in Postgres", () => eventsFor(viewer!.id, disliked), (e) => e.some((x) => x.type === "DISLIKE"));
  const afterDislike = await until("the disliked title to leave Top picks", rows, (r) => !r.find((row) => row.kind === "TOP_PICKS")?.ids.includes(disliked));
  expect(afterDislike.flatMap((row) => (row.kind === "CONTINUE_WATCHING" ? [] : row.ids))).not.toContain(disliked);

  await page.mouse.move(0, 0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(600); // new cards fade in
  await page.screenshot({ path: path.join(ARTIFACTS, "e2e-browse-after.png") });
  expect(consoleErrors).toEqual([]);
}, 120_000);

it("keeps My List on the server: added from a card, still there after a reload, removed again", async () => {
  const [viewer] = (await server.db.dataSource.query(`SELECT id::text AS id FROM profiles ORDER BY created_at, id LIMIT 1`)) as { id: string }[];
  const listed = async () =>
    ((await server.db.dataSource.query(`SELECT movie_id::text AS id FROM my_list WHERE profile_id = $1 ORDER BY added_at DESC`, [viewer!.id])) as { id: string }[]).map((r) => r.id);
  const trending = (await rows()).find((row) => row.kind === "TRENDING")!;
  const before = await listed();
  const movieId = trending.ids.find((id) => !before.includes(id))!;

  const card = page.locator(`section[data-row-kind="TRENDING"] [data-movie-id="${movieId}"]`);
  await card.getByRole("button", { name: /^Add .* to My List$/ }).focus();
  await page.keyboard.press("Enter");
  await until("the title on My List in Postgres", listed, (ids) => ids[0] === movieId);
  await until("its ADD_TO_LIST event", () => eventsFor(viewer!.id, movieId), (e) => e.some((x) => x.type === "ADD_TO_LIST"));

  // Loading /my-list drops everything the page held: the list comes back from the API.
  await page.goto(`${server.url}/my-list`);
  const onList = page.locator(`[data-movie-id="${movieId}"]`);
  await onList.waitFor();
  await page.screenshot({ path: path.join(ARTIFACTS, "e2e-my-list.png") });

  await onList.getByRole("button", { name: /^Remove .* from My List$/ }).focus();
  await page.keyboard.press("Enter");
  await until("the title off My List in Postgres", listed, (ids) => !ids.includes(movieId));
  await onList.waitFor({ state: "detached" });
  expect(consoleErrors).toEqual([]);
}, 60_000);

it("says clearly when the API goes down under a loaded page", async () => {
  // Network errors in the console are expected from here on: this is the API going away.
  await server.app.close();
  apiStopped = true;
  // Typing a search navigates inside the page (the server that served it is gone).
  await page.getByRole("searchbox", { name: "Search titles" }).fill("alien");
  await page.waitForURL(/\/search\?q=alien$/);
  await page.getByRole("alert").filter({ hasText: "The Marquee API is not reachable" }).waitFor();
  await page.screenshot({ path: path.join(ARTIFACTS, "e2e-api-down.png") });
}, 60_000);
