import type { CsrMatrix, SparseRow } from "../matrix/csr-matrix";
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
 * The best `k` (id, score) pairs seen: higher score first, equal scores to the lower id
 * (deterministic). A bounded min-heap over typed arrays whose root is the worst pair kept:
 * O(n log k) for n offers, no per-entry objects.
 */
export class TopK {
  private readonly ids: Int32Array;
  private readonly scores: Float64Array;
  private size = 0;

  constructor(private readonly k: number) {
    this.ids = new Int32Array(k);
    this.scores = new Float64Array(k);
  }

  /** Would (id, score) be kept? Cheap: offer() only what this admits (and a filter passes). */
  admits(id: number, score: number): boolean {
    if (this.size < this.k) return true;
    if (this.k === 0) return false;
    return score > this.scores[0] || (score === this.scores[0] && id < this.ids[0]);
  }

  /** Keeps (id, score), dropping the worst pair when full. Call only after admits(). */
  offer(id: number, score: number): void {
    const { ids, scores } = this;
    if (this.size < this.k) {
      let i = this.size++;
      ids[i] = id;
      scores[i] = score;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.worse(i, parent)) break;
        this.swap(i, parent);
        i = parent;
      }
      return;
    }
    ids[0] = id;
    scores[0] = score;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.size && this.worse(l, m)) m = l;
      if (r < this.size && this.worse(r, m)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }

  /** The kept pairs, best first. */
  sorted(): ScoredItems {
    const { ids, scores } = this;
    const order = new Int32Array(this.size);
    for (let i = 0; i < this.size; i++) order[i] = i;
    order.sort((a, b) => scores[b] - scores[a] || ids[a] - ids[b]);
    const items = new Int32Array(this.size);
    const out = new Float32Array(this.size);
    for (let i = 0; i < this.size; i++) {
      items[i] = ids[order[i]];
      out[i] = scores[order[i]];
    }
    return { items, scores: out };
  }

  /** Entry a is worse than entry b: a lower score, or the same score and a higher id. */
  private worse(a: number, b: number): boolean {
    return this.scores[a] < this.scores[b] || (this.scores[a] === this.scores[b] && this.ids[a] > this.ids[b]);
  }

  private swap(a: number, b: number): void {
    const id = this.ids[a];
    this.ids[a] = this.ids[b];
    this.ids[b] = id;
    const score = this.scores[a];
    this.scores[a] = this.scores[b];
    this.scores[b] = score;
  }
}

/**
 * The k best titles by score, ties broken by lower index (deterministic). Titles with a NaN or
 * -Infinity score are never returned; `minScore` (exclusive) can drop titles without evidence.
 * The filter is asked only about titles that would enter the current best k.
 */
export function selectTopK(
  scores: Float32Array | Float64Array,
  k: number,
  mask: Uint8Array | undefined,
  filter?: (item: number) => boolean,
  minScore = -Infinity,
): ScoredItems {
  const top = new TopK(Math.min(k, scores.length));
  for (let item = 0; item < scores.length; item++) {
    const s = scores[item];
    if (!(s > minScore)) continue;
    if (mask !== undefined && mask[item]) continue;
    if (!top.admits(item, s)) continue;
    if (filter && !filter(item)) continue;
    top.offer(item, s);
  }
  return top.sorted();
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

/**
 * The `k` titles most similar to `item` by its row of an item-item matrix (item-kNN's
 * neighbours, RP3beta's walk weights), `item` itself excluded.
 */
export function similarByRow(m: CsrMatrix, item: number, k: number, options?: RecommendOptions): ScoredItems {
  checkK(k);
  const n = m.nRows;
  checkItem(item, n);
  const scores = new Float64Array(n);
  for (let p = m.indptr[item]; p < m.indptr[item + 1]; p++) scores[m.indices[p]] = m.data[p];
  return selectTopK(scores, k, exclusionMask(n, undefined, options, item), options?.filter, 0);
}
