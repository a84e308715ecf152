/**
 * Seeded synthetic audience: viewers with latent tastes watching a power-law catalog, emitted as
 * Marquee events (the demo seed, load tests) or as (viewer, title) draw counts (the training
 * benchmark, the shape of shared/splits/ml-100k/REFERENCE.md).
 *
 * The world: title popularity p ∝ rank^-0.9 over a seeded permutation of the titles; `topics`
 * latent taste topics (default 32) and titles as 16-dimensional unit vectors; topic k draws title
 * t with weight pop(t)·exp(TILT·s_k(t)), where s_k(t) ∈ [0,1] is how well t fits k (latent: a
 * sigmoid of the topic-title cosine; with `titleGenres`: mostly whether t has genre k). Each
 * viewer is a sparse Dirichlet(0.1) mixture θ of topics with a log-normal activity level; a draw
 * picks a topic from θ, then a title from that topic. The viewer's affinity for a title is
 * Σ_k θ_k s_k(t); it drives the session (play or not, watched in full, skipped, closed, thumbs).
 *
 * Everything is typed arrays; each viewer draws from its own PRNG stream (seed, viewer), so the
 * output does not depend on chunk sizes and any viewer can be regenerated alone.
 */
import { IdIndex } from "../matrix/id-index";
import type { CsrMatrix } from "../matrix/csr-matrix";
import type { InteractionMatrix } from "../matrix/interaction-matrix";
import { AliasTable, Random } from "./random";

export const EVENT_TYPES = [
  "THUMBNAIL_CLICK",
  "PLAY",
  "WATCHED_FULL",
  "SKIPPED",
  "CLOSED",
  "LIKE",
  "DISLIKE",
  "ADD_TO_LIST",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Index of each event type in EVENT_TYPES (the `type` codes of SyntheticEvents). */
export const EventCode = {
  THUMBNAIL_CLICK: 0,
  PLAY: 1,
  WATCHED_FULL: 2,
  SKIPPED: 3,
  CLOSED: 4,
  LIKE: 5,
  DISLIKE: 6,
  ADD_TO_LIST: 7,
} as const satisfies Record<EventType, number>;

/** Our user's seed weights (thumbs and list additions added by the foundation issue). */
export const DEFAULT_EVENT_WEIGHTS: Readonly<Record<EventType, number>> = {
  THUMBNAIL_CLICK: 1,
  PLAY: 2,
  WATCHED_FULL: 4,
  SKIPPED: 3,
  CLOSED: 2,
  LIKE: 4,
  DISLIKE: -4,
  ADD_TO_LIST: 3,
};

export interface AudienceSpec {
  readonly viewers: number;
  readonly titles: number;
  /** Total events emitted (exactly). */
  readonly events: number;
  readonly seed: number;
  /** Latent taste topics (default 32). Ignored when `titleGenres` is given. */
  readonly topics?: number;
  /**
   * Optional genre bitmask per title (bit g = title has genre g). When given, the topics are the
   * genres, so that a demo catalog's viewers love real genres.
   */
  readonly titleGenres?: Uint32Array;
  /** Unix seconds of the first possible event (default 1,700,000,000: fixed, so output is reproducible). */
  readonly startTime?: number;
  /** Unix seconds after the last event (default startTime + 90 days). */
  readonly endTime?: number;
}

/**
 * Events as parallel typed arrays, ordered by viewer, then time. Read entries [0, length): a
 * chunk from generateAudienceChunks reuses longer buffers.
 */
export interface SyntheticEvents {
  readonly length: number;
  readonly viewer: Int32Array;
  readonly title: Int32Array;
  /** Index into EVENT_TYPES. */
  readonly type: Uint8Array;
  /** Fraction of the video watched for PLAY/WATCHED_FULL/SKIPPED/CLOSED; NaN otherwise. */
  readonly progress: Float32Array;
  /** Unix seconds. */
  readonly time: Float64Array;
}

/** The pair-level variant: how many times each (viewer, title) was drawn, as REFERENCE.md's sets. */
export interface PairSpec extends Omit<AudienceSpec, "events"> {
  /** Distinct (viewer, title) pairs to produce (exactly, unless viewers cannot hold that many). */
  readonly pairs: number;
}

const DIM = 16;
const POPULARITY_EXPONENT = 0.9;
const DIRICHLET_ALPHA = 0.1;
const ACTIVITY_SIGMA = 0.9;
/** How strongly a topic prefers titles that fit it: fit 1 vs fit 0 is e^TILT in draw weight. */
const TILT = 17;
const DAY = 86400;

/** Parameters after defaults, checked. */
interface ResolvedSpec {
  viewers: number;
  titles: number;
  seed: number;
  topics: number;
  titleGenres?: Uint32Array;
  startTime: number;
  endTime: number;
}

function resolve(spec: Omit<AudienceSpec, "events">, total: number, totalName: string): ResolvedSpec {
  const positiveInt = (name: string, v: number) => {
    if (!Number.isInteger(v) || v <= 0) throw new RangeError(`${name} must be a positive integer, got ${v}`);
  };
  positiveInt("viewers", spec.viewers);
  positiveInt("titles", spec.titles);
  if (!Number.isInteger(total) || total < 0) throw new RangeError(`${totalName} must be an integer >= 0, got ${total}`);
  if (!Number.isFinite(spec.seed)) throw new RangeError(`seed must be a finite number, got ${spec.seed}`);
  let topics = spec.topics ?? 32;
  if (spec.titleGenres) {
    if (spec.titleGenres.length !== spec.titles) {
      throw new RangeError(`titleGenres has ${spec.titleGenres.length} entries; it needs one per title (${spec.titles})`);
    }
    let all = 0;
    for (let t = 0; t < spec.titles; t++) all |= spec.titleGenres[t];
    topics = all === 0 ? topics : 32 - Math.clz32(all);
  }
  positiveInt("topics", topics);
  const startTime = spec.startTime ?? 1_700_000_000;
  const endTime = spec.endTime ?? startTime + 90 * DAY;
  if (!(endTime > startTime)) throw new RangeError(`endTime (${endTime}) must be after startTime (${startTime})`);
  return { viewers: spec.viewers, titles: spec.titles, seed: spec.seed, topics, titleGenres: spec.titleGenres, startTime, endTime };
}

/**
 * Independent PRNG streams of one seed. Viewer u uses stream Viewer + u; AddedTitles places titles
 * added to the catalog after the history was generated (AudienceTastes.addTitles).
 */
const Stream = { Catalog: 0, Activity: 1, AddedTitles: 2, Viewer: 16 } as const;

/** The catalog side of the world plus each viewer's budget; viewers are simulated on demand. */
class World {
  readonly spec: ResolvedSpec;
  /** fit[k * titles + t] = s_k(t) ∈ [0, 1]. */
  readonly fit: Float32Array;
  readonly topicTables: AliasTable[];
  /** Budget (events or distinct pairs) of each viewer; sums to the requested total when possible. */
  readonly budget: Int32Array;
  /** Topic directions (topics x DIM), kept to place titles added later on the same map. */
  readonly topicVectors: Float64Array;
  private readonly random = new Random(0);
  readonly theta: Float64Array;
  private readonly cumTheta: Float64Array;

  constructor(spec: ResolvedSpec, total: number, perViewerCap: number) {
    this.spec = spec;
    const { titles, topics, seed } = spec;
    const rng = new Random(seed, Stream.Catalog);
    const rank = rng.permutation(titles);
    const titleVectors = unitVectors(rng, titles);
    const topicVectors = unitVectors(rng, topics);
    this.topicVectors = topicVectors;
    this.fit = new Float32Array(topics * titles);
    const weights = new Float64Array(titles);
    this.topicTables = [];
    for (let k = 0; k < topics; k++) {
      for (let t = 0; t < titles; t++) {
        let cos = 0;
        for (let d = 0; d < DIM; d++) cos += topicVectors[k * DIM + d] * titleVectors[t * DIM + d];
        const s = fitOf(cos, spec.titleGenres ? spec.titleGenres[t] : undefined, k);
        this.fit[k * titles + t] = s;
        weights[t] = Math.pow(rank[t] + 1, -POPULARITY_EXPONENT) * Math.exp(TILT * s);
      }
      this.topicTables.push(new AliasTable(weights));
    }
    this.budget = allocate(new Random(seed, Stream.Activity), spec.viewers, total, perViewerCap);
    this.theta = new Float64Array(topics);
    this.cumTheta = new Float64Array(topics);
  }

  /** Starts viewer u: reseeds the PRNG on the viewer's stream and draws its taste mixture. */
  beginViewer(u: number): Random {
    const rng = this.random;
    rng.reseed(this.spec.seed, Stream.Viewer + u);
    const { topics } = this.spec;
    let sum = 0;
    for (let k = 0; k < topics; k++) sum += this.theta[k] = rng.gamma(DIRICHLET_ALPHA);
    if (!(sum > 0)) {
      // Every gamma underflowed (possible with alpha 0.1 and few topics): one random topic.
      this.theta.fill(0);
      this.theta[rng.int(topics)] = sum = 1;
    }
    let acc = 0;
    for (let k = 0; k < topics; k++) {
      this.theta[k] /= sum;
      this.cumTheta[k] = acc += this.theta[k];
    }
    this.cumTheta[topics - 1] = 1;
    return rng;
  }

  /** A title drawn from the current viewer's taste. */
  drawTitle(rng: Random): number {
    const u = rng.float();
    const cum = this.cumTheta;
    let k = 0;
    while (cum[k] <= u) k++;
    return this.topicTables[k].sample(rng);
  }

  /** The current viewer's affinity for title t, in [0, 1]. */
  affinity(t: number): number {
    const { topics, titles } = this.spec;
    let a = 0;
    for (let k = 0; k < topics; k++) {
      const w = this.theta[k];
      if (w > 1e-4) a += w * this.fit[k * titles + t];
    }
    return a;
  }
}

/** s_k(t): a sigmoid of the topic-title cosine, or mostly whether the title has genre k. */
function fitOf(cos: number, genres: number | undefined, k: number): number {
  const latent = 1 / (1 + Math.exp(-6 * cos));
  return genres === undefined ? latent : 0.75 * ((genres >>> k) & 1) + 0.25 * latent;
}

function unitVectors(rng: Random, n: number): Float64Array {
  const v = new Float64Array(n * DIM);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let d = 0; d < DIM; d++) {
      const x = rng.normal();
      v[i * DIM + d] = x;
      norm += x * x;
    }
    norm = Math.sqrt(norm) || 1;
    for (let d = 0; d < DIM; d++) v[i * DIM + d] /= norm;
  }
  return v;
}

/**
 * Splits `total` over viewers in proportion to log-normal activity levels, exactly (cumulative
 * rounding), with at most `cap` each: the excess of capped viewers goes to the others.
 */
function allocate(rng: Random, viewers: number, total: number, cap: number): Int32Array {
  const activity = new Float64Array(viewers);
  for (let u = 0; u < viewers; u++) activity[u] = Math.exp(ACTIVITY_SIGMA * rng.normal());
  const budget = new Int32Array(viewers);
  const capped = new Uint8Array(viewers);
  let remaining = Math.min(total, cap * viewers);
  for (let round = 0; round < 64 && remaining > 0; round++) {
    let mass = 0;
    for (let u = 0; u < viewers; u++) if (!capped[u]) mass += activity[u];
    if (mass === 0) break;
    let acc = 0;
    let given = 0;
    let overflow = false;
    for (let u = 0; u < viewers; u++) {
      if (capped[u]) continue;
      acc += activity[u];
      const upTo = Math.round((acc / mass) * remaining);
      budget[u] += upTo - given;
      given = upTo;
      if (budget[u] >= cap) overflow = true;
    }
    remaining = 0;
    if (!overflow) break;
    for (let u = 0; u < viewers; u++) {
      if (budget[u] > cap) {
        remaining += budget[u] - cap;
        budget[u] = cap;
      }
      if (budget[u] >= cap) capped[u] = 1;
    }
  }
  return budget;
}

interface MutableEvents {
  viewer: Int32Array;
  title: Int32Array;
  type: Uint8Array;
  progress: Float32Array;
  time: Float64Array;
}

function allocateEvents(n: number): MutableEvents {
  return {
    viewer: new Int32Array(n),
    title: new Int32Array(n),
    type: new Uint8Array(n),
    progress: new Float32Array(n),
    time: new Float64Array(n),
  };
}

/** One viewer's hidden taste: its topic mixture, and its affinity for any title of the world. */
export interface ViewerTaste {
  readonly viewer: number;
  /** θ: the viewer's mixture over taste topics (sums to 1). */
  readonly theta: Float64Array;
  /** Affinity ∈ [0, 1] for title t (a catalog index, or one of AudienceTastes.addTitles). */
  affinity(t: number): number;
}

/**
 * The hidden side of a synthetic audience, regenerated from its seed: the same world (catalog fit
 * per topic) and the same per-viewer taste mixtures as generateAudience draws for that spec, so
 * a live simulation's viewers like what their stored history says they like. The events budget
 * does not enter the tastes, so it is not asked for. Titles added to the catalog later
 * (addTitles) are placed on the same topic map from a stream of their own.
 */
export class AudienceTastes {
  private readonly world: World;
  /** fit of the added titles, topic-major like World.fit: addedFit[k * added + j]. */
  private addedFit = new Float32Array(0);
  private added = 0;

  constructor(spec: Omit<AudienceSpec, "events">) {
    this.world = new World(resolve(spec, 0, "events"), 0, 0);
  }

  get titles(): number {
    return this.world.spec.titles + this.added;
  }

  get topics(): number {
    return this.world.spec.topics;
  }

  /**
   * Places `genres.length` new titles (genre bitmasks as `titleGenres`; ignored for a latent world)
   * and returns the index of the first: they are numbered after the catalog and earlier additions.
   * Deterministic: the same additions in the same order give the same fits.
   */
  addTitles(genres: Uint32Array): number {
    const { topics, seed, titleGenres } = this.world.spec;
    const first = this.titles;
    const before = this.added;
    const total = before + genres.length;
    const rng = new Random(seed, Stream.AddedTitles);
    const vectors = unitVectors(rng, total);
    const fit = new Float32Array(topics * total);
    for (let k = 0; k < topics; k++) {
      fit.set(this.addedFit.subarray(k * before, (k + 1) * before), k * total);
      for (let j = before; j < total; j++) {
        let cos = 0;
        for (let d = 0; d < DIM; d++) cos += this.world.topicVectors[k * DIM + d] * vectors[j * DIM + d];
        fit[k * total + j] = fitOf(cos, titleGenres ? genres[j - before] : undefined, k);
      }
    }
    this.addedFit = fit;
    this.added = total;
    return first;
  }

  /** Viewer u's taste (the mixture generateAudience drew for it). */
  viewer(u: number): ViewerTaste {
    if (!Number.isInteger(u) || u < 0 || u >= this.world.spec.viewers) throw new RangeError(`viewer must be in [0, ${this.world.spec.viewers}), got ${u}`);
    this.world.beginViewer(u);
    const theta = Float64Array.from(this.world.theta);
    const { titles, topics } = this.world.spec;
    const fit = this.world.fit;
    const added = () => ({ fit: this.addedFit, n: this.added });
    return {
      viewer: u,
      theta,
      affinity(t: number): number {
        let a = 0;
        if (t < titles) {
          for (let k = 0; k < topics; k++) if (theta[k] > 1e-4) a += theta[k] * fit[k * titles + t];
          return a;
        }
        const { fit: extra, n } = added();
        const j = t - titles;
        if (!(j >= 0 && j < n)) throw new RangeError(`title ${t} is outside the world's ${titles + n} titles`);
        for (let k = 0; k < topics; k++) if (theta[k] > 1e-4) a += theta[k] * extra[k * n + j];
        return a;
      },
    };
  }
}

/** Receives one event of a viewer's response to a title (a code of EventCode). */
export type EmitEvent = (type: number, progress: number, time: number) => void;

/**
 * A viewer's response to a title it opened, given its hidden affinity `affinity` ∈ [0, 1]:
 * THUMBNAIL_CLICK at `clock`, maybe ADD_TO_LIST, PLAY with a probability rising with the
 * affinity (0.3 + 0.65 a), then WATCHED_FULL (0.05 + 0.85 a²) / SKIPPED / CLOSED, LIKE after a
 * full watch, DISLIKE after an early close or an unplayed click; a per-session mood (normal,
 * sd 0.15) moves the affinity first. The stored history (generateAudience) and the live audience
 * (`npm run simulate:live`) share it, so a viewer reacts the same way to what it is shown as it
 * did in its history. Returns when the viewer is done watching (`start` when it did not play).
 */
export function respondToTitle(rng: Random, affinity: number, start: number, emit: EmitEvent): number {
  // Per-session mood: the same viewer does not always react the same way to a title.
  let a = affinity + 0.15 * rng.normal();
  a = a < 0 ? 0 : a > 1 ? 1 : a;
  let clock = start;
  emit(EventCode.THUMBNAIL_CLICK, NaN, clock);
  if (rng.float() < 0.08 * a) emit(EventCode.ADD_TO_LIST, NaN, (clock += 3));
  if (rng.float() >= 0.3 + 0.65 * a) {
    if (rng.float() < 0.1 * (1 - a) * (1 - a)) emit(EventCode.DISLIKE, NaN, clock + 2);
    return start;
  }
  emit(EventCode.PLAY, 0, (clock += 4));
  const duration = 1200 + rng.float() * 6000;
  const pFull = 0.05 + 0.85 * a * a;
  const r = rng.float();
  if (r < pFull) {
    emit(EventCode.WATCHED_FULL, 1, (clock += duration));
    if (rng.float() < 0.35 * a) emit(EventCode.LIKE, NaN, (clock += 10));
  } else if (r < pFull + 0.3 * (1 - pFull)) {
    const progress = 0.3 + 0.6 * rng.float();
    emit(EventCode.SKIPPED, progress, (clock += progress * duration * 0.5));
  } else {
    const progress = (0.05 + 0.5 * rng.float()) * (1 - 0.5 * a);
    emit(EventCode.CLOSED, progress, (clock += progress * duration));
    if (rng.float() < 0.25 * (1 - a)) emit(EventCode.DISLIKE, NaN, (clock += 5));
  }
  return clock;
}

/**
 * Simulates viewer u's sessions into `out` from position `at`, exactly `world.budget[u]` events
 * (the last session is cut short when the budget runs out). Returns the new position.
 */
function simulateViewer(world: World, u: number, out: MutableEvents, at: number): number {
  const budget = world.budget[u];
  if (budget === 0) return at;
  const rng = world.beginViewer(u);
  const { startTime, endTime } = world.spec;
  const end = at + budget;
  // The viewer joins somewhere in the first half of the window; sessions spread over the rest.
  let now = startTime + rng.float() * 0.5 * (endTime - startTime);
  const meanGap = (endTime - now) / (budget / 2.6 + 1);
  const emit = (title: number, type: number, progress: number, time: number) => {
    if (at >= end) return false;
    out.viewer[at] = u;
    out.title[at] = title;
    out.type[at] = type;
    out.progress[at] = progress;
    out.time[at] = Math.min(time, endTime - 1);
    at++;
    return true;
  };
  while (at < end) {
    now += meanGap * rng.exponential();
    const t = world.drawTitle(rng);
    const clock = respondToTitle(rng, world.affinity(t), Math.floor(now), (type, progress, time) => emit(t, type, progress, time));
    now = Math.max(now, clock);
  }
  return at;
}

/** All of the audience's events at once (`spec.events` of them, ordered by viewer then time). */
export function generateAudience(spec: AudienceSpec): SyntheticEvents {
  const world = new World(resolve(spec, spec.events, "events"), spec.events, Number.MAX_SAFE_INTEGER);
  const out = allocateEvents(spec.events);
  let at = 0;
  for (let u = 0; u < spec.viewers; u++) at = simulateViewer(world, u, out, at);
  return { length: at, ...out };
}

/**
 * The same events as generateAudience, in chunks of about `chunkEvents` (never splitting a
 * viewer), for sizes that should not be held in memory at once. Chunks reuse one buffer: copy
 * what you keep before asking for the next chunk.
 */
export function* generateAudienceChunks(spec: AudienceSpec, chunkEvents = 1 << 20): Generator<SyntheticEvents> {
  if (!Number.isInteger(chunkEvents) || chunkEvents <= 0) throw new RangeError(`chunkEvents must be a positive integer, got ${chunkEvents}`);
  const world = new World(resolve(spec, spec.events, "events"), spec.events, Number.MAX_SAFE_INTEGER);
  let largest = 0;
  for (let u = 0; u < spec.viewers; u++) largest = Math.max(largest, world.budget[u]);
  const out = allocateEvents(chunkEvents + largest);
  let at = 0;
  for (let u = 0; u < spec.viewers; u++) {
    at = simulateViewer(world, u, out, at);
    if (at >= chunkEvents) {
      yield { length: at, ...out };
      at = 0;
    }
  }
  if (at > 0) yield { length: at, ...out };
}

/** External ids of synthetic viewers and titles: index + 1, as decimal strings (like MovieLens ids). */
export function syntheticIds(n: number): IdIndex {
  const index = new IdIndex();
  for (let i = 0; i < n; i++) index.add(i + 1);
  return index;
}

/**
 * The REFERENCE.md training set: each viewer draws titles until it holds its share of `pairs`
 * distinct titles; a pair's score is how many times it was drawn and `lastEventAt` the time of
 * its last draw. Rows are all `viewers` (some may be empty), columns all `titles`.
 */
export function generatePairs(spec: PairSpec): InteractionMatrix {
  const resolved = resolve(spec, spec.pairs, "pairs");
  // A viewer never holds more than a fifth of the catalog: drawing nearly every title of a
  // power-law catalog without replacement would take forever and is not a viewer anyone has.
  const cap = Math.max(1, Math.floor(spec.titles / 5));
  const world = new World(resolved, spec.pairs, cap);
  const { viewers, titles, startTime, endTime } = resolved;
  let total = 0;
  for (let u = 0; u < viewers; u++) total += world.budget[u];
  const indptr = new Int32Array(viewers + 1);
  const indices = new Int32Array(total);
  const data = new Float32Array(total);
  const lastEventAt = new Float64Array(total);
  // Per-viewer scratch: which titles the viewer holds (stamp = viewer + 1) and where.
  const stamp = new Int32Array(titles);
  const slot = new Int32Array(titles);
  const held = new Int32Array(cap);
  const counts = new Float32Array(cap);
  const times = new Float64Array(cap);
  let at = 0;
  for (let u = 0; u < viewers; u++) {
    const want = world.budget[u];
    let n = 0;
    if (want > 0) {
      const rng = world.beginViewer(u);
      let now = startTime + rng.float() * 0.5 * (endTime - startTime);
      const meanGap = (endTime - now) / (want * 1.6 + 1);
      // Bounded: a viewer whose taste is too narrow for its budget stops short (counted in nnz).
      for (let draws = 0, limit = 50 * want + 1000; n < want && draws < limit; draws++) {
        now += meanGap * rng.exponential();
        const t = world.drawTitle(rng);
        if (stamp[t] !== u + 1) {
          stamp[t] = u + 1;
          slot[t] = n;
          held[n] = t;
          counts[n] = 1;
          times[n] = Math.floor(Math.min(now, endTime - 1));
          n++;
        } else {
          const s = slot[t];
          counts[s]++;
          times[s] = Math.floor(Math.min(now, endTime - 1));
        }
      }
      const sorted = held.subarray(0, n).sort();
      for (let j = 0; j < n; j++) {
        const t = sorted[j];
        indices[at + j] = t;
        data[at + j] = counts[slot[t]];
        lastEventAt[at + j] = times[slot[t]];
      }
    }
    at += n;
    indptr[u + 1] = at;
  }
  const scores: CsrMatrix = {
    nRows: viewers,
    nCols: titles,
    indptr,
    indices: at === total ? indices : indices.slice(0, at),
    data: at === total ? data : data.slice(0, at),
  };
  return {
    users: syntheticIds(viewers),
    items: syntheticIds(titles),
    scores,
    lastEventAt: at === total ? lastEventAt : lastEventAt.slice(0, at),
  };
}

export type Aggregation = "sum" | "max";

export interface AggregateOptions {
  readonly viewers: number;
  readonly titles: number;
  /** Weight per event type (default DEFAULT_EVENT_WEIGHTS). */
  readonly weights?: Readonly<Record<EventType, number>>;
  /**
   * "sum" (default): the summed weight, as the interaction_scores table keeps it; a pair whose
   * dislikes outweigh the rest goes negative. "max": the strongest event's weight, except that a
   * pair with any negative event (a dislike) scores that event's weight: a dislike is never
   * turned into a positive.
   */
  readonly aggregate?: Aggregation;
  /** External ids (default syntheticIds: index + 1). */
  readonly users?: IdIndex;
  readonly items?: IdIndex;
}

/**
 * Folds events (one batch or a sequence of chunks) into the score matrix: one entry per
 * (viewer, title) with the aggregated score and, in lastEventAt, the pair's latest event time.
 * Viewer-contiguous input (what the generator emits) is merged as it streams; anything else is
 * merged at the end, with the same result.
 */
export function aggregateEvents(events: SyntheticEvents | Iterable<SyntheticEvents>, options: AggregateOptions): InteractionMatrix {
  const { viewers, titles } = options;
  const weights = options.weights ?? DEFAULT_EVENT_WEIGHTS;
  const useMax = (options.aggregate ?? "sum") === "max";
  const weightByCode = new Float32Array(EVENT_TYPES.length);
  EVENT_TYPES.forEach((name, code) => {
    const w = weights[name];
    if (!Number.isFinite(w)) throw new RangeError(`weight for ${name} must be a finite number, got ${w}`);
    weightByCode[code] = w;
  });
  let rows = new Int32Array(1 << 16);
  let cols = new Int32Array(1 << 16);
  let vals = new Float32Array(1 << 16);
  let last = new Float64Array(1 << 16);
  let n = 0;
  const stamp = new Int32Array(titles);
  const slot = new Int32Array(titles);
  let run = 0;
  let current = -1;
  const chunks: Iterable<SyntheticEvents> = isEvents(events) ? [events] : events;
  for (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i++) {
      const v = chunk.viewer[i];
      const t = chunk.title[i];
      if (v < 0 || v >= viewers || t < 0 || t >= titles) {
        throw new RangeError(`event ${i}: viewer ${v} / title ${t} outside ${viewers} viewers x ${titles} titles`);
      }
      const w = weightByCode[chunk.type[i]];
      const time = chunk.time[i];
      if (v !== current) {
        current = v;
        run++;
      }
      if (stamp[t] === run) {
        const s = slot[t];
        vals[s] = useMax ? mergeMax(vals[s], w) : vals[s] + w;
        if (time > last[s]) last[s] = time;
        continue;
      }
      if (n === rows.length) {
        rows = grow(rows);
        cols = grow(cols);
        vals = grow(vals);
        last = grow(last);
      }
      stamp[t] = run;
      slot[t] = n;
      rows[n] = v;
      cols[n] = t;
      vals[n] = w;
      last[n] = time;
      n++;
    }
  }
  const merged = toCsr(viewers, titles, rows, cols, vals, last, n, useMax);
  return {
    users: options.users ?? syntheticIds(viewers),
    items: options.items ?? syntheticIds(titles),
    scores: merged.scores,
    lastEventAt: merged.lastEventAt,
  };
}

function isEvents(x: SyntheticEvents | Iterable<SyntheticEvents>): x is SyntheticEvents {
  return (x as SyntheticEvents).viewer instanceof Int32Array;
}

function mergeMax(a: number, b: number): number {
  return a < 0 || b < 0 ? Math.min(a, b) : Math.max(a, b);
}

function grow<T extends Int32Array | Float32Array | Float64Array>(a: T): T {
  const bigger = new (a.constructor as { new (n: number): T })(a.length * 2);
  bigger.set(a);
  return bigger;
}

/** Counting sort by row, then per-row sort by column merging duplicates. */
function toCsr(
  nRows: number,
  nCols: number,
  rows: Int32Array,
  cols: Int32Array,
  vals: Float32Array,
  last: Float64Array,
  n: number,
  useMax: boolean,
): { scores: CsrMatrix; lastEventAt: Float64Array } {
  const indptr = new Int32Array(nRows + 1);
  for (let i = 0; i < n; i++) indptr[rows[i] + 1]++;
  for (let r = 0; r < nRows; r++) indptr[r + 1] += indptr[r];
  const cursor = indptr.slice(0, nRows);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[cursor[rows[i]]++] = i;
  const outPtr = new Int32Array(nRows + 1);
  const indices = new Int32Array(n);
  const data = new Float32Array(n);
  const lastEventAt = new Float64Array(n);
  let out = 0;
  for (let r = 0; r < nRows; r++) {
    const span = order.subarray(indptr[r], indptr[r + 1]);
    // Viewer-contiguous input gives one entry per title already; only sort by column.
    span.sort((a, b) => cols[a] - cols[b]);
    let prev = -1;
    for (let j = 0; j < span.length; j++) {
      const i = span[j];
      if (cols[i] === prev) {
        data[out - 1] = useMax ? mergeMax(data[out - 1], vals[i]) : data[out - 1] + vals[i];
        if (last[i] > lastEventAt[out - 1]) lastEventAt[out - 1] = last[i];
      } else {
        indices[out] = cols[i];
        data[out] = vals[i];
        lastEventAt[out] = last[i];
        prev = cols[i];
        out++;
      }
    }
    outPtr[r + 1] = out;
  }
  return {
    scores: { nRows, nCols, indptr: outPtr, indices: indices.slice(0, out), data: data.slice(0, out) },
    lastEventAt: lastEventAt.slice(0, out),
  };
}
