import type { DataSource } from "typeorm";

/** How often each title was shown and clicked lately, and the click rate over all titles. */
export interface TitleRates {
  /** Clicks / impressions over every title (0 when nothing was shown yet). */
  readonly ctr: number;
  impressions(movieId: number): number;
  clicks(movieId: number): number;
}

const NONE: TitleRates = { ctr: 0, impressions: () => 0, clicks: () => 0 };

/**
 * Per-title impressions and clicks of the last `windowDays` (from impression_title_rollups), in
 * memory for the home path: read at most every `maxAgeMs`, stale while the next read runs, so a
 * request never waits for it (the first requests after start see no data: every title new).
 */
export class TitleImpressionStats {
  private snapshot: TitleRates = NONE;
  private loadedAt = 0;
  private pending: Promise<void> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: { readonly windowDays?: number; readonly maxAgeMs?: number } = {},
  ) {}

  current(): TitleRates {
    if (Date.now() - this.loadedAt > (this.options.maxAgeMs ?? 30_000)) void this.refresh().catch(() => undefined);
    return this.snapshot;
  }

  refresh(): Promise<void> {
    this.pending ??= this.load().finally(() => (this.pending = null));
    return this.pending;
  }

  private async load(): Promise<void> {
    const rows = (await this.dataSource.query(
      `SELECT movie_id, sum(impressions)::float8 AS impressions, sum(clicks)::float8 AS clicks
         FROM impression_title_rollups WHERE day >= (now() AT TIME ZONE 'UTC')::date - $1::int GROUP BY movie_id`,
      [Math.ceil(this.options.windowDays ?? 14)],
    )) as { movie_id: number; impressions: number; clicks: number }[];
    const shown = new Map<number, number>();
    const clicked = new Map<number, number>();
    let allShown = 0;
    let allClicked = 0;
    for (const r of rows) {
      shown.set(Number(r.movie_id), r.impressions);
      clicked.set(Number(r.movie_id), r.clicks);
      allShown += r.impressions;
      allClicked += r.clicks;
    }
    this.snapshot = { ctr: allShown > 0 ? allClicked / allShown : 0, impressions: (id) => shown.get(id) ?? 0, clicks: (id) => clicked.get(id) ?? 0 };
    this.loadedAt = Date.now();
  }
}
