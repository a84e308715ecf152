import { InteractionType } from "./interaction-type";

/** What the score matrix needs of one stored event. */
export interface ScoredEvent {
  readonly profileId: string;
  readonly movieId: number;
  readonly type: InteractionType;
  readonly weight: number;
  readonly progress: number | null;
  readonly occurredAt: Date;
  /** The stored event's id (bigint as text): breaks ties between thumbs of the same client time, as a rebuild does. */
  readonly id: string;
}

/**
 * The change one batch makes to one `interaction_scores` row. `thumb` is the batch's latest
 * LIKE/DISLIKE (null: the batch has none and the stored thumb stays), and `thumbAt` /
 * `thumbEventId` say which event it was: it replaces the stored thumb only if it is later by
 * client time (then id), so a thumb queued offline and sent late never overrides a newer one.
 */
export interface ScoreDelta {
  profileId: string;
  movieId: number;
  score: number;
  eventCount: number;
  thumbnailClicks: number;
  plays: number;
  watchedFullCount: number;
  skips: number;
  closes: number;
  likes: number;
  dislikes: number;
  listAdds: number;
  maxProgress: number | null;
  lastEventAt: Date;
  watchedFull: boolean;
  thumb: "LIKE" | "DISLIKE" | null;
  thumbAt: Date | null;
  thumbEventId: string | null;
  inList: boolean;
}

function emptyDelta(event: ScoredEvent): ScoreDelta {
  return {
    profileId: event.profileId,
    movieId: event.movieId,
    score: 0,
    eventCount: 0,
    thumbnailClicks: 0,
    plays: 0,
    watchedFullCount: 0,
    skips: 0,
    closes: 0,
    likes: 0,
    dislikes: 0,
    listAdds: 0,
    maxProgress: null,
    lastEventAt: event.occurredAt,
    watchedFull: false,
    thumb: null,
    thumbAt: null,
    thumbEventId: null,
    inList: false,
  };
}

function setThumb(delta: ScoreDelta, thumb: "LIKE" | "DISLIKE", event: ScoredEvent): void {
  delta.thumb = thumb;
  delta.thumbAt = event.occurredAt;
  delta.thumbEventId = event.id;
}

/** Orders bigint ids given as decimal text (no sign, no leading zeros). */
function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Folds a batch of events into one delta per (profile, movie), sorted by profile then movie so
 * that concurrent upserts lock rows in the same order (no deadlocks). Events are applied in
 * client time order (then id), so within a batch the latest thumb wins.
 */
export function aggregateScoreDeltas(events: readonly ScoredEvent[]): ScoreDelta[] {
  const ordered = [...events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || compareIds(a.id, b.id));
  const byPair = new Map<string, ScoreDelta>();
  for (const event of ordered) {
    const key = `${event.profileId}|${event.movieId}`;
    let delta = byPair.get(key);
    if (!delta) {
      delta = emptyDelta(event);
      byPair.set(key, delta);
    }
    delta.score += event.weight;
    delta.eventCount += 1;
    if (event.progress !== null && (delta.maxProgress === null || event.progress > delta.maxProgress)) delta.maxProgress = event.progress;
    if (event.occurredAt > delta.lastEventAt) delta.lastEventAt = event.occurredAt;
    switch (event.type) {
      case InteractionType.THUMBNAIL_CLICK:
        delta.thumbnailClicks += 1;
        break;
      case InteractionType.PLAY:
        delta.plays += 1;
        break;
      case InteractionType.WATCHED_FULL:
        delta.watchedFullCount += 1;
        delta.watchedFull = true;
        break;
      case InteractionType.SKIPPED:
        delta.skips += 1;
        break;
      case InteractionType.CLOSED:
        delta.closes += 1;
        break;
      case InteractionType.LIKE:
        delta.likes += 1;
        setThumb(delta, "LIKE", event);
        break;
      case InteractionType.DISLIKE:
        delta.dislikes += 1;
        setThumb(delta, "DISLIKE", event);
        break;
      case InteractionType.ADD_TO_LIST:
        delta.listAdds += 1;
        delta.inList = true;
        break;
    }
  }
  return [...byPair.values()].sort((a, b) =>
    a.profileId < b.profileId ? -1 : a.profileId > b.profileId ? 1 : a.movieId - b.movieId,
  );
}
