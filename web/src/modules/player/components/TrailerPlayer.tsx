import { useEffect, useRef, useState } from "react";
import type { MovieCardFieldsFragment } from "../../../gql/graphql";
import { useInteractions } from "../../interactions/hooks/useInteractions";
import { displayTitle } from "../../movies/poster/poster-art";
import { usePlayerSession } from "../hooks/usePlayerSession";
import { trailerSource } from "../logic/trailer-source";

interface Props {
  profileId: string;
  movie: MovieCardFieldsFragment;
  /** Resume point (fraction) for a title from Continue watching; null plays from the start. */
  resumeAt?: number | null;
  /** The serving id of the card it was started from: every trailer event is attributed to it. */
  recommendationId?: string | null;
  onClose: () => void;
}

/** Full-screen trailer: a real <video> whose events become PLAY / SKIPPED / WATCHED_FULL / CLOSED. */
/** Resuming this close to the end would only replay the credits: start over instead. */
const RESUME_BEFORE = 0.85;

export function TrailerPlayer({ profileId, movie, resumeAt = null, recommendationId = null, onClose }: Props) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const [failed, setFailed] = useState(false);
  const [blocked, setBlocked] = useState(false);
  const [ended, setEnded] = useState(false);
  const { log, flushNow } = useInteractions();

  const session = usePlayerSession(videoRef, (event) => {
    log({ profileId, movieId: movie.id, type: event.type, progress: event.progress, positionSeconds: event.positionSeconds, recommendationId });
    // The viewer should see the rows react to a finished trailer without waiting for a batch.
    if (event.type === "WATCHED_FULL") void flushNow();
  });

  const close = () => {
    session.close();
    videoRef.current?.pause();
    void flushNow();
    onClose();
  };
  const closeLatest = useRef(close);
  closeLatest.current = close;

  useEffect(() => {
    closeRef.current?.focus();
    const video = videoRef.current;
    const start = () => {
      // Started by the viewer's click on Play, so the browser's autoplay policy allows sound.
      video?.play().catch(() => setBlocked(true));
    };
    if (video && resumeAt && resumeAt > 0 && resumeAt < RESUME_BEFORE) {
      // Seek before playback starts: no PLAY yet, so the jump is not a skip.
      const resume = () => {
        // Play only once the seek has landed, so PLAY carries the resume point.
        video.addEventListener("seeked", start, { once: true });
        video.currentTime = resumeAt * video.duration;
      };
      if (video.readyState >= 1) resume();
      else video.addEventListener("loadedmetadata", resume, { once: true });
    } else start();
    const onKey = (event: KeyboardEvent) => {
      const v = videoRef.current;
      if (event.key === "Escape") {
        event.preventDefault();
        closeLatest.current();
      } else if (v && (event.key === "ArrowRight" || event.key === "ArrowLeft") && !(event.target instanceof HTMLInputElement)) {
        // Keyboard seeking: five seconds a press (a forward jump past the threshold is a skip).
        event.preventDefault();
        v.currentTime = Math.max(0, Math.min(v.duration || 0, v.currentTime + (event.key === "ArrowRight" ? 5 : -5)));
      } else if (v && (event.key === " " || event.key === "k") && !(event.target instanceof HTMLButtonElement) && !(event.target instanceof HTMLVideoElement)) {
        event.preventDefault();
        if (v.paused) void v.play().catch(() => setBlocked(true));
        else v.pause();
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
    // Once per opened player: resumeAt is where this playback starts, not something to follow.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const title = displayTitle(movie.title);
  return (
    <div className="player" role="dialog" aria-modal="true" aria-label={`Trailer: ${title}`}>
      <div className="player-bar">
        <button ref={closeRef} type="button" className="player-back" onClick={close} aria-label="Close trailer">
          <span aria-hidden="true">←</span> Back
        </button>
        <div className="player-title">
          <span className="player-kicker">Trailer</span> {title}
          {movie.year ? <span className="player-year"> · {movie.year}</span> : null}
        </div>
      </div>
      <video
        ref={videoRef}
        className="player-video"
        src={trailerSource(movie)}
        controls
        playsInline
        preload="auto"
        aria-label={`Trailer for ${title}`}
        onError={() => setFailed(true)}
        onPlay={() => {
          setBlocked(false);
          setEnded(false);
        }}
        onEnded={() => setEnded(true)}
      />
      {ended && (
        <div className="player-ended" role="status">
          <p className="player-ended-title">That was the trailer for {title}</p>
          <p className="muted">Your rows are updating with it.</p>
          <div className="player-ended-actions">
            <button type="button" className="button button--primary" onClick={close}>
              Back to browsing
            </button>
            <button type="button" className="button button--secondary" onClick={() => void videoRef.current?.play()}>
              <span aria-hidden="true">↻</span> Watch again
            </button>
          </div>
        </div>
      )}
      {blocked && !failed && (
        <button type="button" className="player-start" onClick={() => void videoRef.current?.play()}>
          ▶ Play
        </button>
      )}
      {failed && (
        <p className="player-error" role="alert">
          This trailer could not be loaded. Check that the API is serving /media, then try again.
        </p>
      )}
    </div>
  );
}
