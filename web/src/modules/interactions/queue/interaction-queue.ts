import type { InteractionType } from "../../../gql/graphql";

/**
 * The outbox for interaction events and impressions. Every item gets its client event id when it is
 * enqueued, and keeps it through every retry: the API stores one row per (profile, clientEventId),
 * so resending a batch whose response was lost cannot duplicate it. Items leave the queue only
 * after the API has acknowledged them, and the unsent queue is persisted so a reload or a crash
 * does not lose them. Events go first, in small batches (they change the viewer's rows);
 * impressions wait a little longer and go in large batches (there are many, and nothing waits on them).
 */

export interface PendingInteraction {
  clientEventId: string;
  profileId: string;
  movieId: string;
  type: InteractionType;
  progress: number | null;
  positionSeconds: number | null;
  /** The serving id of the recommended card the event started from; absent otherwise. */
  recommendationId?: string | null;
  /** Client time, ISO 8601: when the viewer acted, not when the batch finally got through. */
  occurredAt: string;
}

/** A recommended title that was on screen (at least half visible for a second). */
export interface PendingImpression {
  kind: "impression";
  clientEventId: string;
  profileId: string;
  recommendationId: string;
  /** Client time, ISO 8601: when the card became visible. */
  shownAt: string;
}

export type OutboxItem = PendingInteraction | PendingImpression;

export function isImpression(item: OutboxItem): item is PendingImpression {
  return "kind" in item && item.kind === "impression";
}

export type NewInteraction = Omit<PendingInteraction, "clientEventId" | "occurredAt" | "progress" | "positionSeconds" | "recommendationId"> &
  Partial<Pick<PendingInteraction, "progress" | "positionSeconds" | "recommendationId">>;

export type NewImpression = Pick<PendingImpression, "profileId" | "recommendationId"> & { shownAt?: Date };

/** Where the unsent queue survives reloads (localStorage in the browser). */
export interface QueueStore {
  load(): OutboxItem[];
  save(items: readonly OutboxItem[]): void;
}

/**
 * Thrown by a sender when the API refused the batch for a reason retrying cannot fix (bad input,
 * another profile's serving id). `index` is the offending element when the API names it; that
 * element is dropped and the rest resent, since logInteractions and logImpressions store a batch
 * all or nothing. `field` is the input field the API blamed: an event refused only for its
 * recommendationId is kept and resent without it (the event matters more than its attribution).
 */
export class RejectedBatchError extends Error {
  constructor(
    message: string,
    readonly index: number | null,
    readonly field: string | null = null,
  ) {
    super(message);
    this.name = "RejectedBatchError";
  }
}

export type SendBatch = (batch: readonly PendingInteraction[]) => Promise<void>;
export type SendImpressions = (batch: readonly PendingImpression[]) => Promise<void>;

/** `pending` counts the viewer's events; impressions waiting with them are not the viewer's to count. */
export type QueueStatus = { state: "idle" } | { state: "sending"; pending: number } | { state: "retrying"; pending: number; retryInMs: number };

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface InteractionQueueOptions {
  send: SendBatch;
  /** Sends a batch of impressions (logImpressions); without it impressions are refused at enqueue. */
  sendImpressions?: SendImpressions;
  store: QueueStore;
  newId?: () => string;
  now?: () => Date;
  timers?: Timers;
  /** Small batches keep each request quick and the rows fresh. */
  batchSize?: number;
  /** logImpressions takes up to 5,000 a call. */
  impressionBatchSize?: number;
  /** Events arriving within this window go out together. */
  flushDelayMs?: number;
  /** Impressions wait longer, so a scroll's worth goes in one request. */
  impressionFlushDelayMs?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** After each acknowledged batch of events (never impressions: they change no rows). */
  onSent?: (batch: readonly PendingInteraction[]) => void;
  onImpressionsSent?: (batch: readonly PendingImpression[]) => void;
  onDropped?: (item: OutboxItem, reason: string) => void;
  onStatus?: (status: QueueStatus) => void;
}

const defaultTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

type Callbacks = "onSent" | "onImpressionsSent" | "onDropped" | "onStatus" | "sendImpressions";

export class InteractionQueue {
  private items: OutboxItem[];
  private inFlight: Promise<void> | null = null;
  private timer: unknown = null;
  /** When the scheduled flush runs (epoch ms), so a later, lazier item cannot postpone it. */
  private timerDue = 0;
  private failures = 0;
  private disposed = false;
  private readonly options: Required<Omit<InteractionQueueOptions, Callbacks>> & Pick<InteractionQueueOptions, Callbacks>;

  constructor(options: InteractionQueueOptions) {
    this.options = {
      newId: () => crypto.randomUUID(),
      now: () => new Date(),
      timers: defaultTimers,
      batchSize: 20,
      impressionBatchSize: 5000,
      flushDelayMs: 100,
      impressionFlushDelayMs: 2000,
      retryBaseMs: 1000,
      retryMaxMs: 30000,
      ...options,
    };
    this.items = dedupe(this.options.store.load());
  }

  /** Adds an event, persists the queue, and schedules a send. Returns the stored item. */
  enqueue(input: NewInteraction): PendingInteraction {
    const item: PendingInteraction = {
      progress: null,
      positionSeconds: null,
      ...input,
      clientEventId: this.options.newId(),
      occurredAt: this.options.now().toISOString(),
    };
    this.items.push(item);
    this.persist();
    if (this.failures === 0) this.schedule(this.options.flushDelayMs);
    return item;
  }

  /** Adds an impression (its own client event id, so a resent batch stores it once). */
  enqueueImpression(input: NewImpression): PendingImpression {
    if (!this.options.sendImpressions) throw new Error("This queue was made without sendImpressions");
    const item: PendingImpression = {
      kind: "impression",
      clientEventId: this.options.newId(),
      profileId: input.profileId,
      recommendationId: input.recommendationId,
      shownAt: (input.shownAt ?? this.options.now()).toISOString(),
    };
    this.items.push(item);
    this.persist();
    if (this.failures === 0) this.schedule(this.options.impressionFlushDelayMs);
    return item;
  }

  pending(): readonly OutboxItem[] {
    return this.items;
  }

  /**
   * Sends everything queued, batch by batch, until the queue is empty or the network fails (then a
   * retry is scheduled with exponential backoff). Concurrent calls share one run, so no item is
   * ever in two requests at once.
   */
  flush(): Promise<void> {
    this.clearTimer();
    if (this.inFlight) return this.inFlight.then(() => (this.items.length > 0 && this.failures === 0 ? this.flush() : undefined));
    this.inFlight = this.drain().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  /** Retry now (the browser came back online, or the viewer asked). */
  retryNow(): Promise<void> {
    this.failures = 0;
    return this.flush();
  }

  dispose(): void {
    this.disposed = true;
    this.clearTimer();
  }

  private async drain(): Promise<void> {
    while (this.items.length > 0 && !this.disposed) {
      const events = this.items.filter((item): item is PendingInteraction => !isImpression(item)).slice(0, this.options.batchSize);
      const impressions = events.length > 0 ? [] : this.items.filter(isImpression).slice(0, this.options.impressionBatchSize);
      const batch: readonly OutboxItem[] = events.length > 0 ? events : impressions;
      this.options.onStatus?.({ state: "sending", pending: this.pendingEvents() });
      try {
        if (events.length > 0) await this.options.send(events);
        else await this.sendImpressions(impressions);
      } catch (error) {
        if (error instanceof RejectedBatchError) {
          this.dropRejected(batch, error);
          continue;
        }
        this.failures += 1;
        const retryInMs = Math.min(this.options.retryMaxMs, this.options.retryBaseMs * 2 ** (this.failures - 1));
        this.options.onStatus?.({ state: "retrying", pending: this.pendingEvents(), retryInMs });
        this.schedule(retryInMs, { replace: true });
        return;
      }
      this.failures = 0;
      this.remove(batch);
      if (events.length > 0) this.options.onSent?.(events);
      else this.options.onImpressionsSent?.(impressions);
    }
    if (!this.disposed) this.options.onStatus?.({ state: "idle" });
  }

  private pendingEvents(): number {
    return this.items.reduce((n, item) => (isImpression(item) ? n : n + 1), 0);
  }

  private sendImpressions(batch: readonly PendingImpression[]): Promise<void> {
    const send = this.options.sendImpressions;
    // Only reachable with impressions restored from storage by a queue that cannot send them.
    if (!send) return Promise.reject(new RejectedBatchError("impressions cannot be sent by this queue", null));
    return send(batch);
  }

  private dropRejected(batch: readonly OutboxItem[], error: RejectedBatchError): void {
    const culprit = error.index !== null ? batch[error.index] : undefined;
    // An event refused only for its serving id (a stale or foreign one) is kept, unattributed.
    if (culprit && !isImpression(culprit) && culprit.recommendationId && error.field === "recommendationId") {
      this.items = this.items.map((item) => (item === culprit ? { ...culprit, recommendationId: null } : item));
      this.persist();
      this.options.onDropped?.(culprit, `${error.message} (its attribution was dropped; the event is resent without it)`);
      return;
    }
    const culprits = culprit ? [culprit] : batch;
    this.remove(culprits);
    for (const item of culprits) this.options.onDropped?.(item, error.message);
  }

  private remove(sent: readonly OutboxItem[]): void {
    const ids = new Set(sent.map((item) => item.clientEventId));
    this.items = this.items.filter((item) => !ids.has(item.clientEventId));
    this.persist();
  }

  private persist(): void {
    this.options.store.save(this.items);
  }

  /** Flushes in `ms` at the latest: an earlier flush already scheduled stays (unless a retry backs off). */
  private schedule(ms: number, { replace = false } = {}): void {
    if (this.disposed) return;
    const due = Date.now() + ms;
    if (!replace && this.timer !== null && this.timerDue <= due) return;
    this.clearTimer();
    this.timerDue = due;
    this.timer = this.options.timers.setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, ms);
  }

  private clearTimer(): void {
    if (this.timer !== null) this.options.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}

function dedupe(items: readonly OutboxItem[]): OutboxItem[] {
  const seen = new Set<string>();
  return items.filter((item) => (seen.has(item.clientEventId) ? false : (seen.add(item.clientEventId), true)));
}

/** The browser's store: one key in localStorage; unreadable contents count as an empty queue. */
export function localStorageQueueStore(key = "marquee.pendingInteractions", storage: Storage = globalThis.localStorage): QueueStore {
  return {
    load() {
      try {
        const parsed: unknown = JSON.parse(storage.getItem(key) ?? "[]");
        return Array.isArray(parsed) ? parsed.filter((value: unknown) => isPendingInteraction(value) || isPendingImpression(value)) : [];
      } catch {
        return [];
      }
    },
    save(items) {
      try {
        if (items.length === 0) storage.removeItem(key);
        else storage.setItem(key, JSON.stringify(items));
      } catch {
        // Storage full or disabled (private mode): the queue still works in memory.
      }
    },
  };
}

function isPendingInteraction(value: unknown): value is PendingInteraction {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.clientEventId === "string" && typeof v.profileId === "string" && typeof v.movieId === "string" && typeof v.type === "string" && typeof v.occurredAt === "string";
}

function isPendingImpression(value: unknown): value is PendingImpression {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return v.kind === "impression" && typeof v.clientEventId === "string" && typeof v.profileId === "string" && typeof v.recommendationId === "string" && typeof v.shownAt === "string";
}
