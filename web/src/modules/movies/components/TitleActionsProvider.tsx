import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { matchPath, useLocation, useMatch, useNavigate, type Location, type NavigateFunction } from "react-router";
import { paths } from "../../../app/paths";
import { titleStateOf, type TitleLocationState } from "../../../app/title-location";
import { useInteractions } from "../../interactions/hooks/useInteractions";
import { useMyList } from "../../my-list/hooks/useMyList";
import { TrailerPlayer } from "../../player/components/TrailerPlayer";
import { TitleActionsContext, TitleOverlayContext, type Thumb, type TitleActions, type TitleSelection } from "../hooks/useTitleActions";
import { TitleDetailsRoute } from "./TitleDetailsRoute";

const TITLE_PATH = "/title/:id";

/**
 * Everything a poster can trigger, for the current profile, plus the player it opens. A title's
 * details are its path (/title/:id), opened over the page the viewer was on; Back closes them.
 */
export function TitleActionsProvider({ profileId, children }: { profileId: string; children: ReactNode }) {
  const { log, flushNow } = useInteractions();
  const myList = useMyList(profileId);
  const location = useLocation();
  const titleMatch = useMatch(TITLE_PATH);
  const [playing, setPlaying] = useState<TitleSelection | null>(null);
  const [thumbs, setThumbs] = useState<ReadonlyMap<string, Thumb>>(new Map());
  // Focus goes back to whatever opened the details or player, as a native dialog would do.
  const opener = useRef<HTMLElement | null>(null);
  // The actions read where the viewer is without being rebuilt on every navigation (that would
  // re-render every card on the page).
  const here = useRef<{ location: Location; navigate: NavigateFunction } | null>(null);
  const navigate = useNavigate();
  useLayoutEffect(() => {
    here.current = { location, navigate };
  }, [location, navigate]);

  const detailsOpen = titleMatch !== null;
  useEffect(() => {
    if (detailsOpen || playing) return;
    // Closed by Escape, the close button or Back: the same.
    const element = opener.current;
    opener.current = null;
    if (element && document.contains(element)) requestAnimationFrame(() => element.focus());
  }, [detailsOpen, playing]);

  const closeDetails = useCallback(() => {
    if (!here.current) return;
    // Opened from a page: that page is the entry before this one. Opened from a link: go home.
    if (titleStateOf(here.current.location)?.background) here.current.navigate(-1);
    else here.current.navigate(paths.home, { replace: true });
  }, []);

  const actions = useMemo<TitleActions>(
    () => ({
      openDetails(selection) {
        opener.current ??= document.activeElement as HTMLElement | null;
        log({ profileId, movieId: selection.movie.id, type: "THUMBNAIL_CLICK", recommendationId: selection.recommendationId ?? null });
        if (!here.current) return;
        const { location: current, navigate: go } = here.current;
        // From a title's details (More like this) the details change in place: closing them
        // still returns to the page underneath.
        const onTitle = matchPath(TITLE_PATH, current.pathname) !== null;
        const background = onTitle ? titleStateOf(current)?.background : { pathname: current.pathname, search: current.search, hash: current.hash };
        // The serving id rides in the history state, so the details (and a play from them) keep
        // their attribution through /title/:id, Back and Forward.
        const state: TitleLocationState = { background, reason: selection.reason ?? null, resumeAt: selection.resumeAt ?? null, recommendationId: selection.recommendationId ?? null };
        go(paths.title(selection.movie.id), { state, replace: onTitle });
      },
      play(selection) {
        opener.current ??= document.activeElement as HTMLElement | null;
        setPlaying(selection);
      },
      thumb({ movie, recommendationId }, thumb) {
        if (thumbs.get(movie.id) === thumb) return;
        log({ profileId, movieId: movie.id, type: thumb === "up" ? "LIKE" : "DISLIKE", recommendationId: recommendationId ?? null });
        setThumbs((previous) => new Map(previous).set(movie.id, thumb));
        void flushNow();
      },
      thumbOf: (movieId) => thumbs.get(movieId) ?? null,
      toggleList({ movie, recommendationId }: TitleSelection) {
        if (myList.has(movie.id)) {
          myList.remove(movie.id);
          return;
        }
        // The API logs the ADD_TO_LIST event itself, attributed (and the rows are refetched after it).
        myList.add(movie, recommendationId ?? null);
      },
      inList: (movieId) => myList.has(movieId),
    }),
    [log, flushNow, profileId, thumbs, myList],
  );

  const titleState = titleStateOf(location);
  return (
    <TitleActionsContext.Provider value={actions}>
      <TitleOverlayContext.Provider value={detailsOpen || playing !== null}>
        {children}
        {titleMatch?.params.id && !playing && (
          <TitleDetailsRoute
            movieId={titleMatch.params.id}
            reason={titleState?.reason}
            resumeAt={titleState?.resumeAt}
            recommendationId={titleState?.recommendationId}
            onClose={closeDetails}
            onOpenOther={actions.openDetails}
          />
        )}
        {playing && <TrailerPlayer profileId={profileId} movie={playing.movie} resumeAt={playing.resumeAt ?? null} recommendationId={playing.recommendationId ?? null} onClose={() => setPlaying(null)} />}
      </TitleOverlayContext.Provider>
    </TitleActionsContext.Provider>
  );
}
