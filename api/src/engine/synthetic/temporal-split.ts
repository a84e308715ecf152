/**
 * The temporal per-viewer split of shared/splits/ml-100k/README.md, over an InteractionMatrix
 * with event times: every positive pair is one row; per viewer, rows sorted by (time, title
 * index); a viewer with n >= 5 rows puts the latest floor(n/5) into test, the rest into train;
 * validation carves max(1, floor(m/10)) latest train rows into val/test for viewers with
 * m >= 5 train rows. Pairs with a score <= 0 (dislikes) are not positives and appear nowhere.
 */
import type { InteractionMatrix } from "../matrix/interaction-matrix";

/** Positions into `scores.indices`/`scores.data`, each list ordered by viewer, time, title. */
export interface TemporalSplit {
  readonly train: Int32Array;
  readonly test: Int32Array;
  readonly valTrain: Int32Array;
  readonly valTest: Int32Array;
}

export function temporalSplit(m: InteractionMatrix): TemporalSplit {
  const { scores, lastEventAt } = m;
  if (!lastEventAt) throw new Error("temporalSplit needs lastEventAt (event times) on the matrix");
  const { indptr, indices, data } = scores;
  const total = indptr[scores.nRows];
  const train = new Int32Array(total);
  const test = new Int32Array(total);
  const valTrain = new Int32Array(total);
  const valTest = new Int32Array(total);
  let nTrain = 0;
  let nTest = 0;
  let nValTrain = 0;
  let nValTest = 0;
  let order = new Int32Array(64);
  for (let r = 0; r < scores.nRows; r++) {
    let n = 0;
    for (let p = indptr[r]; p < indptr[r + 1]; p++) {
      if (!(data[p] > 0)) continue;
      if (n === order.length) {
        const bigger = new Int32Array(order.length * 2);
        bigger.set(order);
        order = bigger;
      }
      order[n++] = p;
    }
    const rows = order.subarray(0, n).sort((a, b) => lastEventAt[a] - lastEventAt[b] || indices[a] - indices[b]);
    const testCount = n >= 5 ? Math.floor(n / 5) : 0;
    const trainCount = n - testCount;
    const valCount = trainCount >= 5 ? Math.max(1, Math.floor(trainCount / 10)) : 0;
    for (let j = 0; j < n; j++) {
      const p = rows[j];
      if (j < trainCount) {
        train[nTrain++] = p;
        if (j < trainCount - valCount) valTrain[nValTrain++] = p;
        else valTest[nValTest++] = p;
      } else {
        test[nTest++] = p;
      }
    }
  }
  return {
    train: train.slice(0, nTrain),
    test: test.slice(0, nTest),
    valTrain: valTrain.slice(0, nValTrain),
    valTest: valTest.slice(0, nValTest),
  };
}
