import { ImpressionTracker, type CreateObserver, type ImpressionTarget } from "./impression-tracker";
import type { Timers } from "../queue/interaction-queue";

type Entry = { target: Element; isIntersecting: boolean; intersectionRatio: number };

/** An IntersectionObserver the test drives (jsdom has none, and no layout to compute one from). */
class FakeObservers {
  callback: ((entries: readonly Entry[]) => void) | null = null;
  options: IntersectionObserverInit | null = null;
  readonly observed = new Set<Element>();
  create: CreateObserver = (callback, options) => {
    this.callback = callback;
    this.options = options;
    return {
      observe: (el) => void this.observed.add(el),
      unobserve: (el) => void this.observed.delete(el),
      disconnect: () => this.observed.clear(),
    };
  };
  show(el: Element, ratio: number) {
    this.callback?.([{ target: el, isIntersecting: ratio > 0, intersectionRatio: ratio }]);
  }
}

/** A clock and timers advanced by hand. */
class Clock implements Timers {
  t = 0;
  private pending: { fn: () => void; at: number }[] = [];
  setTimeout(fn: () => void, ms: number) {
    const entry = { fn, at: this.t + ms };
    this.pending.push(entry);
    return entry;
  }
  clearTimeout(handle: unknown) {
    this.pending = this.pending.filter((entry) => entry !== handle);
  }
  advance(ms: number) {
    const until = this.t + ms;
    for (;;) {
      const next = this.pending.filter((e) => e.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.pending = this.pending.filter((e) => e !== next);
      this.t = next.at;
      next.fn();
    }
    this.t = until;
  }
}

function setup() {
  const observers = new FakeObservers();
  const clock = new Clock();
  const logged: { rec: string; at: number }[] = [];
  const tracker = new ImpressionTracker({
    onImpression: (target, shownAt) => logged.push({ rec: target.recommendationId, at: shownAt.getTime() }),
    createObserver: observers.create,
    timers: clock,
    now: () => new Date(clock.t),
  });
  const card = (rowId: string, movieId: string, recommendationId = `${rowId}/${movieId}`) => {
    const el = document.createElement("div");
    let target: ImpressionTarget = { rowId, movieId, recommendationId };
    const stop = tracker.observe(el, () => target);
    return { el, stop, retarget: (rec: string) => (target = { ...target, recommendationId: rec }) };
  };
  return { observers, clock, logged, tracker, card };
}

describe("ImpressionTracker", () => {
  it("watches at the half-visible threshold", () => {
    const { observers, card } = setup();
    card("TOP_PICKS", "1");
    expect(observers.options?.threshold).toEqual([0, 0.5]);
  });

  it("logs a card after a second at least half visible, when it became visible", () => {
    const { observers, clock, logged, card } = setup();
    const a = card("TOP_PICKS", "1");
    clock.advance(5000);
    observers.show(a.el, 0.6);
    clock.advance(999);
    expect(logged).toEqual([]);
    clock.advance(1);
    expect(logged).toEqual([{ rec: "TOP_PICKS/1", at: 5000 }]);
    // Logged once: it is no longer watched.
    expect(observers.observed.has(a.el)).toBe(false);
  });

  it("does not log a card that left, or fell under half, before its second was up", () => {
    const { observers, clock, logged, card } = setup();
    const a = card("TOP_PICKS", "1");
    const b = card("TOP_PICKS", "2");
    observers.show(a.el, 1);
    observers.show(b.el, 0.49);
    clock.advance(600);
    observers.show(a.el, 0.3);
    clock.advance(600);
    observers.show(a.el, 0.8);
    clock.advance(900);
    expect(logged).toEqual([]);
    clock.advance(100);
    expect(logged.map((l) => l.rec)).toEqual(["TOP_PICKS/1"]);
    clock.advance(10_000);
    expect(logged).toHaveLength(1);
  });

  it("logs each (row, title) once per page view, with the latest serving id, even across refetches and remounts", () => {
    const { observers, clock, logged, card } = setup();
    const a = card("TOP_PICKS", "1", "rec-old");
    a.retarget("rec-new");
    observers.show(a.el, 1);
    clock.advance(1000);
    // The same title in the same row, on a new element (re-rendered) with another serving id: not again.
    const again = card("TOP_PICKS", "1", "rec-newer");
    observers.show(again.el, 1);
    clock.advance(2000);
    // The same title in another row is another impression.
    const elsewhere = card("TRENDING", "1");
    observers.show(elsewhere.el, 1);
    clock.advance(1000);
    expect(logged.map((l) => l.rec)).toEqual(["rec-new", "TRENDING/1"]);
  });

  it("a new tracker is a new page view", () => {
    const first = setup();
    const a = first.card("TOP_PICKS", "1");
    first.observers.show(a.el, 1);
    first.clock.advance(1000);
    const second = setup();
    const b = second.card("TOP_PICKS", "1");
    second.observers.show(b.el, 1);
    second.clock.advance(1000);
    expect([first.logged.length, second.logged.length]).toEqual([1, 1]);
  });

  it("counts nothing while paused (tab hidden, a dialog over the page); the second starts over after", () => {
    const { observers, clock, logged, tracker, card } = setup();
    const a = card("TOP_PICKS", "1");
    observers.show(a.el, 1);
    clock.advance(700);
    tracker.setPaused(true);
    clock.advance(5000);
    expect(logged).toEqual([]);
    tracker.setPaused(false);
    clock.advance(700);
    expect(logged).toEqual([]);
    clock.advance(300);
    expect(logged).toEqual([{ rec: "TOP_PICKS/1", at: 5700 }]);
  });

  it("stops watching an element that is removed, and everything on dispose", () => {
    const { observers, clock, logged, tracker, card } = setup();
    const a = card("TOP_PICKS", "1");
    const b = card("TOP_PICKS", "2");
    observers.show(a.el, 1);
    observers.show(b.el, 1);
    a.stop();
    clock.advance(500);
    tracker.dispose();
    clock.advance(5000);
    expect(logged).toEqual([]);
    expect(observers.observed.size).toBe(0);
  });
});
