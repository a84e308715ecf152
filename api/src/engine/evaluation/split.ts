import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { fromCoo, type CsrMatrix } from "../matrix/csr-matrix";
import { fromCooWithTimes } from "../matrix/build";
import { IdIndex } from "../matrix/id-index";
import type { InteractionMatrix } from "../matrix/interaction-matrix";
import { CsvFormatError, forEachRow, parseNumber, readCsv } from "./csv";
import { listsFromRankedRows, type RankedLists, type RankingTruth } from "./metrics";

export const INTERACTION_HEADER = ["user", "item", "weight", "timestamp"] as const;

/** One interactions CSV as columns; ids are interned in the given dictionaries. */
export interface InteractionColumns {
  readonly length: number;
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly weights: Float32Array;
  readonly timestamps: Float64Array;
}

/** Reads `user,item,weight,timestamp` rows, adding unseen ids to `users`/`items`. */
export function readInteractionsCsv(path: string, users: IdIndex, items: IdIndex): InteractionColumns {
  const { text, bodyStart } = readCsv(path, INTERACTION_HEADER);
  let capacity = Math.max(16, Math.ceil((text.length - bodyStart) / 16));
  let u = new Int32Array(capacity);
  let it = new Int32Array(capacity);
  let w = new Float32Array(capacity);
  let ts = new Float64Array(capacity);
  let n = 0;
  forEachRow(path, text, bodyStart, 4, (f, line) => {
    if (n === capacity) {
      capacity *= 2;
      u = grow(u, new Int32Array(capacity));
      it = grow(it, new Int32Array(capacity));
      w = grow(w, new Float32Array(capacity));
      ts = grow(ts, new Float64Array(capacity));
    }
    if (f[0] === "" || f[1] === "") throw new CsvFormatError(`${path}:${line}: user and item must not be empty`);
    u[n] = users.add(f[0]);
    it[n] = items.add(f[1]);
    w[n] = parseNumber(path, line, "weight", f[2]);
    ts[n] = f[3] === "" ? 0 : parseNumber(path, line, "timestamp", f[3]);
    n++;
  });
  return { length: n, users: u.subarray(0, n), items: it.subarray(0, n), weights: w.subarray(0, n), timestamps: ts.subarray(0, n) };
}

function grow<T extends Int32Array | Float32Array | Float64Array>(old: T, next: T): T {
  next.set(old);
  return next;
}

/** How train weights reach the models. The split protocol is binary: every row a positive. */
export type WeightMode = "binary" | "raw";

/**
 * A train/test pair in one id space. `train` is what models are fitted on (titles = items seen
 * in the train file; viewers = every viewer of either file, test-only viewers with empty rows).
 * `truth` indexes test items too: a test title never seen in train gets an index >= the train
 * title count, so it can be counted in |T| but never hit.
 */
export interface RankingSplit {
  readonly train: InteractionMatrix;
  readonly truth: RankingTruth;
}

/** Loads `<trainPath>` and `<testPath>` under the protocol of ../shared/splits/<name>/README.md. */
export function loadSplitFiles(trainPath: string, testPath: string, weights: WeightMode = "binary"): RankingSplit {
  const users = new IdIndex();
  const trainItems = new IdIndex();
  const train = readInteractionsCsv(trainPath, users, trainItems);
  const nTrainItems = trainItems.size;
  // Test titles share the dictionary after the train ones, so train indices are unchanged.
  const allItems = IdIndex.from(trainItems.toArray());
  const test = readInteractionsCsv(testPath, users, allItems);
  const nUsers = users.size;

  // Only positive rows are positives: a non-positive weight (a dislike) is never one.
  const trainValues = new Float32Array(train.length);
  for (let i = 0; i < train.length; i++) {
    const wgt = train.weights[i];
    trainValues[i] = weights === "binary" ? (wgt > 0 ? 1 : wgt < 0 ? -1 : 0) : wgt;
  }
  const built = fromCooWithTimes(nUsers, nTrainItems, train.users, train.items, trainValues, train.timestamps);
  if (weights === "binary") clampBinary(built.matrix);

  const ones = new Float32Array(train.length).fill(1);
  const seen = fromCoo(nUsers, allItems.size, train.users, train.items, ones);
  // The protocol counts every test row as relevant (binary relevance, each title once).
  const relevant = fromCoo(nUsers, allItems.size, test.users, test.items, new Float32Array(test.length).fill(1));
  const inTrain = new Uint8Array(allItems.size);
  inTrain.fill(1, 0, nTrainItems);

  return {
    train: { users, items: trainItems, scores: built.matrix, lastEventAt: built.times },
    truth: { nItems: allItems.size, train: seen, test: binarize(relevant), inTrain, userIds: users.toArray(), itemIds: allItems.toArray() },
  };
}

/** Loads `<dir>/train.csv` + `<dir>/test.csv` (the final split) or `<dir>/val/...` (tuning). */
export function loadSplit(dir: string, part: "test" | "val", weights: WeightMode = "binary"): RankingSplit {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new CsvFormatError(`split directory not found: ${dir} (it must hold train.csv, test.csv, val/train.csv, val/test.csv)`);
  }
  const base = part === "val" ? join(dir, "val") : dir;
  return loadSplitFiles(join(base, "train.csv"), join(base, "test.csv"), weights);
}

/** Summed duplicates of a binary split are still one positive; net dislikes stay negative. */
function clampBinary(m: CsrMatrix): void {
  for (let i = 0; i < m.data.length; i++) m.data[i] = m.data[i] > 0 ? 1 : m.data[i] < 0 ? -1 : 0;
}

function binarize(m: CsrMatrix): CsrMatrix {
  m.data.fill(1);
  return m;
}

export const RECOMMENDATION_HEADER = ["user", "item", "rank"] as const;

/**
 * Reads a `user,item,rank` file (as written by `--recs-out`, or by any other system) against
 * a split. Titles unknown to the split get fresh indices (they can never be hits), so the
 * returned `truth` is the split's, widened to cover them.
 */
export function readRecommendationsCsv(path: string, truth: RankingTruth): { truth: RankingTruth; lists: RankedLists } {
  if (!truth.userIds || !truth.itemIds) throw new RangeError("the split's truth carries no id dictionaries");
  const users = IdIndex.from(truth.userIds);
  const items = IdIndex.from(truth.itemIds);
  const { text, bodyStart } = readCsv(path, RECOMMENDATION_HEADER);
  const u: number[] = [];
  const it: number[] = [];
  const rk: number[] = [];
  forEachRow(path, text, bodyStart, 3, (f, line) => {
    u.push(users.add(f[0]));
    it.push(items.add(f[1]));
    rk.push(parseNumber(path, line, "rank", f[2]));
  });
  const inTrain = new Uint8Array(items.size);
  inTrain.set(truth.inTrain);
  const lists = listsFromRankedRows(users.size, Int32Array.from(u), Int32Array.from(it), Float64Array.from(rk));
  return { truth: { ...truth, nItems: items.size, inTrain, userIds: users.toArray(), itemIds: items.toArray() }, lists };
}
