/**
 * The trailer player's event logic as a pure state machine: the <video> element's events go in as
 * signals, the interactions to log come out. Keeping it free of React and the DOM is what lets the
 * seed's event model (PLAY, SKIPPED, WATCHED_FULL, CLOSED) be tested sequence by sequence.
 */

export type TrailerEventType = "PLAY" | "SKIPPED" | "WATCHED_FULL" | "CLOSED";

export interface TrailerEvent {
  type: TrailerEventType;
  /** Fraction 0..1 of the clip at the moment of the event. */
  progress: number;
  positionSeconds: number;
}

export type PlayerSignal =
  /** The element started or resumed playing. */
  | { kind: "play"; position: number; duration: number }
  /** timeupdate; `seeking` is the element's own flag, true while a seek is in progress. */
  | { kind: "time"; position: number; duration: number; seeking: boolean }
  /** A seek started (the element's `seeking` event), `to` is the target position. */
  | { kind: "seeking"; to: number; duration: number }
  /** A seek finished (the element's `seeked` event). */
  | { kind: "seeked"; to: number; duration: number }
  | { kind: "ended"; duration: number }
  /** The viewer closed the player. */
  | { kind: "close"; position: number; duration: number };

export interface PlayerSessionState {
  started: boolean;
  watchedFull: boolean;
  closed: boolean;
  /** Last position reached by playback (not by a seek). */
  position: number;
  duration: number;
  /**
   * Where the current seek gesture began. Scrubbing fires many seeking/seeked pairs; measuring
   * every step from the gesture's origin makes one drag count as one skip, not zero or twenty.
   */
  seekOrigin: number | null;
  /** Between `seeking` and `seeked`. Browsers clear the element's own flag before the timeupdate that precedes `seeked`. */
  seekPending: boolean;
  skipLoggedForGesture: boolean;
}

/** A forward jump counts as a skip when it passes this share of the clip, and at least minSeconds. */
export const SKIP_THRESHOLD = { fraction: 0.1, minSeconds: 2 } as const;
/** The seed counts a title as watched in full from 90% on, not only at the very end. */
export const WATCHED_FULL_FRACTION = 0.9;

export const initialPlayerSession: PlayerSessionState = {
  started: false,
  watchedFull: false,
  closed: false,
  position: 0,
  duration: 0,
  seekOrigin: null,
  seekPending: false,
  skipLoggedForGesture: false,
};

export interface PlayerStep {
  state: PlayerSessionState;
  events: TrailerEvent[];
}

function knownDuration(state: PlayerSessionState, duration: number): number {
  return Number.isFinite(duration) && duration > 0 ? duration : state.duration;
}

function fraction(position: number, duration: number): number {
  if (!(duration > 0)) return 0;
  return Math.round(Math.min(1, Math.max(0, position / duration)) * 1000) / 1000;
}

function event(type: TrailerEventType, position: number, duration: number): TrailerEvent {
  return { type, progress: fraction(position, duration), positionSeconds: Math.round(position * 10) / 10 };
}

export function skipThresholdSeconds(duration: number): number {
  return Math.max(SKIP_THRESHOLD.minSeconds, duration * SKIP_THRESHOLD.fraction);
}

/** Applies one signal; returns the next state and the events it produces (often none). */
export function stepPlayerSession(state: PlayerSessionState, signal: PlayerSignal): PlayerStep {
  if (state.closed) return { state, events: [] };

  switch (signal.kind) {
    case "play": {
      const duration = knownDuration(state, signal.duration);
      if (state.started) return { state: { ...state, duration }, events: [] };
      return {
        state: { ...state, started: true, duration, position: signal.position },
        events: [event("PLAY", signal.position, duration)],
      };
    }
    case "time": {
      const duration = knownDuration(state, signal.duration);
      const next: PlayerSessionState = { ...state, duration, position: signal.position };
      if (signal.seeking && state.seekOrigin === null) {
        // A timeupdate can report the new position (seeking already true) before the `seeking`
        // event itself is dispatched: the gesture starts here, from the last stable position.
        next.seekOrigin = state.position;
        next.seekPending = true;
      }
      const seekInProgress = signal.seeking || state.seekPending;
      if (!seekInProgress) {
        // Playback resumed after the seek: the next seek is a new gesture.
        next.seekOrigin = null;
        next.skipLoggedForGesture = false;
      }
      if (state.started && !state.watchedFull && duration > 0 && signal.position / duration >= WATCHED_FULL_FRACTION && !seekInProgress) {
        next.watchedFull = true;
        return { state: next, events: [event("WATCHED_FULL", signal.position, duration)] };
      }
      return { state: next, events: [] };
    }
    case "seeking": {
      const duration = knownDuration(state, signal.duration);
      return { state: { ...state, duration, seekPending: true, seekOrigin: state.seekOrigin ?? state.position }, events: [] };
    }
    case "seeked": {
      const duration = knownDuration(state, signal.duration);
      const origin = state.seekOrigin ?? state.position;
      const next: PlayerSessionState = { ...state, duration, seekOrigin: origin, seekPending: false, position: signal.to };
      const jumped = signal.to - origin;
      if (state.started && !state.skipLoggedForGesture && duration > 0 && jumped >= skipThresholdSeconds(duration)) {
        next.skipLoggedForGesture = true;
        return { state: next, events: [event("SKIPPED", signal.to, duration)] };
      }
      return { state: next, events: [] };
    }
    case "ended": {
      const duration = knownDuration(state, signal.duration);
      const next = { ...state, duration, position: duration };
      if (!state.started || state.watchedFull) return { state: next, events: [] };
      return { state: { ...next, watchedFull: true }, events: [event("WATCHED_FULL", duration, duration)] };
    }
    case "close": {
      const duration = knownDuration(state, signal.duration);
      const next = { ...state, duration, closed: true };
      // Closing before playback started is not a viewing; closing after the end is not early.
      if (!state.started || state.watchedFull) return { state: next, events: [] };
      return { state: next, events: [event("CLOSED", signal.position, duration)] };
    }
  }
}

/** Runs a whole signal sequence: handy for tests and for replaying a session. */
export function runPlayerSession(signals: readonly PlayerSignal[]): PlayerStep {
  let state = initialPlayerSession;
  const events: TrailerEvent[] = [];
  for (const signal of signals) {
    const step = stepPlayerSession(state, signal);
    state = step.state;
    events.push(...step.events);
  }
  return { state, events };
}
