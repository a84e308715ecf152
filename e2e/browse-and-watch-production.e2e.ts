import type { Page } from "playwright-core";
import { startTestServer, type TestServer } from "../api/test/server";
import { loadEventWeights } from "../api/src/interactions/event-weights";
import { seedIfEmpty } from "../api/src/seeding/demo-seed";
import { launchChromium, type Browser } from "./support/chromium";
import { ensureWebBuilt } from "./support/web-build";

/**
 * The viewer's flow of browse-and-watch with production-mode auth (NODE_ENV=production rules, a
 * session secret, an admin key): selectProfile sets the HTTP-only session cookie, the client's
 * events are stored for that profile on the cookie alone, and the same page naming another
 * profile's id is refused (FORBIDDEN), as is a caller without the cookie (UNAUTHENTICATED).
 */

let server: TestServer;
let browser: Browser;
let page: Page;
let consoleErrors: string[];

beforeAll(async () => {
  ensureWebBuilt();
  server = await startTestServer({ production: true, authEnforced: true, adminKey: "e2e-admin-key-with-enough-entropy", sessionSecret: "e2e-session-secret-0123456789" });
  await seedIfEmpty(server.db.dataSource, await loadEventWeights(server.db.dataSource));
  browser = await launchChromium("browse-production", { width: 1440, height: 900 });
  ({ page, consoleErrors } = browser);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
}, 60_000);

async function until<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; ; ) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

it("selectProfile sets the session cookie; the viewer's events are stored for it; another profile's id is refused", async () => {
  const [viewer, other] = (await server.db.dataSource.query(`SELECT id::text AS id, name FROM profiles ORDER BY created_at, id LIMIT 2`)) as { id: string; name: string }[];
  const stored = async (profileId: string) =>
    ((await server.db.dataSource.query(`SELECT type::text AS type, movie_id::text AS movie FROM interactions WHERE profile_id = $1 AND client_event_id NOT LIKE 'seed-%' ORDER BY id`, [profileId])) as {
      type: string;
      movie: string;
    }[]);
  const otherBefore = await stored(other!.id);

  await page.goto(server.url);
  await page.getByRole("heading", { name: "Who’s watching?" }).waitFor();
  await page.getByRole("button", { name: viewer!.name, exact: true }).click();
  await page.locator("section[data-row-kind] [data-movie-id]").first().waitFor();

  // The session is an HTTP-only cookie the page's scripts cannot read.
  const cookie = (await browser.context.cookies(server.url)).find((c) => c.name === "marquee_session");
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax" });
  expect(await page.evaluate(() => document.cookie)).not.toContain("marquee_session");

  // Open a title: the client's THUMBNAIL_CLICK, stored for the session's profile.
  const card = page.locator("section[data-row-kind] [data-movie-id]").first();
  const movieId = (await card.getAttribute("data-movie-id"))!;
  await card.locator("[data-card-poster]").focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("heading", { level: 2 }).waitFor();
  const mine = await until("the viewer's event in Postgres", () => stored(viewer!.id), (events) => events.some((e) => e.movie === movieId));
  expect(mine.filter((e) => e.movie === movieId).map((e) => e.type)).toEqual(["THUMBNAIL_CLICK"]);
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });

  // The same page (its cookie) naming another profile: FORBIDDEN; its own profile, by default: stored.
  const log = (profileId?: string) =>
    page.evaluate(
      async ({ profileId, movieId }) => {
        const res = await fetch("/graphql", {
          method: "POST",
          credentials: "same-origin",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query: `mutation($i: LogInteractionInput!) { logInteraction(input: $i) { profileId } }`, variables: { i: { profileId, movieId, type: "LIKE" } } }),
        });
        return (await res.json()) as { data?: { logInteraction: { profileId: string } } | null; errors?: { extensions?: { code?: string } }[] };
      },
      { profileId, movieId },
    );
  expect((await log(other!.id)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  expect((await log()).data?.logInteraction.profileId).toBe(viewer!.id);
  expect((await log(viewer!.id)).data?.logInteraction.profileId).toBe(viewer!.id);
  // Without the cookie (outside the browser), the same call names nobody.
  const anonymous = await server.gql(`mutation($i: LogInteractionInput!) { logInteraction(input: $i) { id } }`, { i: { movieId, type: "LIKE" } });
  expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  expect(await stored(other!.id)).toEqual(otherBefore);
  expect(consoleErrors).toEqual([]);
}, 180_000);
