/**
 * A simulated audience driving a running Marquee over HTTP (`npm run simulate:live`): viewers
 * with the hidden tastes of the seeded history open Home, look at some cards (examination model),
 * log impressions for those, open, play, finish, skip or close titles as their hidden affinity
 * says (the generator's response model), thumbs now and then, and come back later. Bounded by a
 * wall-clock limit and a visit count; per arm it knows the true value of what it was served.
 */
import { Random } from "../engine/synthetic/random";
import { MarqueeRequestError, type MarqueeClient } from "./marquee-client";
import type { SimulatedAudience } from "./simulated-audience.repository";
import { planVisit, type ExaminationModel } from "./viewer-session";

export interface LiveAudienceOptions {
  /** Viewers taking part (a seeded sample of those with a profile). */
  readonly viewers: number;
  /** Wall-clock limit of the run. */
  readonly minutes: number;
  /** Most visits in all (default: unbounded, the time limit ends the run). */
  readonly visits?: number;
  /** Seed of the viewers' behaviour (their tastes come from the audience's own seed). */
  readonly seed: number;
  /** Visits in flight at once (default 4). */
  readonly concurrency?: number;
  /** Simulated seconds per real second for what happens after a card is seen (default 60). */
  readonly timeScale?: number;
  /** Mean real seconds before a viewer comes back (default: a quarter of the run). */
  readonly returnSeconds?: number;
  readonly examination?: ExaminationModel;
  /** Only viewers whose profile passes take part (e.g. one arm's, when each arm has its own server). */
  readonly include?: (profileId: string) => boolean;
  /** The arm a profile is in (default: everyone in "all"). */
  readonly armOf?: (profileId: string) => string;
  /** Makes the client event ids of this run unique (default: the start time). */
  readonly runId?: string;
  /** After each visit (progress, logging of per-visit outcomes). */
  readonly onVisit?: (visit: VisitRecord) => void;
  /** Ends the run early when it returns true (checked between visits). */
  readonly stop?: () => boolean;
}

export interface VisitRecord {
  readonly viewer: number;
  readonly profileId: string;
  readonly arm: string;
  readonly at: Date;
  readonly impressions: number;
  readonly clicks: number;
  readonly plays: number;
  readonly watchedFull: number;
  readonly events: number;
  /** Mean hidden affinity of the first 10 titles of Top picks (NaN: an empty page). */
  readonly top10Utility: number;
  /** The served page, movie ids per row kind (for curves such as when a title reaches the top rows). */
  readonly rows: readonly { kind: string; movieIds: readonly string[] }[];
}

export interface ArmSummary {
  readonly arm: string;
  readonly visits: number;
  readonly viewers: number;
  readonly visitsWithPlay: number;
  /** True value served: mean over visits of the top-10 mean hidden affinity. */
  readonly meanTop10Utility: number;
  readonly impressions: number;
  readonly clicks: number;
  readonly plays: number;
  readonly watchedFull: number;
}

export interface LiveAudienceResult {
  readonly startedAt: Date;
  readonly endedAt: Date;
  readonly visits: number;
  /** Visits that failed on a request (counted, not retried; the viewer comes back later). */
  readonly failedVisits: number;
  readonly firstError?: string;
  readonly arms: readonly ArmSummary[];
}

/** Behaviour streams, far from the generator's viewer streams (16 + viewer). */
const BEHAVIOUR_STREAM = 0x40000000;
const SAMPLE_STREAM = 0x3fffffff;

class DueHeap {
  private readonly at: number[] = [];
  private readonly viewer: number[] = [];

  get size(): number {
    return this.at.length;
  }

  peek(): number {
    return this.at[0];
  }

  push(at: number, viewer: number): void {
    this.at.push(at);
    this.viewer.push(viewer);
    let i = this.at.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.at[parent] <= this.at[i]) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): number {
    const viewer = this.viewer[0];
    const lastAt = this.at.pop()!;
    const lastViewer = this.viewer.pop()!;
    if (this.at.length > 0) {
      this.at[0] = lastAt;
      this.viewer[0] = lastViewer;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.at.length && this.at[l] < this.at[m]) m = l;
        if (r < this.at.length && this.at[r] < this.at[m]) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return viewer;
  }

  private swap(i: number, j: number): void {
    [this.at[i], this.at[j]] = [this.at[j], this.at[i]];
    [this.viewer[i], this.viewer[j]] = [this.viewer[j], this.viewer[i]];
  }
}

/** A seeded sample of `n` viewers that have a profile (and pass `include`). */
export function sampleViewers(audience: SimulatedAudience, n: number, seed: number, include: (profileId: string) => boolean = () => true): number[] {
  const order = new Random(seed, SAMPLE_STREAM).permutation(audience.profileIds.length);
  const chosen: number[] = [];
  for (const u of order) {
    if (chosen.length === n) break;
    const profileId = audience.profileIds[u];
    if (profileId !== undefined && include(profileId)) chosen.push(u);
  }
  return chosen;
}

export async function runLiveAudience(client: MarqueeClient, audience: SimulatedAudience, options: LiveAudienceOptions): Promise<LiveAudienceResult> {
  for (const [name, value] of [["viewers", options.viewers], ["minutes", options.minutes]] as const) {
    if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`--${name} must be a positive number, got ${value}`);
  }
  const concurrency = options.concurrency ?? 4;
  const timeScale = options.timeScale ?? 60;
  const returnMs = (options.returnSeconds ?? (options.minutes * 60) / 4) * 1000;
  const maxVisits = options.visits ?? Number.POSITIVE_INFINITY;
  const armOf = options.armOf ?? (() => "all");
  const startedAt = new Date();
  const runId = options.runId ?? `sim-live:${startedAt.getTime().toString(36)}`;
  const deadline = startedAt.getTime() + options.minutes * 60_000;
  const viewers = sampleViewers(audience, options.viewers, options.seed, options.include);
  if (viewers.length === 0) throw new RangeError("The audience has no viewer with a profile");

  const due = new DueHeap();
  const schedule = new Random(options.seed, SAMPLE_STREAM - 1);
  for (const u of viewers) due.push(startedAt.getTime() + schedule.float() * Math.min(returnMs, options.minutes * 60_000), u);
  const rngs = new Map<number, Random>();
  const tokens = new Map<number, string>();
  const visitCount = new Map<number, number>();
  const arms = new Map<string, { visits: number; viewers: Set<number>; withPlay: number; utility: number; utilityN: number; impressions: number; clicks: number; plays: number; watchedFull: number }>();
  let started = 0;
  let finished = 0;
  let failed = 0;
  let firstError: string | undefined;

  const visit = async (u: number): Promise<number> => {
    const profileId = audience.profileIds[u]!;
    let rng = rngs.get(u);
    if (!rng) rngs.set(u, (rng = new Random(options.seed, BEHAVIOUR_STREAM + u)));
    const n = (visitCount.get(u) ?? 0) + 1;
    visitCount.set(u, n);
    // "Who's watching?" once per viewer; the token is kept for its later visits, as the cookie is.
    let token = tokens.get(u);
    if (!token) tokens.set(u, (token = await client.selectProfile(profileId)));
    const rows = await client.home(profileId, token);
    const now = new Date();
    const plan = planVisit(rng, rows, audience.tastes.viewer(u), (id) => audience.titleIndex.get(id), now, { timeScale, idPrefix: `${runId}:${u}:${n}`, examination: options.examination });
    // As the web client does: impressions first (an event must follow its impression), then events.
    if (plan.impressions.length > 0) await client.logImpressions(plan.impressions, token);
    if (plan.events.length > 0) await client.logInteractions(plan.events, token);
    const arm = armOf(profileId);
    let s = arms.get(arm);
    if (!s) arms.set(arm, (s = { visits: 0, viewers: new Set(), withPlay: 0, utility: 0, utilityN: 0, impressions: 0, clicks: 0, plays: 0, watchedFull: 0 }));
    s.visits++;
    s.viewers.add(u);
    if (plan.plays > 0) s.withPlay++;
    if (!Number.isNaN(plan.top10Utility)) {
      s.utility += plan.top10Utility;
      s.utilityN++;
    }
    s.impressions += plan.impressions.length;
    s.clicks += plan.clicks;
    s.plays += plan.plays;
    s.watchedFull += plan.watchedFull;
    options.onVisit?.({
      viewer: u,
      profileId,
      arm,
      at: now,
      impressions: plan.impressions.length,
      clicks: plan.clicks,
      plays: plan.plays,
      watchedFull: plan.watchedFull,
      events: plan.events.length,
      top10Utility: plan.top10Utility,
      rows: rows.map((r) => ({ kind: r.kind, movieIds: r.items.map((i) => i.movieId) })),
    });
    return plan.endsAt.getTime();
  };

  const worker = async () => {
    while (started < maxVisits && due.size > 0 && !options.stop?.()) {
      const at = due.peek();
      const now = Date.now();
      if (at >= deadline || now >= deadline) return;
      if (at > now) {
        await new Promise((resolve) => setTimeout(resolve, Math.min(at - now, 250)));
        continue;
      }
      const u = due.pop();
      started++;
      let endsAt = Date.now();
      try {
        endsAt = await visit(u);
        finished++;
      } catch (error) {
        failed++;
        firstError ??= error instanceof Error ? error.message : String(error);
        if (error instanceof MarqueeRequestError && error.code === "UNAUTHENTICATED") tokens.delete(u);
      }
      // It comes back later: after what it watched, plus an exponential gap.
      due.push(Math.max(endsAt, Date.now()) + returnMs * -Math.log(1 - schedule.float()), u);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));

  return {
    startedAt,
    endedAt: new Date(),
    visits: finished,
    failedVisits: failed,
    firstError,
    arms: [...arms.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([arm, s]) => ({
        arm,
        visits: s.visits,
        viewers: s.viewers.size,
        visitsWithPlay: s.withPlay,
        meanTop10Utility: s.utilityN > 0 ? s.utility / s.utilityN : NaN,
        impressions: s.impressions,
        clicks: s.clicks,
        plays: s.plays,
        watchedFull: s.watchedFull,
      })),
  };
}
