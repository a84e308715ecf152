import { AudienceTastes } from "../engine/synthetic/audience";
import { Random } from "../engine/synthetic/random";
import { clickProbability, DEFAULT_EXAMINATION, examinationProbability, headlineRow, planVisit, type ServedRow } from "./viewer-session";

const TITLES = 400;
const genres = new Uint32Array(TITLES);
for (let t = 0; t < TITLES; t++) genres[t] = 1 << t % 8;
const tastes = new AudienceTastes({ viewers: 50, titles: TITLES, seed: 11, titleGenres: genres });
const titleIndex = (id: string) => (Number(id) >= 1 && Number(id) <= TITLES ? Number(id) - 1 : undefined);

/** A page of `rows` rows of 20 cards, movie ids chosen by `pick(row, item)` (1-based ids). */
function page(rows: number, pick: (row: number, item: number) => number): ServedRow[] {
  return Array.from({ length: rows }, (_, r) => ({
    id: `ROW:${r}`,
    kind: r === 0 ? "TOP_PICKS" : "GENRE",
    items: Array.from({ length: 20 }, (_, i) => ({ movieId: String(pick(r, i)), recommendationId: `rec-${r}-${i}` })),
  }));
}

const options = { timeScale: 60, idPrefix: "t" };
const now = new Date("2026-12-01T12:00:00Z");

describe("examination model", () => {
  it("falls with row and with position, faster past the first screen of a row", () => {
    expect(examinationProbability(0, 0)).toBe(1);
    for (let r = 0; r < 6; r++) for (let i = 0; i < 19; i++) {
      expect(examinationProbability(r, i + 1)).toBeLessThan(examinationProbability(r, i));
      expect(examinationProbability(r + 1, i)).toBeLessThan(examinationProbability(r, i));
    }
    const v = DEFAULT_EXAMINATION.visibleCards;
    const onScreen = examinationProbability(0, v - 1) / examinationProbability(0, v - 2);
    const offScreen = examinationProbability(0, v) / examinationProbability(0, v - 1);
    expect(offScreen).toBeLessThan(onScreen);
  });

  it("opens titles a viewer loves far more often than ones it does not", () => {
    expect(clickProbability(0.9)).toBeGreaterThan(5 * clickProbability(0.3));
    expect(clickProbability(0)).toBeGreaterThan(0);
    expect(clickProbability(2)).toBe(clickProbability(1));
  });
});

describe("planVisit", () => {
  it("is the same visit for the same rng and page", () => {
    const rows = page(6, (r, i) => 1 + ((r * 20 + i) % TITLES));
    const a = planVisit(new Random(1, 7), rows, tastes.viewer(3), titleIndex, now, options);
    const b = planVisit(new Random(1, 7), rows, tastes.viewer(3), titleIndex, now, options);
    expect(b).toEqual(a);
  });

  it("logs impressions for the cards looked at, more of them near the top-left, and events only on those cards after their impression", () => {
    const rows = page(8, (r, i) => 1 + ((r * 20 + i) % TITLES));
    const seen = new Map<string, number>();
    for (let s = 0; s < 400; s++) {
      const visit = planVisit(new Random(2, s), rows, tastes.viewer(s % 50), titleIndex, now, { ...options, idPrefix: `v${s}` });
      const shown = new Map(visit.impressions.map((i) => [i.recommendationId, i.shownAt.getTime()] as const));
      expect(new Set(visit.impressions.map((i) => i.clientEventId)).size).toBe(visit.impressions.length);
      for (const e of visit.events) {
        expect(shown.has(e.recommendationId)).toBe(true);
        expect(e.occurredAt.getTime()).toBeGreaterThan(shown.get(e.recommendationId)!);
      }
      for (const id of shown.keys()) seen.set(id, (seen.get(id) ?? 0) + 1);
    }
    const share = (r: number, i: number) => (seen.get(`rec-${r}-${i}`) ?? 0) / 400;
    expect(share(0, 0)).toBeGreaterThan(0.9);
    expect(share(0, 0)).toBeGreaterThan(share(0, 10) + 0.3);
    expect(share(0, 0)).toBeGreaterThan(share(4, 0) + 0.3);
    expect(share(7, 15)).toBeLessThan(0.1);
  });

  it("reacts to the slate: a page of titles the viewer loves gets more opens and plays, and a higher true top-10 utility", () => {
    let u = 0;
    while (tastes.viewer(u).theta[0] < 0.7) u++;
    const taste = tastes.viewer(u);
    // Genre 0 titles are ids 1, 9, 17, ...; genre 4 titles 5, 13, ...
    const loved = page(6, (r, i) => 1 + 8 * ((r * 20 + i) % 50));
    const other = page(6, (r, i) => 5 + 8 * ((r * 20 + i) % 50));
    let lovedPlays = 0;
    let otherPlays = 0;
    for (let s = 0; s < 300; s++) {
      const a = planVisit(new Random(3, s), loved, taste, titleIndex, now, options);
      const b = planVisit(new Random(3, s), other, taste, titleIndex, now, options);
      lovedPlays += a.plays;
      otherPlays += b.plays;
      expect(a.top10Utility).toBeGreaterThan(b.top10Utility + 0.3);
    }
    expect(lovedPlays).toBeGreaterThan(3 * otherPlays);
  });

  it("compresses time: a film's WATCHED_FULL comes at most two simulated hours / timeScale after its play", () => {
    const rows = page(4, (r, i) => 1 + 8 * ((r * 20 + i) % 50));
    let u = 0;
    while (tastes.viewer(u).theta[0] < 0.7) u++;
    let checked = 0;
    for (let s = 0; s < 200; s++) {
      const visit = planVisit(new Random(4, s), rows, tastes.viewer(u), titleIndex, now, options);
      for (const full of visit.events.filter((e) => e.type === "WATCHED_FULL")) {
        const play = visit.events.find((e) => e.type === "PLAY" && e.recommendationId === full.recommendationId)!;
        const gap = full.occurredAt.getTime() - play.occurredAt.getTime();
        expect(gap).toBeGreaterThanOrEqual((1200 * 1000) / 60);
        expect(gap).toBeLessThanOrEqual((7200 * 1000) / 60 + 5);
        expect(visit.endsAt.getTime()).toBeGreaterThanOrEqual(full.occurredAt.getTime());
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it("skips titles the world does not know (no taste for them) and reads Top picks as the headline row", () => {
    const rows = page(3, () => TITLES + 100);
    const visit = planVisit(new Random(5, 1), rows, tastes.viewer(0), titleIndex, now, options);
    expect(visit.impressions.length).toBeGreaterThan(0);
    expect(visit.events).toEqual([]);
    expect(visit.top10Utility).toBeNaN();
    const reordered = [{ ...rows[1], kind: "TRENDING" }, rows[0]];
    expect(headlineRow(reordered)?.kind).toBe("TOP_PICKS");
  });
});
