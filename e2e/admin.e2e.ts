import path from "node:path";
import type { Page } from "playwright-core";
import { startTestServer, type TestServer } from "../api/test/server";
import { loadEventWeights } from "../api/src/interactions/event-weights";
import { trainAndStore } from "../api/src/models/trainer";
import { seedIfEmpty } from "../api/src/seeding/demo-seed";
import { seriousAxeViolations, settled } from "./support/axe";
import { ARTIFACTS, launchChromium, type Browser } from "./support/chromium";
import { ensureWebBuilt } from "./support/web-build";

/**
 * The operators' page (/admin) on an API that enforces its admin key: a wrong key is refused
 * and nothing is shown; the right key shows event volume, model history with validation metrics
 * and the serving model's coverage, as charts, drawn from what Postgres holds.
 */

const ADMIN_KEY = "e2e-admin-key-0123456789";

let server: TestServer;
let browser: Browser;
let page: Page;
let modelId: string;
let consoleErrors: string[];

beforeAll(async () => {
  ensureWebBuilt();
  server = await startTestServer({ adminKey: ADMIN_KEY, authEnforced: true });
  const { dataSource } = server.db;
  await seedIfEmpty(dataSource, await loadEventWeights(dataSource));
  const model = await trainAndStore(dataSource, { algorithm: "itemknn", threads: 1 });
  expect(model.status).toBe("ACTIVE");
  modelId = String(model.id);
  browser = await launchChromium("admin", { width: 1280, height: 900 });
  ({ page, consoleErrors } = browser);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
}, 60_000);

async function submitKey(key: string): Promise<void> {
  await page.getByLabel("Admin key").fill(key);
  await page.getByRole("button", { name: "Show" }).click();
}

it("refuses a wrong admin key and shows nothing", async () => {
  await page.goto(`${server.url}/admin`);
  await page.getByRole("heading", { name: "Marquee operations" }).waitFor();
  await settled(page);
  expect(await seriousAxeViolations(page, "admin (asking for the key)")).toEqual([]);
  await submitKey("not-the-key");
  await page.getByRole("alert").filter({ hasText: "The API refused this key" }).waitFor();
  expect(await page.locator("svg.chart").count()).toBe(0);
  // The refused request itself may be logged by the browser as a failed resource; nothing else.
  expect(consoleErrors.filter((e) => !/status of 40[13]/.test(e))).toEqual([]);
  consoleErrors.length = 0;
}, 60_000);

it("with the key, charts event volume, the model history with NDCG@10, and the serving model's coverage", async () => {
  await submitKey(ADMIN_KEY);
  await page.getByRole("heading", { name: "Events received" }).waitFor();

  // Event volume: the seed's events, bucketed by day, add up to what Postgres holds.
  await page.getByRole("button", { name: "Last 30 days" }).click();
  const [{ recent }] = (await server.db.dataSource.query(
    // The page's 30 days: whole UTC days, from the one that began 30 days ago up to now.
    `SELECT count(*)::int AS recent FROM interactions
      WHERE received_at >= date_trunc('day', (now() - interval '30 days') AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`,
  )) as { recent: number }[];
  expect(recent).toBeGreaterThan(0);
  const volume = page.getByRole("img", { name: new RegExp(`^Events per bucket: ${recent} in \\d+ buckets$`) });
  await volume.waitFor();

  // Model history: the trained model, its validation metric charted and tabled.
  const row = page.locator("table.admin-table tbody tr").filter({ hasText: `#${modelId}` });
  await row.waitFor();
  await expect(row.locator("td").nth(1).textContent()).resolves.toBe("itemknn");
  await expect(row.locator("td").nth(2).textContent()).resolves.toBe("ACTIVE");
  const [{ ndcg }] = (await server.db.dataSource.query(`SELECT (metrics->>'NDCG@10')::float AS ndcg FROM models WHERE id = $1`, [modelId])) as { ndcg: number }[];
  expect(ndcg).toBeGreaterThan(0);
  await expect(row.locator("td").nth(3).textContent()).resolves.toBe(ndcg.toFixed(4));
  await page.getByRole("img", { name: new RegExp(`^NDCG@10 per model: #${modelId} `) }).waitFor();

  // Coverage of the serving model: its share of the catalog's titles and of the profiles.
  await page.getByText(`Model #${modelId}`).waitFor();
  const titles = await page.getByRole("img", { name: /^Titles it can rank: [\d.]+ percent$/ }).getAttribute("aria-label");
  const share = Number(/([\d.]+) percent/.exec(titles!)![1]);
  expect(share).toBeGreaterThan(0);
  expect(share).toBeLessThanOrEqual(100);
  await page.getByRole("img", { name: /^Viewers it has learned: [\d.]+ percent$/ }).waitFor();

  await settled(page);
  expect(await seriousAxeViolations(page, "admin (charts)")).toEqual([]);
  await page.screenshot({ path: path.join(ARTIFACTS, "e2e-admin.png"), fullPage: true });
  expect(consoleErrors).toEqual([]);
}, 120_000);
