import { fireEvent, render, screen, within } from "@testing-library/react";
import type { ReactNode } from "react";
import { MemoryRouter } from "react-router";
import type { MovieCardFieldsFragment } from "../../../gql/graphql";
import { TitleActionsContext, type TitleActions, type TitleSelection } from "../../movies/hooks/useTitleActions";
import type { HomeRowView } from "../hooks/useHomeRows";
import { MovieRow } from "./MovieRow";

const movie = (id: string, title: string, genres: string[], year = 1990): MovieCardFieldsFragment => ({
  id,
  title,
  year,
  genres,
  synopsis: `About ${title}.`,
  runtimeMinutes: 100,
  maturityRating: "PG",
  posterUrl: null,
  trailerUrl: null,
});

const row: HomeRowView = {
  key: "BECAUSE_YOU_WATCHED:Alien",
  title: "Because you watched Alien",
  kind: "BECAUSE_YOU_WATCHED",
  items: [
    { movie: movie("1", "Aliens", ["Action", "Sci-Fi"], 1986), recommendationId: "rec-1", reason: "Because you watched Alien", score: 0.9 },
    { movie: movie("2", "Godfather, The", ["Crime", "Drama"], 1972), recommendationId: "rec-2", reason: "Popular with viewers who liked Heat", score: 0.8 },
    { movie: movie("3", "Heat", ["Crime"], 1995), recommendationId: "rec-3", reason: "Trending now", score: 0.7 },
  ],
};

/** Records what the row asks for; the real provider is exercised end to end in Chromium. */
function recordingActions() {
  const calls: { action: string; id: string }[] = [];
  const actions: TitleActions = {
    openDetails: (s: TitleSelection) => calls.push({ action: "details", id: s.movie.id }),
    play: (s: TitleSelection) => calls.push({ action: "play", id: s.movie.id }),
    thumb: (s, thumb) => calls.push({ action: `thumb-${thumb}`, id: s.movie.id }),
    thumbOf: () => null,
    toggleList: (s) => calls.push({ action: "list", id: s.movie.id }),
    inList: () => false,
  };
  return { calls, actions };
}

/** Rows link to genre pages, so they render inside a router. */
function renderInRouter(children: ReactNode) {
  return render(<MemoryRouter>{children}</MemoryRouter>);
}

function renderRow(shown: HomeRowView = row) {
  const recording = recordingActions();
  const view = renderInRouter(
    <TitleActionsContext.Provider value={recording.actions}>
      <MovieRow row={shown} />
    </TitleActionsContext.Provider>,
  );
  return { ...recording, container: view.container };
}

describe("MovieRow", () => {
  it("Continue watching shows each title's progress bar and resumes the trailer there", () => {
    const continuing: HomeRowView = {
      key: "CONTINUE_WATCHING",
      title: "Continue watching",
      kind: "CONTINUE_WATCHING",
      items: [
        { movie: movie("7", "Alien", ["Horror"], 1979), recommendationId: "rec-7", reason: "Resume at 35%", score: 0.35, progress: 0.35 },
        { movie: movie("8", "Heat", ["Crime"], 1995), recommendationId: "rec-8", reason: "You started this", score: 0, progress: 0 },
      ],
    };
    const resumed: (number | null | undefined)[] = [];
    const recording = recordingActions();
    const { container } = renderInRouter(
      <TitleActionsContext.Provider value={{ ...recording.actions, play: (s: TitleSelection) => resumed.push(s.resumeAt) }}>
        <MovieRow row={continuing} />
      </TitleActionsContext.Provider>,
    );
    const bars = [...container.querySelectorAll<HTMLElement>(".card-progress > span")].map((bar) => bar.style.width);
    expect(bars).toEqual(["35%", "0%"]);
    fireEvent.click(screen.getByRole("button", { name: "Play trailer of Alien" }));
    expect(resumed).toEqual([0.35]);
  });

  it("every action from a card carries the card's serving id (attribution)", () => {
    const seen: string[] = [];
    const record = (action: string) => (s: TitleSelection) => seen.push(`${action}:${s.movie.id}:${s.recommendationId}`);
    const actions: TitleActions = { openDetails: record("details"), play: record("play"), thumb: (s, t) => record(`thumb-${t}`)(s), thumbOf: () => null, toggleList: record("list"), inList: () => false };
    renderInRouter(
      <TitleActionsContext.Provider value={actions}>
        <MovieRow row={row} />
      </TitleActionsContext.Provider>,
    );
    const heat = within(screen.getAllByRole("listitem")[2]!);
    fireEvent.click(heat.getByRole("button", { name: "Heat, 1995 · Crime. Open details" }));
    fireEvent.click(heat.getByRole("button", { name: "Play trailer of Heat" }));
    fireEvent.click(heat.getByRole("button", { name: "Add Heat to My List" }));
    fireEvent.click(heat.getByRole("button", { name: "I like Heat" }));
    fireEvent.click(heat.getByRole("button", { name: "Not for me: Heat" }));
    expect(seen).toEqual(["details:3:rec-3", "play:3:rec-3", "list:3:rec-3", "thumb-up:3:rec-3", "thumb-down:3:rec-3"]);
  });

  it("renders the row title and one card per item, with readable titles, meta and reasons", () => {
    renderRow();
    const section = screen.getByRole("region", { name: "Because you watched Alien" });
    const items = within(section).getAllByRole("listitem");
    expect(items).toHaveLength(3);
    // Catalog-style titles read naturally, in the card and in its poster button's name.
    expect(within(items[1]!).getByRole("heading", { name: "The Godfather" })).toBeTruthy();
    expect(within(items[1]!).getByRole("button", { name: "The Godfather, 1972 · Crime. Open details" })).toBeTruthy();
    expect(within(items[1]!).getByText("Popular with viewers who liked Heat")).toBeTruthy();
    expect(within(items[0]!).getByText("Action • Sci-Fi")).toBeTruthy();
  });

  it("names each poster button with the words its poster paints (label in name, WCAG 2.5.3)", () => {
    renderRow();
    // As axe's label-content-name-mismatch compares them: lower case, punctuation dropped, spaces collapsed.
    const curate = (text: string) =>
      text
        .toLowerCase()
        .replace(/[\u2000-\u206F'!"#$%&()*+,\-./:;<=>?@[\]^_`{|}~]/g, "")
        .replace(/\s+/g, " ")
        .trim();
    const posters = screen.getAllByRole("button", { name: /Open details/ });
    expect(posters.map((p) => p.getAttribute("aria-label"))).toEqual(["Aliens, 1986 · Action. Open details", "The Godfather, 1972 · Crime. Open details", "Heat, 1995 · Crime. Open details"]);
    for (const poster of posters) {
      const painted = curate(poster.textContent ?? "");
      expect(painted.length).toBeGreaterThan(0);
      expect(curate(poster.getAttribute("aria-label") ?? "")).toContain(painted);
    }
    expect(posters[1]!.textContent).toBe("THE GODFATHER 1972 · CRIME");
  });

  it("is one Tab stop; arrow keys move between posters; Enter opens the focused title", () => {
    const { calls } = renderRow();
    const posters = screen.getAllByRole("button", { name: /Open details/ });
    expect(posters.map((p) => p.tabIndex)).toEqual([0, -1, -1]);
    posters[0]!.focus();
    fireEvent.keyDown(posters[0]!, { key: "ArrowRight" });
    expect(document.activeElement).toBe(posters[1]);
    expect(posters.map((p) => p.tabIndex)).toEqual([-1, 0, -1]);
    fireEvent.keyDown(posters[1]!, { key: "End" });
    expect(document.activeElement).toBe(posters[2]);
    fireEvent.keyDown(posters[2]!, { key: "ArrowRight" }); // stays on the last one
    expect(document.activeElement).toBe(posters[2]);
    fireEvent.click(posters[2]!);
    expect(calls).toEqual([{ action: "details", id: "3" }]);
  });

  it("the preview's buttons play, rate and list the right title", () => {
    const { calls } = renderRow();
    fireEvent.click(screen.getByRole("button", { name: "Play trailer of Aliens" }));
    fireEvent.click(screen.getByRole("button", { name: "I like Heat" }));
    fireEvent.click(screen.getByRole("button", { name: "Not for me: The Godfather" }));
    fireEvent.click(screen.getByRole("button", { name: "Add Aliens to My List" }));
    expect(calls).toEqual([
      { action: "play", id: "1" },
      { action: "thumb-up", id: "3" },
      { action: "thumb-down", id: "2" },
      { action: "list", id: "1" },
    ]);
  });
});
