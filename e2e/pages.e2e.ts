import path from "node:path";
import type { Page } from "playwright-core";
import { startTestServer, type TestServer } from "../api/test/server";
import { loadEventWeights } from "../api/src/interactions/event-weights";
import { seedIfEmpty } from "../api/src/seeding/demo-seed";
import { seriousAxeViolations, settled } from "./support/axe";
import { ARTIFACTS, launchChromium, type Browser } from "./support/chromium";
import { ensureWebBuilt } from "./support/web-build";

/**
 * Every screen by its own URL, as a shared link or a reload reaches it (the API answers each
 * path with the client; React Router routes it), and axe-core on each: no serious or critical
 * violations on Who's watching, Browse, a title's details, a genre, search, My List, welcome.
 * (The admin page is checked in admin.e2e.ts, behind its key.)
 */

let server: TestServer;
let browser: Browser;
let page: Page;
let consoleErrors: string[];
let viewer: { id: string; name: string };
let sharedTitle: { id: string; title: string };

beforeAll(async () => {
  ensureWebBuilt();
  server = await startTestServer();
  const { dataSource } = server.db;
  await seedIfEmpty(dataSource, await loadEventWeights(dataSource));
  [viewer] = (await dataSource.query(`SELECT id::text AS id, name FROM profiles ORDER BY created_at, id LIMIT 1`)) as { id: string; name: string }[];
  // A title without a catalog-style article, so its heading reads as stored.
  [sharedTitle] = (await dataSource.query(`SELECT id::text AS id, title FROM movies WHERE title NOT LIKE '%,%' ORDER BY id LIMIT 1`)) as { id: string; title: string }[];
  browser = await launchChromium("pages", { width: 1440, height: 900 });
  ({ page, consoleErrors } = browser);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
}, 60_000);

const path_ = (url: string) => new URL(url).pathname + new URL(url).search;
const dialog = () => page.getByRole("dialog");

/** The viewer's own THUMBNAIL_CLICK events for a title (the seed's are left out). */
async function clicksOn(movieId: string): Promise<number> {
  const [row] = (await server.db.dataSource.query(
    `SELECT count(*)::int AS n FROM interactions WHERE profile_id = $1 AND movie_id = $2 AND type = 'THUMBNAIL_CLICK' AND client_event_id NOT LIKE 'seed-%'`,
    [viewer.id, Number(movieId)],
  )) as { n: number }[];
  return row!.n;
}

async function expectAccessible(screen: string): Promise<void> {
  await settled(page);
  expect(await seriousAxeViolations(page, screen)).toEqual([]);
}

it("a shared title link asks who is watching, then opens that title, and survives a reload", async () => {
  await page.goto(`${server.url}/title/${sharedTitle.id}`);
  await page.getByRole("heading", { name: "Who’s watching?" }).waitFor();
  expect(path_(page.url())).toBe(`/title/${sharedTitle.id}`);
  await expectAccessible("Who's watching");

  await page.getByRole("button", { name: viewer.name, exact: true }).click();
  await dialog().getByRole("heading", { level: 2, name: sharedTitle.title }).waitFor();
  expect(path_(page.url())).toBe(`/title/${sharedTitle.id}`);

  await page.reload();
  await dialog().getByRole("heading", { level: 2, name: sharedTitle.title }).waitFor();
  await dialog().getByRole("heading", { name: "More like this" }).waitFor();
  await dialog().locator(".more-card").first().waitFor();
  // Opened by its link, the title lies over Browse.
  await page.locator("section[data-row-kind] [data-movie-id]").first().waitFor();
  await expectAccessible("title details");
  await page.screenshot({ path: path.join(ARTIFACTS, "e2e-title-page.png") });

  // Closing a title opened by its link goes home, replacing the entry.
  await page.keyboard.press("Escape");
  await dialog().waitFor({ state: "detached" });
  expect(path_(page.url())).toBe("/");
  // A link is not a click on a thumbnail: nothing was logged for it.
  expect(await clicksOn(sharedTitle.id)).toBe(0);
  expect(consoleErrors).toEqual([]);
}, 120_000);

it("Browse: a poster opens its title's page; More like this changes it in place; Back closes it and focus returns", async () => {
  await page.locator("section[data-row-kind] [data-movie-id]").first().waitFor();
  await expectAccessible("Browse");

  const card = page.locator("section[data-row-kind] [data-movie-id]").first();
  const movieId = (await card.getAttribute("data-movie-id"))!;
  await card.locator("[data-card-poster]").focus();
  await page.keyboard.press("Enter");
  await page.waitForURL(`**/title/${movieId}`);
  await dialog().getByRole("heading", { level: 2 }).waitFor();
  // The card's click is logged (in the next batch).
  for (const deadline = Date.now() + 15_000; (await clicksOn(movieId)) === 0; ) {
    if (Date.now() > deadline) throw new Error(`no THUMBNAIL_CLICK stored for title ${movieId}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }

  const other = dialog().locator(".more-card").first();
  await other.waitFor();
  const otherName = (await other.getByRole("button").getAttribute("aria-label"))!;
  await other.getByRole("button").click();
  await page.waitForURL((url) => url.pathname.startsWith("/title/") && url.pathname !== `/title/${movieId}`);
  await dialog().getByRole("heading", { level: 2, name: otherName.replace(/(, \d{4})?\. Open details$/, "") }).waitFor();

  // One Back: the other title replaced the first, so Back returns to Browse.
  await page.goBack();
  await dialog().waitFor({ state: "detached" });
  expect(path_(page.url())).toBe("/");
  await page.waitForFunction((id) => document.activeElement?.closest("[data-movie-id]")?.getAttribute("data-movie-id") === id, movieId);
  expect(consoleErrors).toEqual([]);
}, 120_000);

it("old #/ links land on their new paths", async () => {
  for (const [legacy, now] of [
    ["/#/genre/Drama", "/genre/Drama"],
    ["/#/search?q=star", "/search?q=star"],
    ["/#/my-list", "/my-list"],
    ["/#/browse", "/"],
  ] as const) {
    await page.goto(`${server.url}${legacy}`);
    await page.waitForURL((url) => url.pathname + url.search === now && url.hash === "");
  }
  await page.locator("section[data-row-kind]").first().waitFor();
}, 60_000);

it("a genre, search and My List, each by its URL", async () => {
  await page.goto(`${server.url}/genre/Drama`);
  await page.getByRole("heading", { level: 1, name: "Drama" }).waitFor();
  await page.locator(".grid [data-movie-id]").first().waitFor();
  await expectAccessible("genre");

  // Typing searches as you type: the URL follows, and can be reloaded.
  await page.getByRole("searchbox", { name: "Search titles" }).fill("star");
  await page.waitForURL((url) => url.pathname === "/search" && url.searchParams.get("q") === "star");
  await page.getByRole("heading", { level: 1, name: "Results for “star”" }).waitFor();
  await page.reload();
  const result = page.locator(".grid [data-movie-id]").first();
  await result.waitFor();
  await expectAccessible("search");

  const listed = (await result.getAttribute("data-movie-id"))!;
  await result.getByRole("button", { name: /^Add .* to My List$/ }).focus();
  await page.keyboard.press("Enter");
  await page.goto(`${server.url}/my-list`);
  await page.locator(`.grid [data-movie-id="${listed}"]`).waitFor();
  await expectAccessible("My List");
  expect(consoleErrors).toEqual([]);
}, 120_000);

it("a new profile picks favourites at /welcome, then lands home", async () => {
  await page.goto(`${server.url}/profiles`);
  await page.getByRole("button", { name: "Add profile" }).click();
  await page.getByLabel("Name").fill("Axe Tester");
  await page.getByRole("button", { name: "Save" }).click();
  await page.waitForURL("**/welcome");
  await page.getByRole("heading", { name: "Welcome, Axe Tester. What do you love?" }).waitFor();
  const picks = page.locator("button.pick");
  await picks.nth(2).waitFor();
  for (const i of [0, 1, 2]) await picks.nth(i).click();
  await expectAccessible("welcome");
  await page.getByRole("button", { name: "Continue" }).click();
  await page.waitForURL((url) => url.pathname === "/");
  await page.locator("section[data-row-kind]").first().waitFor();
  expect(consoleErrors).toEqual([]);
}, 120_000);

it("says so for a title or a page that does not exist", async () => {
  for (const id of ["99999999", "not-a-number"]) {
    await page.goto(`${server.url}/title/${id}`);
    await dialog().getByRole("heading", { name: "This title is not in the catalog" }).waitFor();
  }
  await dialog().getByRole("link", { name: "Browse titles" }).click();
  await dialog().waitFor({ state: "detached" });
  expect(path_(page.url())).toBe("/");

  await page.goto(`${server.url}/no/such/page`);
  await page.getByRole("heading", { level: 1, name: "This page does not exist" }).waitFor();
  await expectAccessible("page not found");
  // The refused id is a GraphQL error in a 200 answer: nothing for the console.
  expect(consoleErrors).toEqual([]);
}, 60_000);
