import type { Page } from "playwright-core";
import { startTestServer, type TestServer } from "../api/test/server";
import { loadEventWeights } from "../api/src/interactions/event-weights";
import { seedIfEmpty } from "../api/src/seeding/demo-seed";
import { launchChromium, type Browser } from "./support/chromium";
import { ensureWebBuilt } from "./support/web-build";

/**
 * The API's Content-Security-Policy against the pages it serves, in Chromium: the built client
 * (its bundled fonts, posters, a title's details) and the bundled GraphiQL page (its editor's web
 * workers, running a query). Every violation the browser reports, as an event or on the console,
 * fails the test.
 */

let server: TestServer;
let browser: Browser;
let page: Page;

/** Collects `securitypolicyviolation` events from the page's first script on. */
const RECORD_VIOLATIONS = () => {
  const seen: string[] = [];
  (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
  document.addEventListener("securitypolicyviolation", (event) => seen.push(`${event.violatedDirective} blocked ${event.blockedURI || "(inline)"} in ${event.sourceFile}:${event.lineNumber}`));
};

const violations = (): Promise<string[]> => page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? ["the recorder did not run"]);

beforeAll(async () => {
  ensureWebBuilt();
  server = await startTestServer();
  const { dataSource } = server.db;
  await seedIfEmpty(dataSource, await loadEventWeights(dataSource));
  browser = await launchChromium("csp", { width: 1280, height: 900 });
  page = browser.page;
  await page.addInitScript(RECORD_VIOLATIONS);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
}, 60_000);

it("the client loads, renders its rows with the bundled fonts and opens a title without a CSP violation", async () => {
  const response = await page.goto(server.url);
  expect(response!.headers()["content-security-policy"]).toMatch(/script-src 'self'/);
  await page.getByRole("heading", { name: "Who’s watching?" }).waitFor();
  const [{ name }] = (await server.db.dataSource.query(`SELECT name FROM profiles ORDER BY name LIMIT 1`)) as { name: string }[];
  await page.getByRole("button", { name, exact: true }).click();
  await page.locator("section[data-row-kind] [data-movie-id]").first().waitFor();
  await page.waitForLoadState("networkidle");
  // The fonts come from this origin (fontsource, bundled by Vite); a blocked font would not load.
  const fonts = await page.evaluate(async () => {
    await document.fonts.ready;
    return [...document.fonts].filter((face) => face.status === "loaded").map((face) => face.family.replace(/"/g, ""));
  });
  expect(fonts).toEqual(expect.arrayContaining(["Inter"]));
  await page.locator("section[data-row-kind] [data-movie-id] [data-card-poster]").first().focus();
  await page.keyboard.press("Enter");
  await page.getByRole("dialog").getByRole("heading", { level: 2 }).waitFor();
  await page.waitForLoadState("networkidle");
  expect(await violations()).toEqual([]);
  expect(browser.consoleErrors.filter((line) => /Content Security Policy|Refused to/i.test(line))).toEqual([]);
}, 120_000);

it("the GraphiQL page starts its editor and workers and runs a query without a CSP violation", async () => {
  browser.consoleErrors.length = 0;
  const response = await page.goto(`${server.url}/graphql`);
  expect(response!.headers()["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
  await page.locator(".graphiql-container").waitFor();
  await page.locator(".monaco-editor").first().waitFor();
  await page.getByRole("button", { name: /Execute query/i }).click();
  // The answer arrives in the result pane; the schema (introspection) has loaded for the docs too.
  await page.locator(".graphiql-response").getByText("totalCount").first().waitFor({ timeout: 60_000 });
  await page.waitForLoadState("networkidle");
  expect(await violations()).toEqual([]);
  expect(browser.consoleErrors.filter((line) => /Content Security Policy|Refused to/i.test(line))).toEqual([]);
}, 120_000);
