import path from "node:path";
import type { Page } from "playwright-core";
import { startTestServer, type TestServer } from "../api/test/server";
import { assignArm } from "../api/src/experiments/assignment";
import { loadEventWeights } from "../api/src/interactions/event-weights";
import { trainAndStore } from "../api/src/models/trainer";
import { seedIfEmpty } from "../api/src/seeding/demo-seed";
import { demoProfileId } from "../seeds/demo-audience";
import { seriousAxeViolations, settled } from "./support/axe";
import { ARTIFACTS, launchChromium, type Browser } from "./support/chromium";
import { ensureWebBuilt } from "./support/web-build";

/**
 * The admin page's experiments, behind the admin key: a running experiment whose viewers were
 * served, shown and played through the API lists its arms with their counts, rates and
 * intervals, the difference from control and its chart; a stopped one says why it stopped.
 */

const ADMIN_KEY = "e2e-admin-key-experiments-42";
const admin = { "x-admin-key": ADMIN_KEY };

let server: TestServer;
let browser: Browser;
let page: Page;
let running: string;
let stopped: string;
let consoleErrors: string[];
const impressionsPerArm = [0, 0];

async function ok<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await server.gql<T>(query, variables, admin);
  expect(res.errors).toBeUndefined();
  return res.data!;
}

const CREATE = `mutation C($input: CreateExperimentInput!) { createExperiment(input: $input) { id } }`;

beforeAll(async () => {
  ensureWebBuilt();
  server = await startTestServer({ adminKey: ADMIN_KEY, authEnforced: true });
  const { dataSource } = server.db;
  await seedIfEmpty(dataSource, await loadEventWeights(dataSource));
  expect((await trainAndStore(dataSource, { algorithm: "itemknn", threads: 1 })).status).toBe("ACTIVE");

  const arms = [
    { name: "control", control: true, share: 50 },
    { name: "no-exploration", share: 50, settings: { explorationRate: 0 } },
  ];
  stopped = (await ok<{ createExperiment: { id: string } }>(CREATE, { input: { name: "Top picks trial", surface: "TOP_PICKS", arms } })).createExperiment.id;
  await ok(`mutation { startExperiment(id: "${stopped}") { id } }`);
  await ok(`mutation { stopExperiment(id: "${stopped}") { id } }`);
  running = (await ok<{ createExperiment: { id: string } }>(CREATE, { input: { name: "Home without exploration", surface: "HOME", arms } })).createExperiment.id;
  await ok(`mutation { startExperiment(id: "${running}") { id } }`);

  // Viewers of both arms open Home, see four cards each, and play one (treatment: two).
  const [{ salt }] = (await dataSource.query(`SELECT salt FROM experiments WHERE id = $1`, [running])) as { salt: string }[];
  for (let v = 0; v < 16; v++) {
    const profileId = demoProfileId(v);
    const arm = assignArm(salt, profileId, 100, [50, 50])!;
    const { home } = await ok<{ home: { items: { recommendationId: string; movie: { id: string } }[] }[] }>(
      `query H($p: ID!) { home(profileId: $p) { items { recommendationId movie { id } } } }`,
      { p: profileId },
    );
    const cards = home.flatMap((r) => r.items.slice(0, 1)).slice(0, 4);
    await ok(`mutation I($inputs: [ImpressionInput!]!) { logImpressions(inputs: $inputs) { accepted } }`, {
      inputs: cards.map((c, i) => ({ recommendationId: c.recommendationId, clientEventId: `e2e-${v}-${i}` })),
    });
    impressionsPerArm[arm] += cards.length;
    for (const c of cards.slice(0, arm + 1 + (v % 2))) {
      await ok(`mutation L($input: LogInteractionInput!) { logInteraction(input: $input) { id } }`, {
        input: { profileId, movieId: c.movie.id, type: "PLAY", recommendationId: c.recommendationId, clientEventId: `e2e-play-${v}-${c.movie.id}` },
      });
    }
  }
  expect(impressionsPerArm.every((n) => n >= 8)).toBe(true);
  browser = await launchChromium("admin-experiments", { width: 1280, height: 900 });
  ({ page, consoleErrors } = browser);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
}, 60_000);

it("lists experiments with per-arm results, intervals and the difference over time, behind the admin key", async () => {
  await page.goto(`${server.url}/admin`);
  await page.getByLabel("Admin key").fill(ADMIN_KEY);
  await page.getByRole("button", { name: "Show" }).click();
  await page.getByRole("heading", { name: "Experiments" }).waitFor();

  const live = page.getByRole("article", { name: new RegExp(`#${running} Home without exploration RUNNING`) });
  await live.waitFor();
  const rows = live.locator("table.experiment-results tbody tr");
  await rows.nth(1).waitFor();
  await expect(rows.nth(0).locator("th").textContent()).resolves.toBe("control (control)");
  await expect(rows.nth(1).locator("th").textContent()).resolves.toBe("no-exploration");
  // Impressions per arm as the API counted them, with rates and their intervals.
  for (const arm of [0, 1]) {
    await expect(rows.nth(arm).locator("td").nth(1).textContent()).resolves.toBe(impressionsPerArm[arm].toLocaleString("en-US"));
    await expect(rows.nth(arm).locator("td").nth(4).textContent()).resolves.toMatch(/^[\d.]+ % \[[\d.]+–[\d.]+\]$/);
  }
  await expect(rows.nth(0).locator("td").nth(6).textContent()).resolves.toBe("–");
  await expect(rows.nth(1).locator("td").nth(6).textContent()).resolves.toMatch(/^[+-][\d.]+ \[[+-][\d.]+, [+-][\d.]+\]$/);
  await live.getByRole("img", { name: /^Difference in play rate, no-exploration minus control: 1 hourly looks, latest [+-][\d.]+ pts \(95 % interval [+-][\d.]+ pts to [+-][\d.]+ pts\)$/ }).waitFor();

  const ended = page.getByRole("article", { name: new RegExp(`#${stopped} Top picks trial STOPPED`) });
  await ended.getByText(/Stopped: stopped by an admin/).waitFor();

  await settled(page);
  expect(await seriousAxeViolations(page, "admin (experiments)")).toEqual([]);
  await page.screenshot({ path: path.join(ARTIFACTS, "e2e-admin-experiments.png"), fullPage: true });
  expect(consoleErrors).toEqual([]);
}, 120_000);
