import type { MovieCardFieldsFragment } from "../../../gql/graphql";
import { pickHero, type HomeRowView } from "./useHomeRows";

const movie = (id: string): MovieCardFieldsFragment => ({ id, title: `T${id}`, year: 2000, genres: ["Drama"], synopsis: "", runtimeMinutes: 90, maturityRating: "PG", posterUrl: null, trailerUrl: null });
const row = (kind: HomeRowView["kind"], ids: string[]): HomeRowView => ({ key: kind, title: kind, kind, items: ids.map((id) => ({ movie: movie(id), recommendationId: `rec-${id}`, reason: "", score: 1, progress: null })) });

describe("home rows helpers", () => {
  it("the hero is the first Top pick, never a half-watched title when something else exists", () => {
    expect(pickHero([row("CONTINUE_WATCHING", ["1"]), row("TOP_PICKS", ["2", "3"])])).toMatchObject({ rowKey: "TOP_PICKS", item: { movie: { id: "2" }, recommendationId: "rec-2" } });
    expect(pickHero([row("CONTINUE_WATCHING", ["1"]), row("POPULAR", ["4"])])?.item.movie.id).toBe("4");
    expect(pickHero([row("CONTINUE_WATCHING", ["1"])])?.item.movie.id).toBe("1");
    expect(pickHero([])).toBeNull();
  });
});
