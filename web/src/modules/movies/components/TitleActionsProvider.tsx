import { useCallback, useMemo, useRef, useState, type ReactNode } from "react";
import type { MovieCardFieldsFragment } from "../../../gql/graphql";
import { useInteractions } from "../../interactions/hooks/useInteractions";
import { useMyList } from "../../my-list/hooks/useMyList";
import { TrailerPlayer } from "../../player/components/TrailerPlayer";
import { TitleActionsContext, type Thumb, type TitleActions, type TitleSelection } from "../hooks/useTitleActions";
import { TitleDetailsModal } from "./TitleDetailsModal";

/** Everything a poster can trigger, for the current profile, plus the modal and player it opens. */
export function TitleActionsProvider({ profileId, children }: { profileId: string; children: ReactNode }) {
  const { log, flushNow } = useInteractions();
  const myList = useMyList(profileId);
  const [details, setDetails] = useState<TitleSelection | null>(null);
  const [playing, setPlaying] = useState<TitleSelection | null>(null);
  const [thumbs, setThumbs] = useState<ReadonlyMap<string, Thumb>>(new Map());
  // Focus goes back to whatever opened the modal or player, as a native dialog would do.
  const opener = useRef<HTMLElement | null>(null);

  const restoreFocus = useCallback(() => {
    const element = opener.current;
    opener.current = null;
    if (element && document.contains(element)) requestAnimationFrame(() => element.focus());
  }, []);

  const actions = useMemo<TitleActions>(
    () => ({
      openDetails(selection) {
        opener.current ??= document.activeElement as HTMLElement | null;
        log({ profileId, movieId: selection.movie.id, type: "THUMBNAIL_CLICK" });
        setDetails(selection);
      },
      play(selection) {
        opener.current ??= document.activeElement as HTMLElement | null;
        setPlaying(selection);
      },
      thumb(movie, thumb) {
        if (thumbs.get(movie.id) === thumb) return;
        log({ profileId, movieId: movie.id, type: thumb === "up" ? "LIKE" : "DISLIKE" });
        setThumbs((previous) => new Map(previous).set(movie.id, thumb));
        void flushNow();
      },
      thumbOf: (movieId) => thumbs.get(movieId) ?? null,
      toggleList(movie: MovieCardFieldsFragment) {
        if (myList.has(movie.id)) {
          myList.remove(movie.id);
          return;
        }
        // The API logs the ADD_TO_LIST event itself (and refetches the rows after it).
        myList.add(movie);
      },
      inList: (movieId) => myList.has(movieId),
    }),
    [log, flushNow, profileId, thumbs, myList],
  );

  return (
    <TitleActionsContext.Provider value={actions}>
      {children}
      {details && !playing && (
        <TitleDetailsModal
          selection={details}
          onClose={() => {
            setDetails(null);
            restoreFocus();
          }}
          onOpenOther={(selection) => actions.openDetails(selection)}
        />
      )}
      {playing && (
        <TrailerPlayer
          profileId={profileId}
          movie={playing.movie}
          resumeAt={playing.resumeAt ?? null}
          onClose={() => {
            setPlaying(null);
            if (!details) restoreFocus();
          }}
        />
      )}
    </TitleActionsContext.Provider>
  );
}
