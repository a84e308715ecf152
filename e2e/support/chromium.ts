import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { REPO } from "./web-build";

/** Screenshots and other files a browser test leaves for people to look at. */
export const ARTIFACTS = path.join(REPO, "test-artifacts");

/** As the machine's probe runs it: without the background-networking flags, Chromium's calls home are refused by the closed network. */
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export interface Browser {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors and uncaught page errors, as "text @ url" (the url when the browser knows it). */
  readonly consoleErrors: string[];
  close(): Promise<void>;
}

/** Debian's headless Chromium (CHROMIUM_PATH, else /usr/bin/chromium) with a fresh profile, and one page that records its console errors. */
export async function launchChromium(name: string, viewport: { width: number; height: number }): Promise<Browser> {
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), `marquee-e2e-${name}-`));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(`${message.text()} @ ${message.location().url}`);
  });
  page.on("pageerror", (error) => consoleErrors.push(`pageerror: ${error.message}`));
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    context,
    page,
    consoleErrors,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
