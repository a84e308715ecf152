import type { SparseRow } from "../matrix/csr-matrix";
import type { InteractionMatrix } from "../matrix/interaction-matrix";
import type { RecommendOptions, ScoredItems } from "./recommender";

/** A bad parameter, request or input: the message says what was wrong and what to pass. */
export class ParameterError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = "ParameterError";
  }
}

/** An integer parameter >= `min`; `value` undefined takes the default. */
export function intParam(algorithm: string, name: string, value: unknown, fallback: number, min = 1): number {
  const v = value === undefined ? fallback : value;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min) {
    throw new ParameterError(`${algorithm}: ${name} must be an integer >= ${min}, got ${String(v)}`);
  }
  return v;
}

/** A finite number parameter >= `min` (or > `min` when `strict`). */
export function numberParam(algorithm: string, name: string, value: unknown, fallback: number, min = 0, strict = false): number {
  const v = value === undefined ? fallback : value;
  if (typeof v !== "number" || !Number.isFinite(v) || v < min || (strict && v === min)) {
    throw new ParameterError(`${algorithm}: ${name} must be a finite number ${strict ? ">" : ">="} ${min}, got ${String(v)}`);
  }
  return v;
}

export function choiceParam<T extends string>(algorithm: string, name: string, value: unknown, fallback: T, allowed: readonly T[]): T {
  const v = value === undefined ? fallback : value;
  if (typeof v !== "string" || !(allowed as readonly string[]).includes(v)) {
    throw new ParameterError(`${algorithm}: ${name} must be one of ${allowed.join(", ")}, got ${String(v)}`);
  }
  return v as T;
}

/** Rejects parameter names the algorithm does not know (a typo must not silently use a default). */
export function rejectUnknown(algorithm: string, params: object, known: readonly string[]): void {
  for (const key of Object.keys(params)) {
    if (!known.includes(key)) {
      throw new ParameterError(`${algorithm}: unknown parameter "${key}" (known: ${known.join(", ") || "none"})`);
    }
  }
}

export function checkK(k: number): void {
  if (!Number.isInteger(k) || k <= 0) throw new ParameterError(`k must be a positive integer, got ${k}`);
}

export function checkItem(item: number, nItems: number): void {
  if (!Number.isInteger(item) || item < 0 || item >= nItems) {
    throw new ParameterError(`title index ${item} is outside the model's catalog (0..${nItems - 1})`);
  }
}

/** Fitting on nothing is a caller bug (an empty table, a wrong filter): fail loudly. */
export function assertTrainable(algorithm: string, data: InteractionMatrix): void {
  const { scores } = data;
  let positives = 0;
  for (let i = 0; i < scores.data.length; i++) if (scores.data[i] > 0) positives++;
  if (scores.nCols === 0 || scores.nRows === 0 || positives === 0) {
    throw new ParameterError(
      `${algorithm}: cannot fit on an empty matrix (${scores.nRows} viewers, ${scores.nCols} titles, ${positives} positive scores); load interactions first`,
    );
  }
  if (data.items.size !== scores.nCols) {
    throw new ParameterError(`${algorithm}: the title dictionary has ${data.items.size} ids but the matrix ${scores.nCols} columns`);
  }
}

/** Checks a history's title indices belong to the model (a history from another catalog is a bug). */
export function checkHistory(history: SparseRow, nItems: number): void {
  for (let i = 0; i < history.indices.length; i++) {
    const item = history.indices[i];
    if (item < 0 || item >= nItems) {
      throw new ParameterError(`history title index ${item} is outside the model's catalog (0..${nItems - 1}); fold in only titles the model knows`);
    }
  }
}

/** A 0/1 mask of titles that may not be returned: options.exclude plus, by default, the history. */
export function exclusionMask(nItems: number, history: SparseRow | undefined, options: RecommendOptions | undefined, alsoExclude = -1): Uint8Array {
  const mask = new Uint8Array(nItems);
  if (history && options?.excludeHistory !== false) {
    for (let i = 0; i < history.indices.length; i++) mask[history.indices[i]] = 1;
  }
  const ex = options?.exclude;
  if (ex) {
    if (ex instanceof Int32Array) {
      for (let i = 0; i < ex.length; i++) if (ex[i] >= 0 && ex[i] < nItems) mask[ex[i]] = 1;
    } else {
      for (const item of ex) if (item >= 0 && item < nItems) mask[item] = 1;
    }
  }
  if (alsoExclude >= 0) mask[alsoExclude] = 1;
  return mask;
}

/**
 * The k best titles by score, ties broken by lower index (deterministic). A bounded min-heap
 * over typed arrays: O(n log k), no per-title objects. Titles with a NaN or -Infinity score are
 * never returned; `minScore` (exclusive) can drop titles without evidence.
 */
export function selectTopK(
  scores: Float32Array | Float64Array,
  k: number,
  mask: Uint8Array | undefined,
  filter?: (item: number) => boolean,
  minScore = -Infinity,
): ScoredItems {
  const n = scores.length;
  const cap = Math.min(k, n);
  const hItems = new Int32Array(cap);
  const hScores = new Float64Array(cap);
  let size = 0;
  // Heap order: the worst kept entry (lowest score; on ties the higher index) at the root.
  const worse = (a: number, b: number) => hScores[a] < hScores[b] || (hScores[a] === hScores[b] && hItems[a] > hItems[b]);
  const swap = (a: number, b: number) => {
    const ti = hItems[a];
    hItems[a] = hItems[b];
    hItems[b] = ti;
    const ts = hScores[a];
    hScores[a] = hScores[b];
    hScores[b] = ts;
  };
  const siftDown = (start: number) => {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < size && worse(l, m)) m = l;
      if (r < size && worse(r, m)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  for (let item = 0; item < n; item++) {
    const s = scores[item];
    if (!(s > minScore)) continue;
    if (mask !== undefined && mask[item]) continue;
    if (size === cap) {
      // Beats the worst kept entry? (Equal scores: the lower index, seen earlier, stays.)
      if (!(s > hScores[0])) continue;
    }
    if (filter && !filter(item)) continue;
    if (size < cap) {
      let i = size++;
      hItems[i] = item;
      hScores[i] = s;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!worse(i, p)) break;
        swap(i, p);
        i = p;
      }
    } else {
      hItems[0] = item;
      hScores[0] = s;
      siftDown(0);
    }
  }
  const order = new Int32Array(size);
  for (let i = 0; i < size; i++) order[i] = i;
  order.sort((a, b) => hScores[b] - hScores[a] || hItems[a] - hItems[b]);
  const items = new Int32Array(size);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    items[i] = hItems[order[i]];
    out[i] = hScores[order[i]];
  }
  return { items, scores: out };
}

/** The value of `item` in a sorted sparse row, or 0. */
export function valueAt(indices: Int32Array, data: Float32Array, start: number, end: number, item: number): number {
  let lo = start;
  let hi = end - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = indices[mid];
    if (v === item) return data[mid];
    if (v < item) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

/** Yields to the event loop so a long fit on the main thread lets other work run. */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function throwIfAborted(signal: AbortSignal | undefined, algorithm: string): void {
  if (signal?.aborted) throw new Error(`${algorithm}: fit aborted`);
}
