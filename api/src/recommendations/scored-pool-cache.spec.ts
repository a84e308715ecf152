import type { ServingModel } from "../models/model-server";
import type { Candidate } from "./candidates/candidate";
import { DEFAULT_ROW_SETTINGS } from "./row-settings";
import { ScoredPoolCache, type ScoredPoolKey } from "./scored-pool-cache";

const modelA = { record: { id: 1 } } as unknown as ServingModel;
const modelB = { record: { id: 2 } } as unknown as ServingModel;
const key = (over: Partial<ScoredPoolKey> = {}): ScoredPoolKey => ({
  profileId: "p1",
  watermark: "3:7:1000",
  model: modelA,
  catalogVersion: 1,
  filter: null,
  settings: DEFAULT_ROW_SETTINGS,
  seen: new Set<number>(),
  ...over,
});
const pool = (): Candidate[] => [
  { movieId: 10, score: 1, index: 0 },
  { movieId: 11, score: 0.123456789012345, index: 4 },
];

describe("ScoredPoolCache", () => {
  it("computes once per key and hands out fresh, equal candidates", () => {
    const cache = new ScoredPoolCache(10);
    let computed = 0;
    const compute = () => (computed++, pool());
    const a = cache.pool(key(), compute);
    const b = cache.pool(key(), compute);
    expect(computed).toBe(1);
    expect(b).toEqual(pool());
    b[0].score = -5;
    expect(cache.pool(key(), compute)[0].score).toBe(1);
    expect(a).toEqual(pool());
    expect([cache.hits, cache.misses]).toEqual([2, 1]);
  });

  it.each<[string, Partial<ScoredPoolKey>]>([
    ["watermark", { watermark: "3:8:1000" }],
    ["model", { model: modelB }],
    ["catalog version", { catalogVersion: 2 }],
    ["settings", { settings: { ...DEFAULT_ROW_SETTINGS, dislikePenalty: 0.1 } }],
    ["titles already on the page", { seen: new Set([10]) }],
    ["filter", { filter: { genre: "Comedy" } }],
    ["profile", { profileId: "p2" }],
  ])("misses when the %s changes", (_name, change) => {
    const cache = new ScoredPoolCache(10);
    cache.pool(key(), pool);
    let computed = 0;
    cache.pool(key(change), () => (computed++, pool()));
    expect(computed).toBe(1);
  });

  it("keeps at most `capacity` entries, dropping the least recently used; 0 keeps none; clear empties it", () => {
    const cache = new ScoredPoolCache(2);
    cache.pool(key({ profileId: "a" }), pool);
    cache.pool(key({ profileId: "b" }), pool);
    cache.pool(key({ profileId: "a" }), pool); // a is now the most recent
    cache.pool(key({ profileId: "c" }), pool); // evicts b
    expect(cache.size).toBe(2);
    let computed = 0;
    cache.pool(key({ profileId: "a" }), () => (computed++, pool()));
    cache.pool(key({ profileId: "b" }), () => (computed++, pool()));
    expect(computed).toBe(1);
    cache.clear();
    expect(cache.size).toBe(0);
    const off = new ScoredPoolCache(0);
    off.pool(key(), pool);
    expect(off.size).toBe(0);
  });
});
