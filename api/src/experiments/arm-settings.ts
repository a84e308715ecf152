import { DEFAULT_ROW_SETTINGS, type RowSettings } from "../recommendations/row-settings";

/** Rates that must stay within 0..1. */
const SHARES = new Set<string>(["explorationRate", "closedEarlyBelow", "closedEarlyFactor", "dislikePenalty", "coldTitleWeight"]);
/** Counts. */
const WHOLE = new Set<string>(["rowSize", "becauseYouWatchedRows", "genreRows", "discountShows", "explorationSamples", "explorationCandidates"]);

/**
 * An arm's `settings` as row-setting overrides, or the reason they are not: every key must be a
 * RowSettings knob (see row-settings.ts) with a value of its type (numbers finite and >= 0,
 * shares within 0..1, counts whole).
 */
export function parseArmSettings(raw: Record<string, unknown> | null | undefined): { settings: Partial<RowSettings> } | { error: string } {
  const settings: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw ?? {})) {
    if (!(key in DEFAULT_ROW_SETTINGS)) return { error: `"${key}" is not a row setting (known: ${Object.keys(DEFAULT_ROW_SETTINGS).join(", ")})` };
    const fallback = DEFAULT_ROW_SETTINGS[key as keyof RowSettings];
    if (typeof value !== typeof fallback) return { error: `"${key}" must be a ${typeof fallback}` };
    if (typeof value === "number") {
      if (!Number.isFinite(value) || value < 0) return { error: `"${key}" must be a finite number >= 0` };
      if (SHARES.has(key) && value > 1) return { error: `"${key}" is a share: between 0 and 1` };
      if (WHOLE.has(key) && !Number.isInteger(value)) return { error: `"${key}" must be a whole number` };
      if (key === "rowSize" && (value < 1 || value > 100)) return { error: `"rowSize" must be between 1 and 100` };
    }
    settings[key] = value;
  }
  return { settings: settings as Partial<RowSettings> };
}
