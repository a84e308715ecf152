import { useCallback, useEffect, useRef, type RefObject } from "react";
import { initialPlayerSession, stepPlayerSession, type PlayerSignal, type TrailerEvent } from "../logic/player-session";

/**
 * Feeds a <video> element's events into the pure player state machine and hands each resulting
 * event to `onEvent`. Returns `close()`, which produces the CLOSED event when the viewer leaves early.
 */
export function usePlayerSession(videoRef: RefObject<HTMLVideoElement | null>, onEvent: (event: TrailerEvent) => void) {
  const state = useRef(initialPlayerSession);
  const onEventRef = useRef(onEvent);
  onEventRef.current = onEvent;

  const dispatch = useCallback((signal: PlayerSignal) => {
    const step = stepPlayerSession(state.current, signal);
    state.current = step.state;
    step.events.forEach((event) => onEventRef.current(event));
  }, []);

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    const duration = () => video.duration;
    const handlers: Record<string, () => void> = {
      play: () => dispatch({ kind: "play", position: video.currentTime, duration: duration() }),
      timeupdate: () => dispatch({ kind: "time", position: video.currentTime, duration: duration(), seeking: video.seeking }),
      seeking: () => dispatch({ kind: "seeking", to: video.currentTime, duration: duration() }),
      seeked: () => dispatch({ kind: "seeked", to: video.currentTime, duration: duration() }),
      ended: () => dispatch({ kind: "ended", duration: duration() }),
    };
    for (const [name, handler] of Object.entries(handlers)) video.addEventListener(name, handler);
    return () => {
      for (const [name, handler] of Object.entries(handlers)) video.removeEventListener(name, handler);
    };
  }, [videoRef, dispatch]);

  const close = useCallback(() => {
    const video = videoRef.current;
    dispatch({ kind: "close", position: video?.currentTime ?? state.current.position, duration: video?.duration ?? state.current.duration });
  }, [videoRef, dispatch]);

  return { close };
}
