import type { CsrMatrix } from "../matrix/csr-matrix";

/**
 * Ranking metrics exactly as ../shared/splits/golden/README.md defines them. Pure functions over
 * integer ids: the caller maps external ids once (see split.ts).
 */
export interface RankingTruth {
  /** Size of the item id space used by `train`, `test` and the lists. */
  readonly nItems: number;
  /** Rows = users: the titles each user has in train (removed from that user's list). */
  readonly train: CsrMatrix;
  /** Rows = users: the relevant test titles. Evaluated users are the rows with >= 1 entry. */
  readonly test: CsrMatrix;
  /** Per item: 1 when it occurs in train (Coverage@10 counts only those). */
  readonly inTrain: Uint8Array;
  readonly userIds?: readonly string[];
  readonly itemIds?: readonly string[];
}

/** Per-user ranked lists, best first: user u's list is items[indptr[u] .. indptr[u+1]). */
export interface RankedLists {
  readonly indptr: Int32Array;
  readonly items: Int32Array;
}

export const METRIC_NAMES = [
  "Precision@10",
  "Recall@10",
  "Recall@20",
  "NDCG@10",
  "NDCG@20",
  "MAP@10",
  "HitRate@10",
  "Coverage@10",
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];
export type MetricValues = Record<MetricName, number>;

export interface MetricReport {
  readonly metrics: MetricValues;
  readonly nEvalUsers: number;
  /** Evaluated users whose list is empty (absent, or everything removed). */
  readonly nUsersWithoutRecs: number;
  /** Evaluated users whose cleaned list is shorter than 20, the largest K (empty lists included). */
  readonly nUsersWithShortLists: number;
}

/**
 * Lists from (user, item, rank) rows in input order: sorted by rank per user, ties keeping
 * input order (a stable sort).
 */
export function listsFromRankedRows(nUsers: number, users: Int32Array, items: Int32Array, ranks: Float64Array): RankedLists {
  const n = users.length;
  const indptr = new Int32Array(nUsers + 1);
  for (let i = 0; i < n; i++) indptr[users[i] + 1]++;
  for (let u = 0; u < nUsers; u++) indptr[u + 1] += indptr[u];
  const cursor = indptr.slice(0, nUsers);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[cursor[users[i]]++] = i;
  for (let u = 0; u < nUsers; u++) {
    order.subarray(indptr[u], indptr[u + 1]).sort((a, b) => ranks[a] - ranks[b] || a - b);
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = items[order[i]];
  return { indptr, items: out };
}

/**
 * The list rule: train items removed, duplicates removed (first kept), cut to `k`. Writes into
 * `out` (length >= k) and returns the cleaned length. `mark` is a scratch array of nItems
 * zeros, returned zeroed.
 */
export function cleanList(truth: RankingTruth, lists: RankedLists, user: number, k: number, out: Int32Array, mark: Uint8Array): number {
  const { train } = truth;
  let n = 0;
  if (user < lists.indptr.length - 1) {
    const tStart = train.indptr[user];
    const tEnd = train.indptr[user + 1];
    for (let p = lists.indptr[user]; p < lists.indptr[user + 1] && n < k; p++) {
      const item = lists.items[p];
      if (mark[item]) continue;
      if (sortedContains(train.indices, tStart, tEnd, item)) continue;
      mark[item] = 1;
      out[n++] = item;
    }
  }
  for (let i = 0; i < n; i++) mark[out[i]] = 0;
  return n;
}

function sortedContains(a: Int32Array, lo: number, hi: number, x: number): boolean {
  hi--;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = a[mid];
    if (v === x) return true;
    if (v < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** All metrics of METRIC_NAMES, averaged over evaluated users. */
export function rankingMetrics(truth: RankingTruth, lists: RankedLists): MetricReport {
  const K = 20;
  const list = new Int32Array(K);
  const mark = new Uint8Array(truth.nItems);
  const relevant = new Uint8Array(truth.nItems);
  const covered = new Uint8Array(truth.nItems);
  const sums = { p10: 0, r10: 0, r20: 0, n10: 0, n20: 0, map10: 0, hr10: 0 };
  let nEval = 0;
  let noRecs = 0;
  let short = 0;
  const { test } = truth;
  for (let u = 0; u < test.nRows; u++) {
    const tStart = test.indptr[u];
    const tEnd = test.indptr[u + 1];
    const nT = tEnd - tStart;
    if (nT === 0) continue;
    nEval++;
    for (let p = tStart; p < tEnd; p++) relevant[test.indices[p]] = 1;
    const len = cleanList(truth, lists, u, K, list, mark);
    if (len === 0) noRecs++;
    if (len < K) short++;
    let hits = 0;
    let dcg = 0;
    let apSum = 0;
    for (let r = 0; r < len; r++) {
      const item = list[r];
      if (r < 10 && truth.inTrain[item]) covered[item] = 1;
      if (relevant[item]) {
        hits++;
        dcg += 1 / Math.log2(r + 2);
        if (r < 10) apSum += hits / (r + 1);
      }
      if (r === 9) {
        sums.p10 += hits / 10;
        sums.r10 += hits / nT;
        sums.n10 += dcg / idealDcg(Math.min(10, nT));
        sums.hr10 += hits > 0 ? 1 : 0;
      }
    }
    if (len < 10) {
      sums.p10 += hits / 10;
      sums.r10 += hits / nT;
      sums.n10 += dcg / idealDcg(Math.min(10, nT));
      sums.hr10 += hits > 0 ? 1 : 0;
    }
    sums.r20 += hits / nT;
    sums.n20 += dcg / idealDcg(Math.min(20, nT));
    sums.map10 += apSum / Math.min(10, nT);
    for (let p = tStart; p < tEnd; p++) relevant[test.indices[p]] = 0;
  }
  let trainItems = 0;
  let coveredItems = 0;
  for (let i = 0; i < truth.nItems; i++) {
    trainItems += truth.inTrain[i];
    coveredItems += covered[i];
  }
  const mean = (s: number) => (nEval === 0 ? 0 : s / nEval);
  return {
    metrics: {
      "Precision@10": mean(sums.p10),
      "Recall@10": mean(sums.r10),
      "Recall@20": mean(sums.r20),
      "NDCG@10": mean(sums.n10),
      "NDCG@20": mean(sums.n20),
      "MAP@10": mean(sums.map10),
      "HitRate@10": mean(sums.hr10),
      "Coverage@10": trainItems === 0 ? 0 : coveredItems / trainItems,
    },
    nEvalUsers: nEval,
    nUsersWithoutRecs: noRecs,
    nUsersWithShortLists: short,
  };
}

/** Mean NDCG@K for K = 1..maxK (index K-1), same list rules. */
export function ndcgCurve(truth: RankingTruth, lists: RankedLists, maxK: number): Float64Array {
  const list = new Int32Array(maxK);
  const mark = new Uint8Array(truth.nItems);
  const relevant = new Uint8Array(truth.nItems);
  const sums = new Float64Array(maxK);
  const dcgAt = new Float64Array(maxK);
  let nEval = 0;
  const { test } = truth;
  for (let u = 0; u < test.nRows; u++) {
    const tStart = test.indptr[u];
    const tEnd = test.indptr[u + 1];
    const nT = tEnd - tStart;
    if (nT === 0) continue;
    nEval++;
    for (let p = tStart; p < tEnd; p++) relevant[test.indices[p]] = 1;
    const len = cleanList(truth, lists, u, maxK, list, mark);
    let dcg = 0;
    for (let r = 0; r < maxK; r++) {
      if (r < len && relevant[list[r]]) dcg += 1 / Math.log2(r + 2);
      dcgAt[r] = dcg;
    }
    for (let k = 1; k <= maxK; k++) sums[k - 1] += dcgAt[k - 1] / idealDcg(Math.min(k, nT));
    for (let p = tStart; p < tEnd; p++) relevant[test.indices[p]] = 0;
  }
  for (let k = 0; k < maxK; k++) sums[k] = nEval === 0 ? 0 : sums[k] / nEval;
  return sums;
}

const idealCache: number[] = [0];
function idealDcg(n: number): number {
  while (idealCache.length <= n) {
    const r = idealCache.length - 1;
    idealCache.push(idealCache[r] + 1 / Math.log2(r + 2));
  }
  return idealCache[n];
}

/** Per evaluated viewer (users with >= 1 test row, ascending), the metrics a paired comparison needs. */
export interface PerUserMetrics {
  readonly users: Int32Array;
  readonly ndcg10: Float64Array;
  readonly recall20: Float64Array;
}

/** NDCG@10 and Recall@20 per evaluated viewer, with exactly rankingMetrics' list rules (their means are its figures). */
export function perUserMetrics(truth: RankingTruth, lists: RankedLists): PerUserMetrics {
  const K = 20;
  const list = new Int32Array(K);
  const mark = new Uint8Array(truth.nItems);
  const relevant = new Uint8Array(truth.nItems);
  const { test } = truth;
  const users: number[] = [];
  const ndcg: number[] = [];
  const recall: number[] = [];
  for (let u = 0; u < test.nRows; u++) {
    const tStart = test.indptr[u];
    const tEnd = test.indptr[u + 1];
    const nT = tEnd - tStart;
    if (nT === 0) continue;
    for (let p = tStart; p < tEnd; p++) relevant[test.indices[p]] = 1;
    const len = cleanList(truth, lists, u, K, list, mark);
    let hits = 0;
    let dcg10 = 0;
    for (let r = 0; r < len; r++) {
      if (!relevant[list[r]]) continue;
      hits++;
      if (r < 10) dcg10 += 1 / Math.log2(r + 2);
    }
    users.push(u);
    ndcg.push(dcg10 / idealDcg(Math.min(10, nT)));
    recall.push(hits / nT);
    for (let p = tStart; p < tEnd; p++) relevant[test.indices[p]] = 0;
  }
  return { users: Int32Array.from(users), ndcg10: Float64Array.from(ndcg), recall20: Float64Array.from(recall) };
}
