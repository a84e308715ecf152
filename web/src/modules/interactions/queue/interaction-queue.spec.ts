import { InteractionQueue, RejectedBatchError, isImpression, localStorageQueueStore, type OutboxItem, type PendingImpression, type PendingInteraction, type QueueStatus, type QueueStore, type Timers } from "./interaction-queue";

/** A server that stores by (profileId, clientEventId), as the API does, and can be told to fail. */
class FlakyServer {
  readonly stored = new Map<string, PendingInteraction>();
  requests = 0;
  failNext = 0;
  /** Store the batch but "lose" the response (the worst case for duplicates). */
  dropResponseNext = 0;
  rejectIndexNext: number | null = null;

  send = async (batch: readonly PendingInteraction[]) => {
    this.requests += 1;
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new TypeError("Failed to fetch");
    }
    if (this.rejectIndexNext !== null) {
      const index = this.rejectIndexNext;
      this.rejectIndexNext = null;
      throw new RejectedBatchError(`inputs[${index}]: unknown movie`, index);
    }
    for (const item of batch) {
      const key = `${item.profileId}/${item.clientEventId}`;
      if (!this.stored.has(key)) this.stored.set(key, item);
    }
    if (this.dropResponseNext > 0) {
      this.dropResponseNext -= 1;
      throw new TypeError("NetworkError when attempting to fetch resource");
    }
  };
}

class MemoryStore implements QueueStore {
  saved: OutboxItem[] = [];
  load() {
    return [...this.saved];
  }
  save(items: readonly OutboxItem[]) {
    this.saved = [...items];
  }
}

/** Timers we advance by hand: retries happen when the test says so. */
class ManualTimers implements Timers {
  private queue: { fn: () => void; ms: number }[] = [];
  setTimeout(fn: () => void, ms: number) {
    const entry = { fn, ms };
    this.queue.push(entry);
    return entry;
  }
  clearTimeout(handle: unknown) {
    this.queue = this.queue.filter((entry) => entry !== handle);
  }
  get delays() {
    return this.queue.map((entry) => entry.ms);
  }
  async runAll() {
    const due = this.queue;
    this.queue = [];
    due.forEach((entry) => entry.fn());
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

let ids = 0;
function makeQueue(server: FlakyServer, store: QueueStore = new MemoryStore(), timers = new ManualTimers()) {
  const sent: string[][] = [];
  const queue = new InteractionQueue({
    send: server.send,
    store,
    timers,
    newId: () => `evt-${++ids}`,
    batchSize: 3,
    onSent: (batch) => sent.push(batch.map((item) => item.clientEventId)),
  });
  return { queue, timers, store, sent };
}

const event = (movieId: string) => ({ profileId: "p1", movieId, type: "PLAY" as const });

describe("InteractionQueue", () => {
  it("gives each event a client id and client time, and sends in small batches", async () => {
    const server = new FlakyServer();
    const { queue, sent } = makeQueue(server);
    const first = queue.enqueue(event("1"));
    for (const id of ["2", "3", "4", "5"]) queue.enqueue(event(id));
    expect(first.clientEventId).toMatch(/^evt-/);
    expect(Number.isNaN(Date.parse(first.occurredAt))).toBe(false);
    await queue.flush();
    expect(sent.map((batch) => batch.length)).toEqual([3, 2]);
    expect(server.stored.size).toBe(5);
    expect(queue.pending()).toHaveLength(0);
  });

  it("keeps events through network failures and retries with backoff, without duplicates", async () => {
    const server = new FlakyServer();
    const { queue, timers } = makeQueue(server);
    server.failNext = 2;
    queue.enqueue(event("1"));
    queue.enqueue(event("2"));
    await queue.flush();
    expect(queue.pending()).toHaveLength(2);
    expect(timers.delays).toEqual([1000]);
    await timers.runAll();
    expect(timers.delays).toEqual([2000]); // exponential backoff
    await timers.runAll();
    expect(queue.pending()).toHaveLength(0);
    expect([...server.stored.values()].map((e) => e.movieId)).toEqual(["1", "2"]);
    expect(server.requests).toBe(3);
  });

  it("resends with the same client ids when a response is lost, so the server stores each event once", async () => {
    const server = new FlakyServer();
    const { queue, timers } = makeQueue(server);
    server.dropResponseNext = 1;
    const a = queue.enqueue(event("1"));
    await queue.flush();
    expect(server.stored.size).toBe(1); // stored, but the client does not know it
    expect(queue.pending().map((e) => e.clientEventId)).toEqual([a.clientEventId]);
    await timers.runAll();
    expect(server.requests).toBe(2);
    expect(server.stored.size).toBe(1);
    expect(queue.pending()).toHaveLength(0);
  });

  it("never puts one event in two concurrent requests", async () => {
    const seen: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const queue = new InteractionQueue({
      store: new MemoryStore(),
      timers: new ManualTimers(),
      send: async (batch) => {
        seen.push(...batch.map((e) => e.clientEventId));
        await gate;
      },
    });
    queue.enqueue(event("1"));
    const one = queue.flush();
    const two = queue.flush();
    queue.enqueue(event("2"));
    const three = queue.flush();
    release();
    await Promise.all([one, two, three]);
    expect(seen).toHaveLength(2);
    expect(new Set(seen).size).toBe(2);
  });

  it("persists the unsent queue, and a new queue (after a reload) sends it", async () => {
    const store = new MemoryStore();
    const down = new FlakyServer();
    down.failNext = 1;
    const before = makeQueue(down, store);
    const a = before.queue.enqueue(event("1"));
    await before.queue.flush();
    before.queue.dispose();
    expect(store.saved.map((e) => e.clientEventId)).toEqual([a.clientEventId]);

    const up = new FlakyServer();
    const after = makeQueue(up, store);
    expect(after.queue.pending().map((e) => e.clientEventId)).toEqual([a.clientEventId]);
    await after.queue.flush();
    expect([...up.stored.values()].map((e) => e.clientEventId)).toEqual([a.clientEventId]);
    expect(store.saved).toEqual([]);
  });

  it("drops only the element the API refused, and sends the rest", async () => {
    const server = new FlakyServer();
    const dropped: string[] = [];
    const queue = new InteractionQueue({ send: server.send, store: new MemoryStore(), timers: new ManualTimers(), onDropped: (item) => dropped.push(isImpression(item) ? item.recommendationId : item.movieId) });
    queue.enqueue(event("1"));
    queue.enqueue(event("bad"));
    queue.enqueue(event("3"));
    server.rejectIndexNext = 1;
    await queue.flush();
    expect(dropped).toEqual(["bad"]);
    expect([...server.stored.values()].map((e) => e.movieId)).toEqual(["1", "3"]);
  });

  it("localStorage store round-trips and ignores corrupt contents", () => {
    localStorage.setItem("q-test", "{not json");
    const store = localStorageQueueStore("q-test");
    expect(store.load()).toEqual([]);
    const item: PendingInteraction = { clientEventId: "x", profileId: "p", movieId: "m", type: "LIKE", progress: null, positionSeconds: null, occurredAt: new Date(0).toISOString() };
    store.save([item]);
    expect(store.load()).toEqual([item]);
    store.save([]);
    expect(localStorage.getItem("q-test")).toBeNull();
  });

  describe("impressions, through the same outbox", () => {
    /** logImpressions as the API keeps it: one row per (profile, clientEventId); can refuse an element. */
    class ImpressionServer {
      readonly stored = new Map<string, PendingImpression>();
      readonly batches: number[] = [];
      failNext = 0;
      refuse: { index: number; code: string } | null = null;
      send = async (batch: readonly PendingImpression[]) => {
        this.batches.push(batch.length);
        if (this.failNext > 0) {
          this.failNext -= 1;
          throw new TypeError("Failed to fetch");
        }
        if (this.refuse) {
          const { index, code } = this.refuse;
          this.refuse = null;
          throw new RejectedBatchError(`${code}: inputs[${index}] recommendationId was served to another profile`, index, "recommendationId");
        }
        for (const item of batch) if (!this.stored.has(`${item.profileId}/${item.clientEventId}`)) this.stored.set(`${item.profileId}/${item.clientEventId}`, item);
      };
    }

    function makeOutbox(store: QueueStore = new MemoryStore(), onStatus?: (status: QueueStatus) => void) {
      const events = new FlakyServer();
      const impressions = new ImpressionServer();
      const timers = new ManualTimers();
      const acknowledged: string[] = [];
      const dropped: string[] = [];
      const queue = new InteractionQueue({
        send: (batch) => events.send(batch),
        sendImpressions: (batch) => impressions.send(batch),
        store,
        timers,
        newId: () => `id-${++ids}`,
        batchSize: 3,
        impressionBatchSize: 4,
        onSent: (batch) => acknowledged.push(...batch.map((item) => item.movieId)),
        onDropped: (item) => dropped.push(isImpression(item) ? item.recommendationId : item.movieId),
        onStatus,
      });
      return { queue, events, impressions, timers, acknowledged, dropped, store };
    }

    it("sends impressions in their own large batches, after the events, and tells onSent only of events", async () => {
      const { queue, events, impressions, acknowledged } = makeOutbox();
      for (let i = 0; i < 6; i++) queue.enqueueImpression({ profileId: "p1", recommendationId: `rec-${i}`, shownAt: new Date(1000 * i) });
      queue.enqueue(event("10"));
      await queue.flush();
      expect(events.requests).toBe(1);
      expect(impressions.batches).toEqual([4, 2]);
      // Acknowledged impressions refetch nothing: onSent heard of the one event only.
      expect(acknowledged).toEqual(["10"]);
      const stored = [...impressions.stored.values()];
      expect(stored.map((item) => item.recommendationId)).toEqual(["rec-0", "rec-1", "rec-2", "rec-3", "rec-4", "rec-5"]);
      expect(stored[2]).toMatchObject({ kind: "impression", profileId: "p1", shownAt: new Date(2000).toISOString() });
      expect(new Set(stored.map((item) => item.clientEventId)).size).toBe(6);
      expect(queue.pending()).toEqual([]);
    });

    it("waits longer for impressions, but never delays an event's flush", async () => {
      const { queue, timers } = makeOutbox();
      queue.enqueueImpression({ profileId: "p1", recommendationId: "rec-a" });
      expect(timers.delays).toEqual([2000]);
      queue.enqueue(event("1"));
      expect(timers.delays).toEqual([100]);
      queue.enqueueImpression({ profileId: "p1", recommendationId: "rec-b" });
      expect(timers.delays).toEqual([100]);
    });

    it("retries a failed impression batch with the same client ids: stored once", async () => {
      const store = new MemoryStore();
      const statuses: QueueStatus[] = [];
      const { queue, impressions, timers } = makeOutbox(store, (status) => statuses.push(status));
      queue.enqueueImpression({ profileId: "p1", recommendationId: "rec-a" });
      queue.enqueueImpression({ profileId: "p1", recommendationId: "rec-b" });
      impressions.failNext = 1;
      await queue.flush();
      expect(timers.delays).toEqual([1000]);
      // The viewer is told of no waiting events: these are impressions.
      expect(statuses.at(-1)).toEqual({ state: "retrying", pending: 0, retryInMs: 1000 });
      // Persisted while waiting: a reload would resend the same ids.
      expect(store.saved.filter(isImpression).map((item) => item.recommendationId)).toEqual(["rec-a", "rec-b"]);
      await timers.runAll();
      expect(impressions.batches).toEqual([2, 2]);
      expect(impressions.stored.size).toBe(2);
      expect(queue.pending()).toEqual([]);
    });

    it("drops an impression the API refuses (FORBIDDEN or BAD_USER_INPUT at an index) instead of retrying it", async () => {
      const { queue, impressions, dropped, timers } = makeOutbox();
      queue.enqueueImpression({ profileId: "p1", recommendationId: "rec-a" });
      queue.enqueueImpression({ profileId: "p1", recommendationId: "rec-foreign" });
      queue.enqueueImpression({ profileId: "p1", recommendationId: "rec-c" });
      impressions.refuse = { index: 1, code: "FORBIDDEN" };
      await queue.flush();
      expect(dropped).toEqual(["rec-foreign"]);
      expect([...impressions.stored.values()].map((item) => item.recommendationId)).toEqual(["rec-a", "rec-c"]);
      expect(timers.delays).toEqual([]);
    });

    it("keeps an event refused only for its serving id, and resends it unattributed", async () => {
      const { queue, events, dropped } = makeOutbox();
      const sent: (string | null | undefined)[] = [];
      let refused = false;
      events.send = async (batch) => {
        if (!refused && batch[0]?.recommendationId) {
          refused = true;
          throw new RejectedBatchError("inputs[0]: recommendationId was served for movie 2, not 1", 0, "recommendationId");
        }
        sent.push(...batch.map((item) => item.recommendationId));
      };
      queue.enqueue({ ...event("1"), recommendationId: "rec-stale" });
      await queue.flush();
      expect(sent).toEqual([null]);
      expect(dropped).toEqual(["1"]);
      expect(queue.pending()).toEqual([]);
    });

    it("survives a reload with impressions and events in the store", () => {
      localStorage.removeItem("q-mixed");
      const store = localStorageQueueStore("q-mixed");
      const impression: PendingImpression = { kind: "impression", clientEventId: "i1", profileId: "p", recommendationId: "r", shownAt: new Date(0).toISOString() };
      const interaction: PendingInteraction = { clientEventId: "e1", profileId: "p", movieId: "m", type: "PLAY", progress: null, positionSeconds: null, recommendationId: "r", occurredAt: new Date(0).toISOString() };
      store.save([interaction, impression]);
      expect(store.load()).toEqual([interaction, impression]);
      localStorage.setItem("q-mixed", JSON.stringify([{ kind: "impression", clientEventId: "x" }]));
      expect(store.load()).toEqual([]);
    });
  });
});
