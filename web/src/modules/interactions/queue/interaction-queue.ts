import type { InteractionType } from "../../../gql/graphql";

/**
 * The outbox for interaction events. Every event gets its client event id when it is enqueued, and
 * keeps it through every retry: the API stores one row per (profile, clientEventId), so resending a
 * batch whose response was lost cannot duplicate it. Items leave the queue only after the API has
 * acknowledged them, and the unsent queue is persisted so a reload or a crash does not lose them.
 */

export interface PendingInteraction {
  clientEventId: string;
  profileId: string;
  movieId: string;
  type: InteractionType;
  progress: number | null;
  positionSeconds: number | null;
  /** Client time, ISO 8601: when the viewer acted, not when the batch finally got through. */
  occurredAt: string;
}

export type NewInteraction = Omit<PendingInteraction, "clientEventId" | "occurredAt" | "progress" | "positionSeconds"> &
  Partial<Pick<PendingInteraction, "progress" | "positionSeconds">>;

/** Where the unsent queue survives reloads (localStorage in the browser). */
export interface QueueStore {
  load(): PendingInteraction[];
  save(items: readonly PendingInteraction[]): void;
}

/**
 * Thrown by a sender when the API refused the batch for a reason retrying cannot fix (bad input).
 * `index` is the offending element when the API names it; that element is dropped and the rest
 * resent, since logInteractions stores a batch all or nothing.
 */
export class RejectedBatchError extends Error {
  constructor(
    message: string,
    readonly index: number | null,
  ) {
    super(message);
    this.name = "RejectedBatchError";
  }
}

export type SendBatch = (batch: readonly PendingInteraction[]) => Promise<void>;

export type QueueStatus = { state: "idle" } | { state: "sending"; pending: number } | { state: "retrying"; pending: number; retryInMs: number };

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface InteractionQueueOptions {
  send: SendBatch;
  store: QueueStore;
  newId?: () => string;
  now?: () => Date;
  timers?: Timers;
  /** Small batches keep each request quick and the rows fresh. */
  batchSize?: number;
  /** Events arriving within this window go out together. */
  flushDelayMs?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  onSent?: (batch: readonly PendingInteraction[]) => void;
  onDropped?: (item: PendingInteraction, reason: string) => void;
  onStatus?: (status: QueueStatus) => void;
}

const defaultTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

export class InteractionQueue {
  private items: PendingInteraction[];
  private inFlight: Promise<void> | null = null;
  private timer: unknown = null;
  private failures = 0;
  private disposed = false;
  private readonly options: Required<Omit<InteractionQueueOptions, "onSent" | "onDropped" | "onStatus">> &
    Pick<InteractionQueueOptions, "onSent" | "onDropped" | "onStatus">;

  constructor(options: InteractionQueueOptions) {
    this.options = {
      newId: () => crypto.randomUUID(),
      now: () => new Date(),
      timers: defaultTimers,
      batchSize: 20,
      flushDelayMs: 100,
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

  pending(): readonly PendingInteraction[] {
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
      const batch = this.items.slice(0, this.options.batchSize);
      this.options.onStatus?.({ state: "sending", pending: this.items.length });
      try {
        await this.options.send(batch);
      } catch (error) {
        if (error instanceof RejectedBatchError) {
          this.dropRejected(batch, error);
          continue;
        }
        this.failures += 1;
        const retryInMs = Math.min(this.options.retryMaxMs, this.options.retryBaseMs * 2 ** (this.failures - 1));
        this.options.onStatus?.({ state: "retrying", pending: this.items.length, retryInMs });
        this.schedule(retryInMs);
        return;
      }
      this.failures = 0;
      this.remove(batch);
      this.options.onSent?.(batch);
    }
    if (!this.disposed) this.options.onStatus?.({ state: "idle" });
  }

  private dropRejected(batch: readonly PendingInteraction[], error: RejectedBatchError): void {
    const culprits = error.index !== null && batch[error.index] ? [batch[error.index]] : batch;
    this.remove(culprits);
    for (const item of culprits) this.options.onDropped?.(item, error.message);
  }

  private remove(sent: readonly PendingInteraction[]): void {
    const ids = new Set(sent.map((item) => item.clientEventId));
    this.items = this.items.filter((item) => !ids.has(item.clientEventId));
    this.persist();
  }

  private persist(): void {
    this.options.store.save(this.items);
  }

  private schedule(ms: number): void {
    if (this.disposed) return;
    this.clearTimer();
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

function dedupe(items: readonly PendingInteraction[]): PendingInteraction[] {
  const seen = new Set<string>();
  return items.filter((item) => (seen.has(item.clientEventId) ? false : (seen.add(item.clientEventId), true)));
}

/** The browser's store: one key in localStorage; unreadable contents count as an empty queue. */
export function localStorageQueueStore(key = "marquee.pendingInteractions", storage: Storage = globalThis.localStorage): QueueStore {
  return {
    load() {
      try {
        const parsed: unknown = JSON.parse(storage.getItem(key) ?? "[]");
        return Array.isArray(parsed) ? parsed.filter(isPendingInteraction) : [];
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
