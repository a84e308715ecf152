import { appendFileSync, readFileSync } from "node:fs";
import path from "node:path";
import axe from "axe-core";
import type { Page } from "playwright-core";
import { ARTIFACTS } from "./chromium";

/**
 * axe-core's own bundle, evaluated in the page: a CDP evaluation is not subject to the page's
 * Content-Security-Policy, as an injected <script> tag would be. (@axe-core/playwright took 63 s
 * on a Browse page that axe.run checks in 6 s here, serialising every passing node twice.)
 */
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/**
 * axe-core's experimental rules are off by default; label-content-name-mismatch (a visible title
 * that is not part of a button's accessible name) is one of them, so they are all turned on.
 */
const EXPERIMENTAL_RULES = Object.fromEntries(axe.getRules(["experimental"]).map((rule) => [rule.ruleId, { enabled: true }]));

const IMPACT_ORDER = ["critical", "serious", "moderate", "minor"];

export interface AxeFinding {
  rule: string;
  impact: string;
  nodes: number;
  help: string;
  /** Up to three offending elements, as axe names them. */
  targets: string[];
}

/** One line per screen checked, for people comparing runs: test-artifacts/axe.jsonl. */
const LOG = path.join(ARTIFACTS, "axe.jsonl");

/**
 * Runs axe-core on the page as it is now (every rule, experimental ones included) and returns its
 * violations, worst first; records them to test-artifacts/axe.jsonl under `screen`.
 */
export async function axeViolations(page: Page, screen: string): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  const findings = await page.evaluate(async (rules) => {
    const { axe: inPage } = window as unknown as { axe: typeof axe };
    const results = await inPage.run(document, { rules, resultTypes: ["violations"] });
    return results.violations.map((violation) => ({
      rule: violation.id,
      impact: violation.impact ?? "unknown",
      nodes: violation.nodes.length,
      help: violation.help,
      targets: violation.nodes.slice(0, 3).map((node) => node.target.join(" ")),
    }));
  }, EXPERIMENTAL_RULES);
  findings.sort((a, b) => IMPACT_ORDER.indexOf(a.impact) - IMPACT_ORDER.indexOf(b.impact));
  appendFileSync(LOG, `${JSON.stringify({ screen, url: page.url(), at: new Date().toISOString(), violations: findings })}\n`);
  return findings;
}

/** Waits for the page's finite CSS animations (fade-ins) to end, so axe sees the colours as shown. */
export async function settled(page: Page): Promise<void> {
  await page.evaluate(() => Promise.all(document.getAnimations().filter((animation) => Number.isFinite(animation.effect?.getTiming().iterations ?? 1)).map((animation) => animation.finished.catch(() => undefined))));
}

/** What a screen must not have: serious and critical violations (moderate and minor ones are only logged). */
export async function seriousAxeViolations(page: Page, screen: string): Promise<AxeFinding[]> {
  return (await axeViolations(page, screen)).filter((finding) => finding.impact === "serious" || finding.impact === "critical");
}
