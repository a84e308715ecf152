/**
 * Replays logged sessions as an experiment read by the admin page: sessions in time order, each
 * viewer's cumulative outcome (plays out of impressions: the PLAY_RATE primary metric, per viewer
 * as experiments/statistics.ts wants), and a look every `peekEvery` sessions with the mSPRT
 * always-valid p-value (and, for contrast, the fixed-horizon p-value that peeking inflates).
 * The A/A proof re-randomises the same logged sessions with new salts; the A/B proof replays
 * them with the arms they were really served.
 */
import { assignArm } from "../experiments/assignment";
import { addOutcome, compare, emptyMoments, removeOutcome, SequentialTest, summarise, type Comparison, type RatioMoments } from "../experiments/statistics";

/** One page view: what the viewer was shown and what it played from it. */
export interface LoggedSession {
  readonly profileId: string;
  /** Served at (ms); sessions are replayed in this order. */
  readonly at: number;
  readonly impressions: number;
  readonly plays: number;
}

export interface ReplayOptions {
  /** Sessions between looks (the admin page's refresh, in sessions). */
  readonly peekEvery: number;
  /** Declare a difference the first time the always-valid p-value is <= alpha. */
  readonly alpha: number;
  /** mSPRT mixture scale in the metric's units (default statistics.ts's). */
  readonly tau?: number;
}

export interface Look {
  readonly sessions: number;
  readonly comparison: Comparison;
  /** Always-valid p-value so far (running minimum over looks). */
  readonly sequentialP: number;
}

export interface ReplayResult {
  readonly looks: readonly Look[];
  /** Sessions at the first look whose always-valid p <= alpha (null: never). */
  readonly declaredAt: number | null;
  /** Sessions at the first look whose fixed-horizon p <= alpha (what naive peeking declares). */
  readonly naiveDeclaredAt: number | null;
  /** Treatment (arm 1) against control (arm 0) over all sessions. */
  readonly final: Comparison;
}

/** Arm 0 (control), 1 (treatment), or null (not in the experiment). */
export type ArmOf = (profileId: string) => 0 | 1 | null;

/** The server's own assignment (experiments/assignment.ts) for two equal arms over all traffic. */
export function hashedHalf(salt: string): ArmOf {
  return (profileId) => (assignArm(salt, profileId, 100, [50, 50]) === 0 ? 0 : 1);
}

export function replayExperiment(sessions: readonly LoggedSession[], armOf: ArmOf, options: ReplayOptions): ReplayResult {
  if (!(options.peekEvery >= 1) || !Number.isInteger(options.peekEvery)) throw new RangeError(`peekEvery must be a positive integer, got ${options.peekEvery}`);
  const moments: [RatioMoments, RatioMoments] = [emptyMoments(), emptyMoments()];
  const viewers = new Map<string, { arm: 0 | 1; x: number; y: number }>();
  const test = new SequentialTest();
  const looks: Look[] = [];
  let declaredAt: number | null = null;
  let naiveDeclaredAt: number | null = null;
  let counted = 0;
  const now = () => compare(summarise(moments[1]), summarise(moments[0]), { tau: options.tau });
  for (const s of sessions) {
    let v = viewers.get(s.profileId);
    if (!v) {
      const arm = armOf(s.profileId);
      if (arm === null) continue;
      viewers.set(s.profileId, (v = { arm, x: 0, y: 0 }));
    }
    counted++;
    if (v.y > 0) removeOutcome(moments[v.arm], v.x, v.y);
    v.x += s.plays;
    v.y += s.impressions;
    if (v.y > 0) addOutcome(moments[v.arm], v.x, v.y);
    if (counted % options.peekEvery === 0) {
      const comparison = now();
      const sequentialP = test.look(comparison);
      looks.push({ sessions: counted, comparison, sequentialP });
      if (declaredAt === null && sequentialP <= options.alpha) declaredAt = counted;
      if (naiveDeclaredAt === null && comparison.pValue <= options.alpha) naiveDeclaredAt = counted;
    }
  }
  return { looks, declaredAt, naiveDeclaredAt, final: now() };
}

export interface AaResult {
  readonly replications: number;
  /** Replications whose always-valid p-value ever reached alpha. */
  readonly declared: number;
  /** Replications whose fixed-horizon p-value ever reached alpha at a look (naive peeking). */
  readonly naiveDeclared: number;
  readonly looksPerReplication: number;
}

/** A/A: the same logged sessions split `replications` times by the assignment hash with salts `${saltPrefix}${r}`. */
export function aaReplications(sessions: readonly LoggedSession[], replications: number, options: ReplayOptions, saltPrefix = "aa-"): AaResult {
  let declared = 0;
  let naiveDeclared = 0;
  let looks = 0;
  for (let r = 0; r < replications; r++) {
    const result = replayExperiment(sessions, hashedHalf(`${saltPrefix}${r}`), options);
    if (result.declaredAt !== null) declared++;
    if (result.naiveDeclaredAt !== null) naiveDeclared++;
    looks = result.looks.length;
  }
  return { replications, declared, naiveDeclared, looksPerReplication: looks };
}
