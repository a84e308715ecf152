import type { Timers } from "../queue/interaction-queue";

/**
 * Which recommended cards a viewer really saw: a card counts when at least half of it has been
 * on screen for a second without a break (the common viewability rule), once per page view for
 * each (row, title). One tracker is one page view; a refetch that re-serves the same title in the
 * same row (with a new serving id) is not a new impression.
 */

export interface ImpressionTarget {
  /** HomeRow.id: stable across refetches. */
  rowId: string;
  movieId: string;
  /** The card's current serving id (it changes on every refetch; the latest is logged). */
  recommendationId: string;
}

type Observer = Pick<IntersectionObserver, "observe" | "unobserve" | "disconnect">;
export type CreateObserver = (callback: (entries: readonly Pick<IntersectionObserverEntry, "target" | "isIntersecting" | "intersectionRatio">[]) => void, options: IntersectionObserverInit) => Observer;

export interface ImpressionTrackerOptions {
  onImpression: (target: ImpressionTarget, shownAt: Date) => void;
  /** Share of the card that must be on screen (0.5). */
  minVisibleRatio?: number;
  /** How long it must stay so (1000 ms). */
  minVisibleMs?: number;
  /** The browser's IntersectionObserver; tests pass their own. */
  createObserver?: CreateObserver;
  timers?: Timers;
  now?: () => Date;
}

interface Watched {
  target: () => ImpressionTarget | null;
  /** At least minVisibleRatio of it is on screen now. */
  inView: boolean;
  /** Running while the element is in view and the page is not paused: when it fires, the impression counts. */
  timer: unknown;
}

const browserObserver: CreateObserver = (callback, options) => new IntersectionObserver((entries) => callback(entries), options);

const browserTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

export const impressionKey = (target: Pick<ImpressionTarget, "rowId" | "movieId">) => `${target.rowId}\u0000${target.movieId}`;

export class ImpressionTracker {
  private readonly watched = new Map<Element, Watched>();
  private readonly logged = new Set<string>();
  private observer: Observer | null = null;
  private paused = false;
  private readonly ratio: number;
  private readonly ms: number;
  private readonly timers: Timers;
  private readonly now: () => Date;

  constructor(private readonly options: ImpressionTrackerOptions) {
    this.ratio = options.minVisibleRatio ?? 0.5;
    this.ms = options.minVisibleMs ?? 1000;
    this.timers = options.timers ?? browserTimers;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Watches `element` as the card `target()` names (read again when the impression is logged, so
   * it is the card's latest serving id). Returns the function that stops watching it.
   */
  observe(element: Element, target: () => ImpressionTarget | null): () => void {
    const first = target();
    if (!first || this.logged.has(impressionKey(first))) return () => undefined;
    this.watched.set(element, { target, inView: false, timer: null });
    this.observer ??= (this.options.createObserver ?? browserObserver)((entries) => this.onEntries(entries), { threshold: [0, this.ratio] });
    this.observer.observe(element);
    return () => this.unobserve(element);
  }

  /** While paused (the tab hidden, a dialog over the page), nothing on the page is being seen. */
  setPaused(paused: boolean): void {
    if (paused === this.paused) return;
    this.paused = paused;
    for (const [element, watched] of this.watched) {
      if (paused) this.stopTimer(watched);
      else if (watched.inView) this.startTimer(element, watched);
    }
  }

  /** Ends the page view's tracking (timers and observer); what was logged stays logged. */
  dispose(): void {
    for (const watched of this.watched.values()) this.stopTimer(watched);
    this.watched.clear();
    this.observer?.disconnect();
    this.observer = null;
  }

  /** How many (row, title) pairs this page view has logged. */
  get loggedCount(): number {
    return this.logged.size;
  }

  private onEntries(entries: readonly Pick<IntersectionObserverEntry, "target" | "isIntersecting" | "intersectionRatio">[]): void {
    for (const entry of entries) {
      const watched = this.watched.get(entry.target);
      if (!watched) continue;
      // The observer reports the threshold crossed; the ratio is a float that may land a hair under it.
      const visible = entry.isIntersecting && entry.intersectionRatio >= this.ratio - 1e-3;
      if (visible && !watched.inView) {
        watched.inView = true;
        if (!this.paused) this.startTimer(entry.target, watched);
      } else if (!visible) {
        watched.inView = false;
        this.stopTimer(watched);
      }
    }
  }

  /** The visible second starts now (after a pause it starts over: time seen before it is not added). */
  private startTimer(element: Element, watched: Watched): void {
    this.stopTimer(watched);
    const since = this.now();
    watched.timer = this.timers.setTimeout(() => {
      watched.timer = null;
      this.qualified(element, watched, since);
    }, this.ms);
  }

  private stopTimer(watched: Watched): void {
    if (watched.timer !== null) this.timers.clearTimeout(watched.timer);
    watched.timer = null;
  }

  private qualified(element: Element, watched: Watched, shownAt: Date): void {
    const target = watched.target();
    if (!target) return;
    const key = impressionKey(target);
    this.unobserve(element);
    if (this.logged.has(key)) return;
    this.logged.add(key);
    this.options.onImpression(target, shownAt);
  }

  private unobserve(element: Element): void {
    const watched = this.watched.get(element);
    if (!watched) return;
    this.stopTimer(watched);
    this.watched.delete(element);
    this.observer?.unobserve(element);
  }
}
