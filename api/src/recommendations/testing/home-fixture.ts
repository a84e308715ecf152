import { getAlgorithm } from "../../engine/algorithms/registry";
import { Random } from "../../engine/synthetic/random";
import { fromCoo } from "../../engine/matrix/csr-matrix";
import { IdIndex } from "../../engine/matrix/id-index";
import type { InteractionMatrix } from "../../engine/matrix/interaction-matrix";
import type { ModelBundle } from "../../models/model-bundle";
import type { ModelRecord } from "../../models/model-record.entity";
import { servingModel, type ServingModel } from "../../models/model-server";
import { CatalogCache } from "../catalog-cache";
import type { CatalogRow } from "../catalog.repository";
import type { HomeRequest } from "../home-request";
import { HomePage } from "../post-selection/home-page";
import { ReasonBudget } from "../post-selection/reasons";
import { Gate } from "../filters/eligibility";
import { DEFAULT_ROW_SETTINGS, type RowSettings } from "../row-settings";
import { ServingIdSigner } from "../serving-ids";
import { Surface } from "../surface";
import { buildViewerContext } from "../viewer-context";
import type { HistoryEntry } from "../viewer-history.repository";

/**
 * A small world for the home stages' unit tests, with real engine models: titles 1-6 are Drama,
 * 7-12 Comedy (each watched by its own group of 12 viewers, each skipping one title of its
 * block), 13 (Drama) and 14 (Comedy) nobody has watched, 15 (Drama) is newest.
 */
export const DRAMA = [1, 2, 3, 4, 5, 6];
export const COMEDY = [7, 8, 9, 10, 11, 12];
export const COLD_DRAMA = 13;
export const COLD_COMEDY = 14;

export function catalogRow(id: number, genres: string[], watched: boolean, addedAt = Date.UTC(2026, 0, 1), year = 2000 + id): CatalogRow {
  return {
    id,
    title: `Title ${id}`,
    year,
    genres,
    synopsis: "",
    runtime_minutes: 100,
    maturity_rating: id % 2 ? "PG" : "R",
    poster_url: null,
    trailer_url: null,
    added_at: new Date(addedAt),
    watched,
  };
}

export async function fixtureCatalog(): Promise<CatalogCache> {
  const rows = [
    ...DRAMA.map((id) => catalogRow(id, ["Drama"], true)),
    ...COMEDY.map((id) => catalogRow(id, ["Comedy"], true)),
    catalogRow(COLD_DRAMA, ["Drama"], false, Date.UTC(2026, 5, 1)),
    catalogRow(COLD_COMEDY, ["Comedy"], false, Date.UTC(2026, 5, 1)),
    catalogRow(15, ["Drama"], false, Date.UTC(2026, 10, 1)),
  ];
  return new CatalogCache({ catalog: async () => rows }).ready();
}

/** Two taste groups over titles 1-12; viewer u skips one title of its block. */
function blockMatrix(): InteractionMatrix {
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  for (let u = 0; u < 24; u++) {
    const block = u < 12 ? 0 : 1;
    for (let j = 0; j < 6; j++) {
      if (j === u % 6) continue;
      rows.push(u);
      cols.push(block * 6 + j);
      vals.push(1 + ((u + j) % 3));
    }
  }
  return {
    users: IdIndex.from(Array.from({ length: 24 }, (_, u) => `v${u}`)),
    items: IdIndex.from([...DRAMA, ...COMEDY]),
    scores: fromCoo(24, 12, Int32Array.from(rows), Int32Array.from(cols), Float32Array.from(vals)),
  };
}

export async function fixtureModel(): Promise<ServingModel> {
  const data = blockMatrix();
  const fit = (name: string) => getAlgorithm(name).fit(data, getAlgorithm(name).validate({}), { threads: 1, seed: 1 });
  const itemKnn = await fit("itemknn");
  const bundle: ModelBundle = { topPicks: itemKnn, itemKnn, userKnn: await fit("userknn"), trending: await fit("popular"), popular: await fit("popular") };
  return servingModel({ id: 1 } as ModelRecord, bundle);
}

export const fixtureServingIds = new ServingIdSigner("a test secret of 16+ characters");

export function entry(movieId: number, fields: Partial<HistoryEntry> = {}): HistoryEntry {
  return { movieId, score: 4, watchedFull: false, disliked: false, closes: 0, plays: 1, maxProgress: null, lastEventAt: Date.UTC(2026, 10, 1), ...fields };
}

/** A request of the home path over the fixture, for a viewer with `entries`. */
export function fixtureRequest(model: ServingModel, catalog: CatalogCache, entries: HistoryEntry[], settings: Partial<RowSettings> = {}): HomeRequest {
  const all = { ...DEFAULT_ROW_SETTINGS, rowSize: 5, explorationRate: 0, ...settings };
  const viewer = buildViewerContext("00000000-0000-4000-8000-000000000001", entries, model, catalog, all);
  const inCatalog = new Uint8Array(model.movieIds.length).fill(1);
  const gate = Gate.of(model, inCatalog, viewer.blocked);
  const response = fixtureServingIds.response({ servedAt: Date.UTC(2026, 11, 1), surface: Surface.HOME, profileId: viewer.profileId, modelId: 1, experimentId: null, arm: null });
  return {
    settings: all,
    catalog,
    viewer,
    model,
    filter: null,
    gate,
    page: new HomePage(catalog, gate, response),
    reasons: new ReasonBudget(),
    rates: { ctr: 0, impressions: () => 0, clicks: () => 0 },
    random: new Random(1),
  };
}
