import { InteractionType } from "./interaction-type";
import { aggregateScoreDeltas, type ScoredEvent } from "./score-aggregation";

const P1 = "00000000-0000-4000-8000-000000000001";
const P2 = "00000000-0000-4000-8000-000000000002";
const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));
let nextId = 1;
const event = (profileId: string, movieId: number, type: InteractionType, weight: number, minute: number, progress: number | null = null): ScoredEvent => ({
  id: String(nextId++),
  profileId,
  movieId,
  type,
  weight,
  progress,
  occurredAt: at(minute),
});

describe("aggregateScoreDeltas", () => {
  it("folds events into one delta per pair, sorted by profile then movie", () => {
    const deltas = aggregateScoreDeltas([
      event(P2, 1, InteractionType.PLAY, 2, 0, 0.1),
      event(P1, 9, InteractionType.THUMBNAIL_CLICK, 1, 0),
      event(P1, 3, InteractionType.PLAY, 2, 1, 0.2),
      event(P1, 3, InteractionType.CLOSED, 2, 2, 0.6),
      event(P1, 3, InteractionType.ADD_TO_LIST, 3, 3),
    ]);
    expect(deltas.map((d) => [d.profileId, d.movieId])).toEqual([[P1, 3], [P1, 9], [P2, 1]]);
    expect(deltas[0]).toMatchObject({ score: 7, eventCount: 3, plays: 1, closes: 1, listAdds: 1, inList: true, maxProgress: 0.6, thumb: null });
    expect(deltas[0].lastEventAt).toEqual(at(3));
  });

  it("lets the latest thumb by client time win, whatever the arrival order", () => {
    const [delta] = aggregateScoreDeltas([
      event(P1, 1, InteractionType.DISLIKE, -4, 10),
      event(P1, 1, InteractionType.LIKE, 4, 5),
      event(P1, 1, InteractionType.WATCHED_FULL, 4, 4, 1),
    ]);
    expect(delta).toMatchObject({ thumb: "DISLIKE", likes: 1, dislikes: 1, score: 4, watchedFull: true, watchedFullCount: 1 });
    expect(delta.thumbAt).toEqual(at(10));
  });

  it("breaks a tie of client times by event id, as a rebuild does (ORDER BY occurred_at DESC, id DESC)", () => {
    const like = { ...event(P1, 1, InteractionType.LIKE, 4, 7), id: "10" };
    const dislike = { ...event(P1, 1, InteractionType.DISLIKE, -4, 7), id: "9" };
    expect(aggregateScoreDeltas([like, dislike])[0]).toMatchObject({ thumb: "LIKE", thumbEventId: "10" });
    expect(aggregateScoreDeltas([dislike, like])[0]).toMatchObject({ thumb: "LIKE", thumbEventId: "10" });
  });

  it("returns nothing for no events", () => {
    expect(aggregateScoreDeltas([])).toEqual([]);
  });
});
