import path from "node:path";
import type { Page } from "playwright-core";
import { startTestServer, type TestServer } from "../api/test/server";
import { loadEventWeights } from "../api/src/interactions/event-weights";
import { seedIfEmpty } from "../api/src/seeding/demo-seed";
import { seriousAxeViolations, settled } from "./support/axe";
import { ARTIFACTS, launchChromium, type Browser } from "./support/chromium";
import { ensureWebBuilt } from "./support/web-build";

/**
 * Issue 15 §5 in the browser, in production mode: a visitor browses without a profile (an
 * anonymous session, not on Who's watching), then saves it with a name in place.
 */

let server: TestServer;
let browser: Browser;
let page: Page;
let consoleErrors: string[];
let takenName: string;

beforeAll(async () => {
  ensureWebBuilt();
  server = await startTestServer({ production: true, authEnforced: true, adminKey: "e2e-admin-key-with-enough-entropy", sessionSecret: "e2e-session-secret-0123456789" });
  const { dataSource } = server.db;
  await seedIfEmpty(dataSource, await loadEventWeights(dataSource));
  [{ name: takenName }] = (await dataSource.query(`SELECT name FROM profiles ORDER BY created_at, id LIMIT 1`)) as { name: string }[];
  browser = await launchChromium("anonymous", { width: 1440, height: 900 });
  ({ page, consoleErrors } = browser);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
}, 60_000);

const anonymousIds = async () => ((await server.db.dataSource.query(`SELECT id::text AS id FROM profiles WHERE anonymous`)) as { id: string }[]).map((r) => r.id);

it("browses without a profile, then saves it under a name: same profile, now on Who's watching", async () => {
  await page.goto(`${server.url}/`);
  await page.getByRole("heading", { name: "Who’s watching?" }).waitFor();
  await page.getByRole("button", { name: "Browse without a profile" }).click();
  await page.locator("section[data-row-kind] [data-movie-id]").first().waitFor();
  const [anonymousId] = await anonymousIds();
  expect(anonymousId).toBeDefined();

  const save = page.getByRole("button", { name: "Save your profile" });
  await save.waitFor();
  await settled(page);
  expect(await seriousAxeViolations(page, "Browse without a profile")).toEqual([]);

  // A reload keeps the anonymous session (its cookie refreshes it).
  await page.reload();
  await save.waitFor();

  await save.click();
  const form = page.getByRole("form", { name: "Save your profile" });
  await form.getByLabel("Your name").fill(takenName.toUpperCase());
  await form.getByRole("button", { name: "Save" }).click();
  await form.getByRole("alert").filter({ hasText: "already has that name" }).waitFor();
  expect(await seriousAxeViolations(page, "Save your profile")).toEqual([]);

  await form.getByLabel("Your name").fill("Robin");
  await form.getByRole("button", { name: "Save" }).click();
  await form.waitFor({ state: "detached" });
  await save.waitFor({ state: "detached" });
  await page.screenshot({ path: path.join(ARTIFACTS, "e2e-anonymous-saved.png") });

  // Claimed in place: the same id, no longer anonymous, listed on Who's watching.
  const [robin] = (await server.db.dataSource.query(`SELECT id::text AS id, anonymous FROM profiles WHERE name = 'Robin'`)) as { id: string; anonymous: boolean }[];
  expect(robin).toEqual({ id: anonymousId, anonymous: false });
  expect(await anonymousIds()).toEqual([]);
  await page.getByRole("button", { name: "Robin: switch profile" }).click();
  await page.getByRole("heading", { name: "Who’s watching?" }).waitFor();
  // The seed's 240 profiles hide past the first tiles: find it by name.
  await page.getByLabel("Find a profile").fill("Robin");
  await page.getByRole("button", { name: "Robin", exact: true }).waitFor();
  expect(consoleErrors).toEqual([]);
}, 180_000);
