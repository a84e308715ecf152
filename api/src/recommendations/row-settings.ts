/** How rows are composed; every knob has a sensible default (see DEFAULT_ROW_SETTINGS). */
export interface RowSettings {
  /** Titles per row. */
  readonly rowSize: number;
  /** Leave titles the viewer watched to the end out of recommendations. */
  readonly excludeWatched: boolean;
  /** "Because you watched X" rows, one per anchor title. */
  readonly becauseYouWatchedRows: number;
  /** Favourite-genre rows. */
  readonly genreRows: number;
  /** A title closed before this fraction counts as closed early, and is pushed down. */
  readonly closedEarlyBelow: number;
  /** Score factor for a title closed early (0..1). */
  readonly closedEarlyFactor: number;
  /** How strongly a disliked title pushes its neighbours down (0..1 of the normalised score). */
  readonly dislikePenalty: number;
  /** Score given to a never-watched title per unit of genre similarity (0..1), for cold-start placement. */
  readonly coldTitleWeight: number;
  /** Half-life, in days, of a title's pull as a "Because you watched" anchor. */
  readonly anchorHalfLifeDays: number;
  /** Impression discounting: a title shown this many times without an event on it sinks in the viewer's rows (0 = off). */
  readonly discountShows: number;
  /** ...counting the impressions of this many days (0 = off). */
  readonly discountDays: number;
  /** Share of Top picks' slots given to exploration (Thompson sampling over titles' click rates; 0 = off). */
  readonly explorationRate: number;
  /** Monte Carlo rounds estimating an explored slot's propensity. */
  readonly explorationSamples: number;
  /** Prior strength, in impressions, of each title's click rate. */
  readonly explorationPriorImpressions: number;
  /** Most titles that compete for the explored slots. */
  readonly explorationCandidates: number;
}

export const DEFAULT_ROW_SETTINGS: RowSettings = {
  rowSize: 20,
  excludeWatched: true,
  becauseYouWatchedRows: 2,
  genreRows: 2,
  closedEarlyBelow: 0.5,
  closedEarlyFactor: 0.5,
  dislikePenalty: 0.6,
  coldTitleWeight: 0.6,
  anchorHalfLifeDays: 14,
  discountShows: 3,
  discountDays: 14,
  explorationRate: 0.1,
  explorationSamples: 200,
  explorationPriorImpressions: 20,
  explorationCandidates: 30,
};
