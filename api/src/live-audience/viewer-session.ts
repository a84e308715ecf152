/**
 * One visit of a simulated viewer to Home, decided without I/O: which cards it looks at (an
 * examination model), which it opens, and what it then does (the generator's own response model,
 * respondToTitle), as the impressions and events the web client would log. The caller sends
 * them; the same rng and page give the same visit.
 */
import { EVENT_TYPES, EventCode, respondToTitle, type EventType, type ViewerTaste } from "../engine/synthetic/audience";
import type { Random } from "../engine/synthetic/random";

/** A card of Home as the simulator reads it (what the web client's Home document selects). */
export interface ServedCard {
  readonly movieId: string;
  readonly recommendationId: string;
}

export interface ServedRow {
  readonly id: string;
  readonly kind: string;
  readonly items: readonly ServedCard[];
}

/**
 * Position-based examination with a cascade over rows: the viewer reads rows top to bottom and
 * goes on to the next row with probability `rowContinue` (so row r is reached with
 * rowContinue^r); within a row it looks at card i with probability `itemDecay`^i for the cards
 * on screen (`visibleCards`) and `scrollDecay` less for each card after them (it has to scroll).
 * Defaults follow the shape of eye-tracking and click-model studies (attention halves within
 * the first rows and past the first screen of a row), not any one measurement.
 */
export interface ExaminationModel {
  readonly rowContinue: number;
  readonly itemDecay: number;
  readonly visibleCards: number;
  readonly scrollDecay: number;
  /** After a title it played, the viewer goes on browsing with this probability (else the visit ends). */
  readonly continueAfterPlay: number;
}

export const DEFAULT_EXAMINATION: ExaminationModel = {
  rowContinue: 0.8,
  itemDecay: 0.93,
  visibleCards: 6,
  scrollDecay: 0.75,
  continueAfterPlay: 0.2,
};

/** The chance a card is looked at, given it is at `row` (0 = top) and `item` (0 = leftmost). */
export function examinationProbability(row: number, item: number, model: ExaminationModel = DEFAULT_EXAMINATION): number {
  const beyond = Math.max(0, item - model.visibleCards + 1);
  return Math.pow(model.rowContinue, row) * Math.pow(model.itemDecay, item) * Math.pow(model.scrollDecay, beyond);
}

/**
 * Chance a viewer opens a card it looked at, from its hidden affinity a ∈ [0, 1]: steep (a³),
 * so that a slate of titles it loves gets opened several times as often as an average one, with
 * a floor for curiosity.
 */
export function clickProbability(affinity: number): number {
  const a = affinity < 0 ? 0 : affinity > 1 ? 1 : affinity;
  return 0.01 + 0.45 * a * a * a;
}

export interface PlannedImpression {
  readonly recommendationId: string;
  readonly clientEventId: string;
  readonly shownAt: Date;
}

export interface PlannedEvent {
  readonly movieId: string;
  readonly type: EventType;
  readonly recommendationId: string;
  readonly clientEventId: string;
  readonly occurredAt: Date;
  readonly progress?: number;
}

export interface PlannedVisit {
  readonly impressions: PlannedImpression[];
  readonly events: PlannedEvent[];
  /** Titles opened (THUMBNAIL_CLICK) and played. */
  readonly clicks: number;
  readonly plays: number;
  readonly watchedFull: number;
  /** Mean hidden affinity of the first 10 titles of Top picks (of the first row when there is none); NaN for an empty page. */
  readonly top10Utility: number;
  /** When the viewer is done (its last event, or the page view when nothing was played). */
  readonly endsAt: Date;
}

export interface VisitOptions {
  readonly examination?: ExaminationModel;
  /** Simulated seconds per real second: a two-hour film takes 7,200 / timeScale seconds. */
  readonly timeScale: number;
  /** Prefix of the client event ids, unique per visit (e.g. run, viewer and visit number). */
  readonly idPrefix: string;
}

/** Movie id -> the world's title index (titles the world does not know get no taste and are skipped). */
export type TitleIndex = (movieId: string) => number | undefined;

/** The Top picks row (what an experiment on the personalised model changes), else the first row. */
export function headlineRow(rows: readonly ServedRow[]): ServedRow | undefined {
  return rows.find((r) => r.kind === "TOP_PICKS") ?? rows[0];
}

export function planVisit(rng: Random, rows: readonly ServedRow[], taste: ViewerTaste, titleIndex: TitleIndex, now: Date, options: VisitOptions): PlannedVisit {
  const model = options.examination ?? DEFAULT_EXAMINATION;
  const impressions: PlannedImpression[] = [];
  const events: PlannedEvent[] = [];
  const start = now.getTime();
  let clicks = 0;
  let plays = 0;
  let watchedFull = 0;
  let endsAt = start;
  // Each card's on-screen moment: a second per card looked at, in reading order.
  let clock = start;
  const affinityOf = (movieId: string) => {
    const t = titleIndex(movieId);
    return t === undefined ? undefined : taste.affinity(t);
  };

  const headline = headlineRow(rows);
  let top10 = 0;
  let counted = 0;
  for (const card of headline?.items.slice(0, 10) ?? []) {
    const a = affinityOf(card.movieId);
    if (a !== undefined) {
      top10 += a;
      counted++;
    }
  }

  let leave = false;
  const opened = new Set<string>();
  for (let r = 0; r < rows.length && !leave; r++) {
    if (r > 0 && rng.float() >= model.rowContinue) break;
    const items = rows[r].items;
    for (let i = 0; i < items.length && !leave; i++) {
      const pItem = examinationProbability(0, i, model);
      if (rng.float() >= pItem) continue;
      const card = items[i];
      clock += 1000;
      impressions.push({ recommendationId: card.recommendationId, clientEventId: `${options.idPrefix}:i:${r}:${i}`, shownAt: new Date(clock) });
      const a = affinityOf(card.movieId);
      // A title already opened in this visit (it can sit in two rows) is not opened again.
      if (a === undefined || opened.has(card.movieId) || rng.float() >= clickProbability(a)) continue;
      opened.add(card.movieId);
      clicks++;
      let played = false;
      let n = 0;
      const shownAt = clock;
      respondToTitle(rng, a, 0, (code, progress, offset) => {
        if (code === EventCode.PLAY) {
          played = true;
          plays++;
        }
        if (code === EventCode.WATCHED_FULL) watchedFull++;
        // Simulated seconds after the card was seen, compressed; + n ms keeps the events in order.
        const occurredAt = Math.round(shownAt + (offset * 1000) / options.timeScale) + ++n;
        events.push({
          movieId: card.movieId,
          type: EVENT_TYPES[code],
          recommendationId: card.recommendationId,
          clientEventId: `${options.idPrefix}:e:${r}:${i}:${n}`,
          occurredAt: new Date(occurredAt),
          ...(Number.isNaN(progress) ? {} : { progress }),
        });
        endsAt = Math.max(endsAt, occurredAt);
      });
      if (played && rng.float() >= model.continueAfterPlay) leave = true;
    }
  }
  return {
    impressions,
    events,
    clicks,
    plays,
    watchedFull,
    top10Utility: counted > 0 ? top10 / counted : NaN,
    endsAt: new Date(Math.max(endsAt, clock)),
  };
}
