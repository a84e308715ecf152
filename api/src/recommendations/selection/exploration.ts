import { thompsonSlots } from "../../engine/bandits/thompson";
import type { Random } from "../../engine/synthetic/random";
import type { TitleRates } from "../../impressions/title-stats";
import type { Candidate } from "../candidates/candidate";
import { coldCandidates } from "../candidates/cold-titles.source";
import type { Eligible } from "../filters/eligibility";
import type { ScoringContext } from "../home-request";

/** How Top picks explore (RowSettings.explorationRate and these). */
export interface ExplorationSettings {
  /** Share of Top picks' slots given to exploration (0 = off). */
  readonly rate: number;
  /** Monte Carlo rounds estimating each explored slot's propensity (standard error <= 0.5 / sqrt(samples + 1)). */
  readonly samples: number;
  /** Strength, in impressions, of the prior every title's click rate starts from (the rate over all titles). */
  readonly priorImpressions: number;
  /** Most titles that compete for the explored slots. */
  readonly candidates: number;
}

/** The slots, evenly spread, that `k` explored titles take in a row of `n`. */
export function exploredPositions(n: number, k: number): number[] {
  return Array.from({ length: k }, (_, j) => Math.floor(((j + 1) * n) / (k + 1)));
}

/**
 * Exploration in Top picks: a share of the row's slots go to titles the engine is unsure about
 * (few impressions yet: new titles, deeper ones of the viewer's pool, never-watched ones of the
 * viewer's genres), chosen by Thompson sampling over each title's click-rate posterior
 * Beta(prior + clicks, prior + impressions - clicks). Each explored title carries the propensity
 * of its slot (estimated by Monte Carlo); every other title keeps the greedy order (propensity 1).
 */
export function exploreRow(
  ctx: ScoringContext,
  pool: readonly Candidate[],
  eligible: Eligible,
  n: number,
  settings: ExplorationSettings,
  rates: TitleRates,
  random: Random,
): Candidate[] {
  const k = Math.floor(settings.rate * n);
  const greedy: Candidate[] = [];
  for (const c of pool) {
    if (greedy.length === n) break;
    if (eligible(c.movieId)) greedy.push(c);
  }
  if (k === 0) return greedy;
  const fixed = greedy.slice(0, n - k);
  const taken = new Set(fixed.map((c) => c.movieId));
  const open: Eligible = (id) => eligible(id) && !taken.has(id);

  // Who competes: the rest of the viewer's pool, never-watched titles of its genres, the newest titles.
  const rivals: Candidate[] = [];
  const seen = new Set<number>();
  const offer = (c: Candidate) => {
    if (rivals.length >= settings.candidates || seen.has(c.movieId) || !open(c.movieId)) return;
    seen.add(c.movieId);
    rivals.push(c);
  };
  const { catalog, viewer } = ctx;
  const share = Math.ceil(settings.candidates / 3);
  for (const c of coldCandidates(viewer, catalog, share, open)) offer(c);
  for (const p of catalog.newest(share)) if (rivals.length < 2 * share) offer({ movieId: catalog.movieAt(p).id, score: 0, index: ctx.model.indexOf(catalog.movieAt(p).id) });
  for (const c of pool) {
    if (rivals.length >= settings.candidates) break;
    offer(c);
  }

  const prior = settings.priorImpressions;
  const alpha = new Float64Array(rivals.length);
  const beta = new Float64Array(rivals.length);
  rivals.forEach((c, i) => {
    const shown = rates.impressions(c.movieId);
    const clicks = Math.min(shown, rates.clicks(c.movieId));
    alpha[i] = prior * rates.ctr + clicks + 1e-3;
    beta[i] = prior * (1 - rates.ctr) + (shown - clicks) + 1e-3;
  });
  const { chosen, propensity } = thompsonSlots(alpha, beta, k, random, settings.samples);
  const explored = Array.from(chosen, (i, j) => ({ ...rivals[i], propensity: propensity[j] }));

  // The greedy titles in order, the explored ones at their spread slots (greedy ones fill any left).
  const row: Candidate[] = [];
  const at = new Set(exploredPositions(n, explored.length));
  let g = 0;
  let e = 0;
  const filler = greedy.slice(n - k).filter((c) => !explored.some((x) => x.movieId === c.movieId));
  const rest = [...fixed, ...filler];
  while (row.length < n && (g < rest.length || e < explored.length)) {
    if (at.has(row.length) && e < explored.length) row.push(explored[e++]);
    else if (g < rest.length) row.push(rest[g++]);
    else row.push(explored[e++]);
  }
  return row;
}
