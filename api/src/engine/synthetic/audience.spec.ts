import { createHash } from "node:crypto";
import {
  aggregateEvents,
  AudienceTastes,
  DEFAULT_EVENT_WEIGHTS,
  EVENT_TYPES,
  EventCode,
  generateAudience,
  generateAudienceChunks,
  generatePairs,
  type SyntheticEvents,
} from "./audience";
import { AliasTable, Random } from "./random";
import { temporalSplit } from "./temporal-split";

jest.setTimeout(60_000);

describe("Random", () => {
  it("repeats a sequence for the same seed and stream, and differs across seeds and streams", () => {
    const draw = (seed: number, stream: number) => {
      const r = new Random(seed, stream);
      return Array.from({ length: 8 }, () => r.nextUint32());
    };
    expect(draw(7, 0)).toEqual(draw(7, 0));
    expect(draw(7, 0)).not.toEqual(draw(8, 0));
    expect(draw(7, 0)).not.toEqual(draw(7, 1));
  });

  it("draws uniform floats, normals and gammas with the right moments", () => {
    const r = new Random(42);
    const n = 200_000;
    let sum = 0;
    let sumN = 0;
    let sumN2 = 0;
    let sumG = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = r.float();
      if (!(u >= 0 && u < 1)) outside++;
      sum += u;
      const z = r.normal();
      sumN += z;
      sumN2 += z * z;
      sumG += r.gamma(0.1);
    }
    expect(outside).toBe(0);
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(sumN / n).toBeCloseTo(0, 1);
    expect(sumN2 / n).toBeCloseTo(1, 1);
    expect(sumG / n).toBeCloseTo(0.1, 2);
  });

  it("samples an alias table in proportion to its weights", () => {
    const table = new AliasTable([1, 0, 3, 6]);
    const r = new Random(3);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 100_000; i++) counts[table.sample(r)]++;
    expect(counts[1]).toBe(0);
    expect(counts[0] / 100_000).toBeCloseTo(0.1, 1);
    expect(counts[2] / 100_000).toBeCloseTo(0.3, 1);
    expect(counts[3] / 100_000).toBeCloseTo(0.6, 1);
    expect(() => new AliasTable([1, -1])).toThrow(/>= 0/);
  });
});

const spec = { viewers: 300, titles: 400, events: 30_000, seed: 11 };

describe("generateAudience", () => {
  it("is deterministic for a seed and changes with it", () => {
    const a = generateAudience(spec);
    const b = generateAudience(spec);
    expect(a.length).toBe(spec.events);
    expect(Buffer.from(a.title.buffer).equals(Buffer.from(b.title.buffer))).toBe(true);
    expect(Buffer.from(a.time.buffer).equals(Buffer.from(b.time.buffer))).toBe(true);
    expect(Buffer.from(a.type.buffer).equals(Buffer.from(b.type.buffer))).toBe(true);
    const c = generateAudience({ ...spec, seed: 12 });
    expect(Buffer.from(a.title.buffer).equals(Buffer.from(c.title.buffer))).toBe(false);
  });

  it("emits plausible sessions: ordered by viewer and time, a click opens each viewer, progress only on plays", () => {
    const e = generateAudience(spec);
    const counts = new Array<number>(EVENT_TYPES.length).fill(0);
    // Collect violations instead of one expect per event (expect is slow in hot loops).
    const bad: string[] = [];
    for (let i = 0; i < e.length; i++) {
      counts[e.type[i]]++;
      if (e.viewer[i] < 0 || e.viewer[i] >= spec.viewers) bad.push(`${i}: viewer ${e.viewer[i]}`);
      if (i > 0 && e.viewer[i] < e.viewer[i - 1]) bad.push(`${i}: viewers out of order`);
      if (i > 0 && e.viewer[i] === e.viewer[i - 1]) {
        if (e.time[i] < e.time[i - 1]) bad.push(`${i}: time goes back`);
      } else if (e.type[i] !== EventCode.THUMBNAIL_CLICK) bad.push(`${i}: viewer starts with ${EVENT_TYPES[e.type[i]]}`);
      const t = e.type[i];
      const hasProgress = t === EventCode.PLAY || t === EventCode.WATCHED_FULL || t === EventCode.SKIPPED || t === EventCode.CLOSED;
      if (hasProgress ? !(e.progress[i] >= 0 && e.progress[i] <= 1) : !Number.isNaN(e.progress[i])) bad.push(`${i}: progress ${e.progress[i]}`);
      if (t === EventCode.WATCHED_FULL && e.progress[i] !== 1) bad.push(`${i}: watched in full at ${e.progress[i]}`);
    }
    expect(bad.slice(0, 5)).toEqual([]);
    // Every event type occurs, clicks lead, and a play is followed by one outcome (cut sessions aside).
    for (const c of counts) expect(c).toBeGreaterThan(0);
    expect(counts[EventCode.THUMBNAIL_CLICK]).toBeGreaterThan(counts[EventCode.PLAY]);
    const outcomes = counts[EventCode.WATCHED_FULL] + counts[EventCode.SKIPPED] + counts[EventCode.CLOSED];
    expect(Math.abs(outcomes - counts[EventCode.PLAY])).toBeLessThanOrEqual(spec.viewers);
    expect(e.time[0]).toBeGreaterThanOrEqual(1_700_000_000);
    expect(Math.max(...e.time)).toBeLessThan(1_700_000_000 + 90 * 86400);
  });

  it("gives the same events in chunks as at once", () => {
    const whole = generateAudience(spec);
    let at = 0;
    let chunks = 0;
    for (const chunk of generateAudienceChunks(spec, 4000)) {
      chunks++;
      for (let i = 0; i < chunk.length; i++, at++) {
        if (chunk.title[i] !== whole.title[at] || chunk.viewer[i] !== whole.viewer[at] || chunk.time[i] !== whole.time[at]) {
          throw new Error(`chunked event ${at} differs`);
        }
      }
    }
    expect(at).toBe(spec.events);
    expect(chunks).toBeGreaterThan(5);
  });

  it("makes viewers love their genres when the catalog has genres", () => {
    const titles = 200;
    const titleGenres = new Uint32Array(titles);
    for (let t = 0; t < titles; t++) titleGenres[t] = 1 << t % 4; // four genres, one per title
    const e = generateAudience({ viewers: 200, titles, events: 40_000, seed: 5, titleGenres });
    const perViewer = new Map<number, number[]>();
    for (let i = 0; i < e.length; i++) {
      if (e.type[i] !== EventCode.PLAY) continue;
      const g = perViewer.get(e.viewer[i]) ?? [0, 0, 0, 0];
      g[e.title[i] % 4]++;
      perViewer.set(e.viewer[i], g);
    }
    let share = 0;
    for (const g of perViewer.values()) share += Math.max(...g) / g.reduce((a, b) => a + b, 0);
    // Uniform tastes would give about 0.3; sparse Dirichlet tastes over genres give far more.
    expect(share / perViewer.size).toBeGreaterThan(0.7);
  });

  it("rejects bad specs with clear errors", () => {
    expect(() => generateAudience({ ...spec, viewers: 0 })).toThrow(/viewers must be a positive integer/);
    expect(() => generateAudience({ ...spec, events: -1 })).toThrow(/events must be an integer >= 0/);
    expect(() => generateAudience({ ...spec, titleGenres: new Uint32Array(3) })).toThrow(/one per title/);
    expect(() => generateAudience({ ...spec, startTime: 10, endTime: 5 })).toThrow(/endTime/);
  });
});

describe("generatePairs (the REFERENCE.md shape)", () => {
  const pairs = generatePairs({ viewers: 3000, titles: 2000, pairs: 120_000, seed: 1 });
  const { scores } = pairs;

  it("holds exactly the requested distinct pairs, sorted per row, weight = times drawn", () => {
    expect(scores.indptr[scores.nRows]).toBe(120_000);
    let draws = 0;
    let unsorted = 0;
    let badWeights = 0;
    for (let r = 0; r < scores.nRows; r++) {
      for (let p = scores.indptr[r] + 1; p < scores.indptr[r + 1]; p++) if (scores.indices[p] <= scores.indices[p - 1]) unsorted++;
    }
    for (let p = 0; p < scores.data.length; p++) {
      if (!(Number.isInteger(scores.data[p]) && scores.data[p] >= 1)) badWeights++;
      draws += scores.data[p];
    }
    expect(unsorted).toBe(0);
    expect(badWeights).toBe(0);
    // Repeat draws happen (popular titles), but most pairs are drawn once or twice.
    expect(draws / scores.data.length).toBeGreaterThan(1.1);
    expect(draws / scores.data.length).toBeLessThan(2.5);
    expect(pairs.lastEventAt?.length).toBe(120_000);
  });

  it("has power-law title popularity and log-normal viewer activity", () => {
    const perTitle = new Float64Array(scores.nCols);
    for (let p = 0; p < scores.indices.length; p++) perTitle[scores.indices[p]]++;
    const sorted = Array.from(perTitle).sort((a, b) => b - a);
    const top1 = sorted.slice(0, scores.nCols / 100).reduce((a, b) => a + b, 0) / scores.indices.length;
    expect(top1).toBeGreaterThan(0.1); // uniform popularity would give 0.01
    // Log-log slope of popularity against rank over ranks 10..200: a power law with exponent near 0.9.
    let sx = 0, sy = 0, sxx = 0, sxy = 0, n = 0;
    for (let rank = 10; rank <= 200; rank++) {
      const x = Math.log(rank);
      const y = Math.log(sorted[rank - 1]);
      sx += x; sy += y; sxx += x * x; sxy += x * y; n++;
    }
    const slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    expect(slope).toBeLessThan(-0.4);
    expect(slope).toBeGreaterThan(-1.4);
    const lengths = Array.from({ length: scores.nRows }, (_, r) => scores.indptr[r + 1] - scores.indptr[r]).sort((a, b) => a - b);
    const median = lengths[lengths.length >> 1];
    const mean = 120_000 / 3000;
    // Log-normal activity: skewed, median well under the mean, a long tail.
    expect(median).toBeLessThan(mean * 0.85);
    expect(lengths[lengths.length - 1]).toBeGreaterThan(mean * 4);
  });

  it("is deterministic for a seed", () => {
    const again = generatePairs({ viewers: 3000, titles: 2000, pairs: 120_000, seed: 1 });
    expect(Buffer.from(again.scores.indices.buffer).equals(Buffer.from(scores.indices.buffer))).toBe(true);
    expect(Buffer.from(again.scores.data.buffer).equals(Buffer.from(scores.data.buffer))).toBe(true);
  });
});

function events(rows: [viewer: number, title: number, type: keyof typeof EventCode, time: number][]): SyntheticEvents {
  return {
    length: rows.length,
    viewer: Int32Array.from(rows.map((r) => r[0])),
    title: Int32Array.from(rows.map((r) => r[1])),
    type: Uint8Array.from(rows.map((r) => EventCode[r[2]])),
    progress: new Float32Array(rows.length).fill(NaN),
    time: Float64Array.from(rows.map((r) => r[3])),
  };
}

describe("aggregateEvents", () => {
  const rows: Parameters<typeof events>[0] = [
    [0, 2, "THUMBNAIL_CLICK", 10],
    [0, 2, "PLAY", 11],
    [0, 2, "WATCHED_FULL", 50],
    [0, 1, "THUMBNAIL_CLICK", 60],
    [0, 1, "DISLIKE", 61],
    [1, 0, "ADD_TO_LIST", 5],
    [1, 2, "CLOSED", 7],
  ];

  it("sums the event weights per pair and keeps the latest time", () => {
    const m = aggregateEvents(events(rows), { viewers: 2, titles: 3 });
    expect(Array.from(m.scores.indptr)).toEqual([0, 2, 4]);
    expect(Array.from(m.scores.indices)).toEqual([1, 2, 0, 2]);
    expect(Array.from(m.scores.data)).toEqual([1 - 4, 1 + 2 + 4, 3, 2]);
    expect(Array.from(m.lastEventAt ?? [])).toEqual([61, 50, 5, 7]);
    expect(m.users.idAt(0)).toBe("1");
  });

  it("with max, keeps the strongest event but never turns a dislike into a positive", () => {
    const m = aggregateEvents(events(rows), { viewers: 2, titles: 3, aggregate: "max" });
    expect(Array.from(m.scores.data)).toEqual([DEFAULT_EVENT_WEIGHTS.DISLIKE, 4, 3, 2]);
  });

  it("gives the same matrix for chunked and interleaved input", () => {
    const whole = aggregateEvents(events(rows), { viewers: 2, titles: 3 });
    const shuffled = [rows[6], rows[0], rows[5], rows[3], rows[1], rows[4], rows[2]];
    const chunked = aggregateEvents([events(shuffled.slice(0, 3)), events(shuffled.slice(3))], { viewers: 2, titles: 3 });
    expect(Array.from(chunked.scores.indices)).toEqual(Array.from(whole.scores.indices));
    expect(Array.from(chunked.scores.data)).toEqual(Array.from(whole.scores.data));
    expect(Array.from(chunked.lastEventAt ?? [])).toEqual(Array.from(whole.lastEventAt ?? []));
  });

  it("rejects events outside the matrix", () => {
    expect(() => aggregateEvents(events([[5, 0, "PLAY", 1]]), { viewers: 2, titles: 3 })).toThrow(/outside 2 viewers x 3 titles/);
  });
});

describe("temporalSplit", () => {
  it("follows the ml-100k protocol: floor(n/5) latest to test, max(1, floor(m/10)) of train to validation", () => {
    // Viewer 0: 12 positives and a dislike; viewer 1: 4 positives (all train); viewer 2: 6.
    const rows: Parameters<typeof events>[0] = [];
    for (let t = 0; t < 12; t++) rows.push([0, t, "PLAY", 1000 - t * 10]); // later titles are older
    rows.push([0, 12, "DISLIKE", 5000]);
    for (let t = 0; t < 4; t++) rows.push([1, t, "PLAY", 100 + t]);
    for (let t = 0; t < 6; t++) rows.push([2, t, "PLAY", 7]); // equal times: ordered by title
    const m = aggregateEvents(events(rows), { viewers: 3, titles: 13 });
    const split = temporalSplit(m);
    const titles = (positions: Int32Array, viewer: number) =>
      Array.from(positions)
        .filter((p) => p >= m.scores.indptr[viewer] && p < m.scores.indptr[viewer + 1])
        .map((p) => m.scores.indices[p]);
    expect(titles(split.test, 0)).toEqual([1, 0]); // the latest two of 12, oldest first
    expect(titles(split.train, 0)).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2]);
    expect(titles(split.valTest, 0)).toEqual([2]); // max(1, floor(10/10))
    expect(titles(split.test, 1)).toEqual([]);
    expect(titles(split.train, 1)).toEqual([0, 1, 2, 3]);
    expect(titles(split.valTest, 1)).toEqual([]);
    expect(titles(split.test, 2)).toEqual([5]);
    expect(titles(split.valTest, 2)).toEqual([4]); // 5 train rows: max(1, 0) = 1
    expect(split.train.length + split.test.length).toBe(22); // the dislike is no positive
    expect(split.valTrain.length + split.valTest.length).toBe(split.train.length);
  });
});

describe("AudienceTastes (the hidden side, regenerated from the seed)", () => {
  const titles = 300;
  const genres = new Uint32Array(titles);
  for (let t = 0; t < titles; t++) genres[t] = (1 << t % 7) | (t % 3 === 0 ? 1 << (Math.floor(t / 3) + 2) % 7 : 0);
  const spec = { viewers: 120, titles, seed: 5, titleGenres: genres };

  it("leaves the generator's output unchanged (respondToTitle was moved out of it, not altered)", () => {
    // Checksums of generateAudience before the refactor that shares its session model with simulate:live.
    const digest = (e: SyntheticEvents) => {
      const h = createHash("sha256");
      for (const a of [e.viewer, e.title, e.type, e.progress, e.time]) h.update(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
      return h.digest("hex").slice(0, 16);
    };
    expect(digest(generateAudience({ viewers: 120, titles, events: 9000, seed: 5 }))).toBe("5344f137147c2105");
    expect(digest(generateAudience({ ...spec, events: 9000 }))).toBe("2e8e194a00a17ebc");
  });

  it("gives each viewer the taste its stored history shows: titles watched in full have a higher affinity than the rest", () => {
    const events = generateAudience({ ...spec, events: 20_000 });
    const tastes = new AudienceTastes(spec);
    let full = 0;
    let fullN = 0;
    let unplayed = 0;
    let unplayedN = 0;
    let everyTitle = 0;
    let everyN = 0;
    let current = -1;
    let taste = tastes.viewer(0);
    for (let i = 0; i < events.length; i++) {
      if (events.viewer[i] !== current) {
        current = events.viewer[i];
        taste = tastes.viewer(current);
        for (let t = 0; t < titles; t += 7) {
          everyTitle += taste.affinity(t);
          everyN++;
        }
      }
      const a = taste.affinity(events.title[i]);
      if (events.type[i] === EventCode.WATCHED_FULL) {
        full += a;
        fullN++;
      }
      if (events.type[i] === EventCode.THUMBNAIL_CLICK && events.type[i + 1] !== EventCode.PLAY && events.type[i + 1] !== EventCode.ADD_TO_LIST) {
        unplayed += a;
        unplayedN++;
      }
    }
    expect(full / fullN).toBeGreaterThan(unplayed / unplayedN + 0.05);
    expect(unplayed / unplayedN).toBeGreaterThan(everyTitle / everyN + 0.2);
    // A wrong seed gives tastes unrelated to the history.
    const other = new AudienceTastes({ ...spec, seed: 6 });
    let wrong = 0;
    for (let i = 0; i < events.length; i++) if (events.type[i] === EventCode.WATCHED_FULL) wrong += other.viewer(events.viewer[i]).affinity(events.title[i]);
    expect(wrong / fullN).toBeLessThan(full / fullN - 0.2);
  });

  it("places added titles deterministically, by genre, after the catalog", () => {
    const a = new AudienceTastes(spec);
    const b = new AudienceTastes(spec);
    const first = a.addTitles(Uint32Array.of(1, 2, 4));
    expect(first).toBe(titles);
    expect(a.titles).toBe(titles + 3);
    b.addTitles(Uint32Array.of(1, 2));
    b.addTitles(Uint32Array.of(4));
    for (let u = 0; u < 20; u++) for (let t = titles; t < titles + 3; t++) expect(b.viewer(u).affinity(t)).toBeCloseTo(a.viewer(u).affinity(t), 6);
    // A viewer whose taste is mostly genre 0 likes the new genre-0 title better than the genre-1 one.
    let u = 0;
    while (a.viewer(u).theta[0] < 0.8) u++;
    expect(a.viewer(u).affinity(titles)).toBeGreaterThan(a.viewer(u).affinity(titles + 1) + 0.4);
    expect(() => a.viewer(u).affinity(titles + 3)).toThrow(/outside/);
  });
});
