import { act, fireEvent, render, screen } from "@testing-library/react";
import { useRef } from "react";
import type { TrailerEvent } from "../logic/player-session";
import { usePlayerSession } from "./usePlayerSession";

/** A real <video> element wired by the hook; the test plays the browser's part by firing its events. */
function Harness({ onEvent }: { onEvent: (event: TrailerEvent) => void }) {
  const ref = useRef<HTMLVideoElement>(null);
  const { close } = usePlayerSession(ref, onEvent);
  return (
    <>
      <video ref={ref} data-testid="video" />
      <button type="button" onClick={close}>
        close
      </button>
    </>
  );
}

function media(video: HTMLVideoElement) {
  const state = { currentTime: 0, duration: 12, seeking: false };
  for (const key of Object.keys(state) as (keyof typeof state)[]) {
    Object.defineProperty(video, key, { configurable: true, get: () => state[key] });
  }
  return {
    at(seconds: number) {
      state.currentTime = seconds;
      fireEvent.timeUpdate(video);
    },
    /** The HTML spec's order: seeking; then, with the flag already false, timeupdate and seeked. */
    seekTo(seconds: number) {
      state.seeking = true;
      state.currentTime = seconds;
      fireEvent.seeking(video);
      state.seeking = false;
      fireEvent.timeUpdate(video);
      fireEvent.seeked(video);
    },
    play: () => fireEvent.play(video),
    end: () => {
      state.currentTime = state.duration;
      fireEvent.ended(video);
    },
  };
}

describe("usePlayerSession on a <video> element", () => {
  it("play, seek ahead, close: logs PLAY, SKIPPED and CLOSED with the progress", () => {
    const events: TrailerEvent[] = [];
    render(<Harness onEvent={(e) => events.push(e)} />);
    const video = media(screen.getByTestId("video") as HTMLVideoElement);
    video.play();
    video.at(0.5);
    video.at(1.5);
    video.seekTo(7);
    video.at(7.25);
    act(() => screen.getByRole("button", { name: "close" }).click());
    expect(events.map((e) => e.type)).toEqual(["PLAY", "SKIPPED", "CLOSED"]);
    expect(events[2]).toEqual({ type: "CLOSED", progress: 0.604, positionSeconds: 7.3 });
  });

  it("watching to the end: PLAY, WATCHED_FULL, and no CLOSED afterwards", () => {
    const events: TrailerEvent[] = [];
    render(<Harness onEvent={(e) => events.push(e)} />);
    const video = media(screen.getByTestId("video") as HTMLVideoElement);
    video.play();
    for (let t = 1; t <= 11; t++) video.at(t);
    video.end();
    act(() => screen.getByRole("button", { name: "close" }).click());
    expect(events.map((e) => e.type)).toEqual(["PLAY", "WATCHED_FULL"]);
  });
});
