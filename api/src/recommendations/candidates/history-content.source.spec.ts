import { HomePage } from "../post-selection/home-page";
import type { PageContext } from "../home-request";
import type { RankedMovie } from "../recommendation.service";
import { DEFAULT_ROW_SETTINGS } from "../row-settings";
import { Surface } from "../surface";
import { COLD_DRAMA, COMEDY, DRAMA, entry, fixtureCatalog, fixtureServingIds } from "../testing/home-fixture";
import { buildViewerContext } from "../viewer-context";
import type { HistoryEntry } from "../viewer-history.repository";
import type { CatalogCache } from "../catalog-cache";
import { addBecauseYouWatchedByContent, addGenreRowsByPopularity, contentAnchors, contentNeighbours, popularNotOnPage } from "./history-content.source";

const DAY = 86_400_000;

/** A page served without a model (page without a Gate), for a viewer with `entries`. */
function pageContext(catalog: CatalogCache, entries: HistoryEntry[]): PageContext {
  const settings = { ...DEFAULT_ROW_SETTINGS, rowSize: 3, becauseYouWatchedRows: 1, genreRows: 2 };
  const viewer = buildViewerContext("00000000-0000-4000-8000-000000000001", entries, null, catalog, settings);
  const response = fixtureServingIds.response({ servedAt: Date.UTC(2026, 11, 1), surface: Surface.HOME, profileId: viewer.profileId, modelId: null, experimentId: null, arm: null });
  return { settings, catalog, viewer, filter: null, page: new HomePage(catalog, null, response) };
}

describe("history rows without a model", () => {
  it("anchors: the viewer's titles by score decayed with age, no model needed, dislikes left out", async () => {
    const catalog = await fixtureCatalog();
    const now = Date.now();
    const ctx = pageContext(catalog, [
      entry(DRAMA[0], { score: 8, lastEventAt: now - 28 * DAY }),
      entry(COLD_DRAMA, { score: 3, lastEventAt: now }),
      entry(COMEDY[0], { score: 9, disliked: true, lastEventAt: now }),
    ]);
    expect(contentAnchors(ctx)).toEqual([COLD_DRAMA, DRAMA[0]]);
  });

  it("content neighbours: titles sharing the anchor's genres, then by rating and release year", async () => {
    const catalog = await fixtureCatalog();
    // Fixture titles are from 2000 + id, odd ids rated PG: title 3's nearest are 1 and 5 (PG, two
    // years off: 0.09 + 0.05), then 13 (PG, ten years: 0.05 + 0.05), then 2 and 4 (R, a year: 0.095).
    const ids = contentNeighbours(catalog, DRAMA[2], 5, () => true).map((c) => c.movieId);
    expect(ids.every((id) => catalog.movie(id)!.genres.includes("Drama"))).toBe(true);
    expect(ids).toEqual([DRAMA[0], DRAMA[4], COLD_DRAMA, DRAMA[1], DRAMA[3]]);
    expect(ids).not.toContain(DRAMA[2]);
  });

  it("Because you watched, then genre rows by popularity within the genre, no title twice, Popular without the titles above it", async () => {
    const catalog = await fixtureCatalog();
    const ctx = pageContext(catalog, [entry(DRAMA[0], { score: 5 }), entry(COMEDY[0], { score: 2 })]);
    addBecauseYouWatchedByContent(ctx);
    const asked: string[] = [];
    const ranking = async (_profileId: string, { first, filter }: { first: number; filter?: { genre?: string | null } | null }): Promise<RankedMovie[]> => {
      asked.push(filter?.genre ?? "all");
      const ids = [...DRAMA, ...COMEDY].filter((id) => !filter?.genre || catalog.movie(id)!.genres.includes(filter.genre));
      return ids.slice(0, first).map((id) => ({ movie: catalog.movie(id)!, score: 1, reason: "" }));
    };
    const popular = await popularNotOnPage(ctx, ranking);
    await addGenreRowsByPopularity(ctx, ranking);
    const [because, drama, comedy] = ctx.page.rows;
    expect(because.id).toBe(`BECAUSE_YOU_WATCHED:${DRAMA[0]}`);
    expect(because.items.map((i) => i.movie.genres)).toEqual([["Drama"], ["Drama"], ["Drama"]]);
    expect([drama.id, comedy.id]).toEqual(["GENRE:Drama", "GENRE:Comedy"]);
    expect(asked).toEqual(["all", "Drama", "Comedy"]);
    const shown = ctx.page.rows.flatMap((r) => r.items.map((i) => i.movie.id));
    expect(new Set(shown).size).toBe(shown.length);
    for (const item of popular) expect(because.items.map((i) => i.movie.id)).not.toContain(item.movie.id);
    expect(popular).toHaveLength(3);
  });
});
