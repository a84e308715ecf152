import { existsSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { seededRandom } from "./evaluate";
import { perUserMetrics, rankingMetrics, type MetricValues, type PerUserMetrics, type RankedLists, type RankingTruth } from "./metrics";
import { readRecommendationsCsv } from "./split";

/**
 * Paired comparisons on the test viewers: a model's per-viewer NDCG@10 / Recall@20 against the
 * same viewers' figures of a reference system's lists (e.g. shared/splits/<name>/reference-recs,
 * the top-20 lists of tuned ALS and EASE), with a paired bootstrap over viewers for the 95 %
 * interval of the mean difference. On ~1,000 viewers an aggregate gap of 1-3 % is noise; the
 * interval says whether it is real (it excludes 0).
 */
export interface ReferenceSystem {
  readonly name: string;
  readonly metrics: MetricValues;
  readonly perUser: PerUserMetrics;
}

/** Each `<dir>/*.csv` (user,item,rank) scored against `truth` (the test split's), by file name. */
export function loadReferences(dir: string, truth: RankingTruth): ReferenceSystem[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith(".csv"))
    .sort()
    .map((f) => {
      const { truth: widened, lists } = readRecommendationsCsv(join(dir, f), truth);
      return { name: basename(f, ".csv"), metrics: rankingMetrics(widened, lists).metrics, perUser: perUserMetrics(widened, lists) };
    });
}

export interface PairedInterval {
  readonly metric: "NDCG@10" | "Recall@20";
  readonly reference: string;
  readonly model: number;
  readonly referenceValue: number;
  /** Mean over viewers of (model - reference). */
  readonly difference: number;
  /** The difference relative to the reference's mean. */
  readonly relative: number;
  readonly low: number;
  readonly high: number;
  readonly resamples: number;
  readonly viewers: number;
}

/**
 * The percentile interval (2.5 %, 97.5 %) of the mean paired difference a - b over `resamples`
 * bootstrap resamples of the viewers (seeded: the same inputs give the same interval).
 */
export function pairedBootstrap(a: Float64Array, b: Float64Array, resamples = 10_000, seed = 42): { difference: number; low: number; high: number } {
  if (a.length !== b.length) throw new RangeError(`paired samples differ in length: ${a.length} and ${b.length}`);
  const n = a.length;
  if (n === 0) return { difference: 0, low: 0, high: 0 };
  const d = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += d[i] = a[i] - b[i];
  const rand = seededRandom(seed);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += d[Math.floor(rand() * n)];
    means[r] = s / n;
  }
  means.sort();
  const at = (q: number) => means[Math.min(resamples - 1, Math.max(0, Math.round(q * (resamples - 1))))];
  return { difference: sum / n, low: at(0.025), high: at(0.975) };
}

/**
 * The model's paired intervals against the best reference per metric (the reference with the
 * highest mean of that metric on these viewers).
 */
export function compareWithReferences(truth: RankingTruth, lists: RankedLists, references: readonly ReferenceSystem[], resamples = 10_000, seed = 42): PairedInterval[] {
  if (references.length === 0) return [];
  const mine = perUserMetrics(truth, lists);
  const out: PairedInterval[] = [];
  for (const metric of ["NDCG@10", "Recall@20"] as const) {
    const best = references.reduce((x, y) => (y.metrics[metric] > x.metrics[metric] ? y : x));
    if (best.perUser.users.length !== mine.users.length || best.perUser.users.some((u, i) => u !== mine.users[i])) {
      throw new RangeError(`reference ${best.name} was scored on other viewers than the model; score both against the same test split`);
    }
    const pick = (m: PerUserMetrics) => (metric === "NDCG@10" ? m.ndcg10 : m.recall20);
    const a = pick(mine);
    const b = pick(best.perUser);
    const { difference, low, high } = pairedBootstrap(a, b, resamples, seed);
    const mean = (x: Float64Array) => x.reduce((s, v) => s + v, 0) / Math.max(1, x.length);
    const referenceValue = mean(b);
    out.push({ metric, reference: best.name, model: mean(a), referenceValue, difference, relative: referenceValue > 0 ? difference / referenceValue : 0, low, high, resamples, viewers: a.length });
  }
  return out;
}
