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
  // Tuned (as a scheduled retrain is), so the page has trials to show.
  const model = await trainAndStore(dataSource, { algorithm: "itemknn", threads: 1, tune: { budgetSeconds: 120, maxTrials: 3 } });
  expect(model.status).toBe("ACTIVE");
  modelId = String(model.id);
  await until("the API to serve the new model", async () => (await admin<{ activeModel: { id: string } | null }>(`{ activeModel { id } }`)).activeModel?.id === modelId);
  await logServedActivity();
  browser = await launchChromium("admin", { width: 1280, height: 900 });
  ({ page, consoleErrors } = browser);
  // The charts' library must live with the API's Content-Security-Policy (no inline styles or scripts).
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (event) => seen.push(`${event.violatedDirective} blocked ${event.blockedURI || "(inline)"}`));
  });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
}, 60_000);

async function admin<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await server.gql<T>(query, variables, { "x-admin-key": ADMIN_KEY });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!;
}

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/**
 * What the online metrics chart: two viewers' Home rows as served (with serving ids), the first
 * six cards of each row seen, and from each row its first title played (and the first viewer's
 * watched in full) and its second opened, attributed as the web client sends them.
 */
async function logServedActivity(): Promise<void> {
  const viewers = (await server.db.dataSource.query(`SELECT id::text AS id FROM profiles ORDER BY created_at, id LIMIT 2`)) as { id: string }[];
  for (const [v, { id: profileId }] of viewers.entries()) {
    type Served = { home: { items: { recommendationId: string; movie: { id: string } }[] }[] };
    const { home } = await admin<Served>(`query($p: ID!) { home(profileId: $p) { id items { recommendationId movie { id } } } }`, { p: profileId });
    const seen = home.flatMap((row) => row.items.slice(0, 6));
    await admin(`mutation($inputs: [ImpressionInput!]!) { logImpressions(inputs: $inputs) { accepted } }`, {
      inputs: seen.map((item, i) => ({ recommendationId: item.recommendationId, clientEventId: `e2e-admin-${v}-${i}` })),
    });
    const event = (item: Served["home"][number]["items"][number], type: string, extra: Record<string, unknown> = {}) => ({ profileId, movieId: item.movie.id, type, recommendationId: item.recommendationId, ...extra });
    const events = home.flatMap((row) => [
      ...(row.items[0] ? [event(row.items[0], "PLAY", { progress: 0 }), ...(v === 0 ? [event(row.items[0], "WATCHED_FULL", { progress: 1 })] : [])] : []),
      ...(row.items[1] ? [event(row.items[1], "THUMBNAIL_CLICK")] : []),
    ]);
    await admin(`mutation($inputs: [LogInteractionInput!]!) { logInteractions(inputs: $inputs) { id } }`, { inputs: events });
  }
}

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
  expect(await page.locator(".chart").count()).toBe(0);
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
  await page.getByText(`Model #${modelId}`, { exact: true }).waitFor();
  const titles = await page.getByRole("img", { name: /^Titles it can rank: [\d.]+ percent$/ }).getAttribute("aria-label");
  const share = Number(/([\d.]+) percent/.exec(titles!)![1]);
  expect(share).toBeGreaterThan(0);
  expect(share).toBeLessThanOrEqual(100);
  await page.getByRole("img", { name: /^Viewers it has learned: [\d.]+ percent$/ }).waitFor();

  // The serving model's event weights beside the hand-set ones, and its tuning trials.
  await page.getByRole("heading", { name: `Model #${modelId}: event weights and tuning` }).waitFor();
  const section = page.locator("section", { has: page.locator("#tuning-heading") });
  const handSet = await loadEventWeights(server.db.dataSource);
  const weightRows = section.locator("table").first().locator("tbody tr");
  expect(await weightRows.count()).toBe(Object.keys(handSet).length);
  expect(await weightRows.filter({ hasText: /^PLAY/ }).locator("td").allTextContents()).toEqual(["PLAY", String(handSet.PLAY), String(handSet.PLAY)]);
  const [{ tuning, params }] = (await server.db.dataSource.query(`SELECT tuning, params FROM models WHERE id = $1`, [modelId])) as { tuning: { params: unknown; validationNdcg10: number }[]; params: unknown }[];
  expect(tuning).toHaveLength(3);
  const trialRows = section.locator("table").nth(1).locator("tbody tr");
  expect(await trialRows.count()).toBe(3);
  const chosen = tuning.findIndex((t) => JSON.stringify(t.params) === JSON.stringify(params));
  expect(chosen).toBeGreaterThanOrEqual(0);
  await expect(trialRows.nth(chosen).locator("td").first().textContent()).resolves.toBe(`${chosen} (chosen)`);
  await expect(trialRows.nth(chosen).locator("td").nth(2).textContent()).resolves.toBe(tuning[chosen].validationNdcg10.toFixed(4));

  await settled(page);
  expect(await seriousAxeViolations(page, "admin (charts)")).toEqual([]);
  await page.screenshot({ path: path.join(ARTIFACTS, "e2e-admin.png"), fullPage: true });
  expect(consoleErrors).toEqual([]);
}, 120_000);

it("charts CTR and watch-through per row kind and per model over days with their 95 % intervals, and CTR by position", async () => {
  await page.getByRole("heading", { name: "Online metrics, last 30 days" }).waitFor();
  type Metric = { rowKind: string | null; modelId: string | null; itemPosition: number | null; impressions: number; clicks: number; ctr: number; ctrLow: number; ctrHigh: number; watchThroughRate: number | null };
  const fields = "rowKind modelId itemPosition impressions clicks ctr ctrLow ctrHigh watchThroughRate";
  const { byKind, byModel, byItem } = await admin<{ byKind: Metric[]; byModel: Metric[]; byItem: Metric[] }>(
    `{ byKind: onlineMetrics(groupBy: [ROW_KIND]) { ${fields} } byModel: onlineMetrics(groupBy: [MODEL]) { ${fields} } byItem: onlineMetrics(groupBy: [ITEM_POSITION]) { ${fields} } }`,
  );
  const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const described = (m: Metric) => `${pct(m.ctr)} (95 % interval ${pct(m.ctrLow)} to ${pct(m.ctrHigh)})`;

  // Every impression was served today: each chart's latest day is the whole window.
  const topPicks = byKind.find((m) => m.rowKind === "TOP_PICKS")!;
  expect(topPicks.impressions).toBe(12);
  expect(topPicks.clicks).toBe(4);
  await page.getByRole("img", { name: new RegExp(`^CTR by row kind: .*Top picks ${escape(described(topPicks))} on \\d{4}-\\d{2}-\\d{2}`) }).waitFor();
  const model = byModel.find((m) => m.modelId === modelId)!;
  await page.getByRole("img", { name: new RegExp(`^CTR by model: Model #${modelId} ${escape(described(model))}`) }).waitFor();
  await page.getByRole("img", { name: /^Watch-through by row kind: .*Top picks 50\.0 %/ }).waitFor();
  await page.getByRole("img", { name: new RegExp(`^Watch-through by model: Model #${modelId} `) }).waitFor();
  // uPlot drew each on a canvas of the chart's size.
  const canvases = await page.locator("figure.chart-figure canvas").evaluateAll((list) => list.map((c) => [(c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height]));
  expect(canvases).toHaveLength(4);
  canvases.forEach(([w, h]) => expect(w! * h!).toBeGreaterThan(100 * 100));

  // Attention along a row: position 1 (every row's first title: played) against the rest.
  const table = page.locator("table").filter({ has: page.locator("caption", { hasText: "CTR by position in the row" }) });
  const first = byItem.find((m) => m.itemPosition === 0)!;
  const third = byItem.find((m) => m.itemPosition === 2)!;
  expect(first.ctr).toBe(1);
  expect(third.clicks).toBe(0);
  const cells = async (position: number) => table.locator("tbody tr").filter({ has: page.locator("th", { hasText: new RegExp(`^${position}$`) }) }).locator("td").allTextContents();
  expect(await cells(1)).toEqual([first.impressions.toLocaleString("en-US"), first.clicks.toLocaleString("en-US"), pct(first.ctr), `${pct(first.ctrLow)} – ${pct(first.ctrHigh)}`]);
  expect(await cells(3)).toEqual([third.impressions.toLocaleString("en-US"), "0", pct(0), `${pct(third.ctrLow)} – ${pct(third.ctrHigh)}`]);

  await settled(page);
  expect(await seriousAxeViolations(page, "admin (online metrics)")).toEqual([]);
  await page.locator("#online-heading").scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(ARTIFACTS, "e2e-admin-online-metrics.png"), fullPage: true });
  expect(await page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? ["the recorder did not run"])).toEqual([]);
  expect(consoleErrors).toEqual([]);
}, 120_000);
