import { runPlayerSession, skipThresholdSeconds, type PlayerSignal } from "./player-session";

const D = 12; // the bundled clips are 12 s long
const time = (position: number, seeking = false): PlayerSignal => ({ kind: "time", position, duration: D, seeking });
/** In the order browsers fire them: seeking, then timeupdate (the element's flag already false), then seeked. */
const seek = (_from: number, to: number): PlayerSignal[] => [
  { kind: "seeking", to, duration: D },
  time(to, false),
  { kind: "seeked", to, duration: D },
];
const types = (signals: PlayerSignal[]) => runPlayerSession(signals).events.map((e) => e.type);

describe("player session state machine", () => {
  it("logs PLAY once when playback starts, and nothing before it", () => {
    expect(types([time(0)])).toEqual([]);
    expect(types([{ kind: "play", position: 0, duration: D }, time(1), { kind: "play", position: 1, duration: D }])).toEqual(["PLAY"]);
  });

  it("play, seek forward past the threshold, close early: PLAY, SKIPPED, CLOSED with the progress fraction", () => {
    const { events } = runPlayerSession([{ kind: "play", position: 0, duration: D }, time(0.5), time(1), ...seek(1, 6), time(6.5), { kind: "close", position: 6.5, duration: D }]);
    expect(events.map((e) => e.type)).toEqual(["PLAY", "SKIPPED", "CLOSED"]);
    expect(events[1]).toMatchObject({ positionSeconds: 6, progress: 0.5 });
    expect(events[2]).toMatchObject({ type: "CLOSED", progress: 0.542, positionSeconds: 6.5 });
  });

  it("a small forward seek or any backward seek is not a skip", () => {
    const small = skipThresholdSeconds(D) - 0.5;
    expect(types([{ kind: "play", position: 0, duration: D }, time(3), ...seek(3, 3 + small)])).toEqual(["PLAY"]);
    expect(types([{ kind: "play", position: 0, duration: D }, time(8), ...seek(8, 1)])).toEqual(["PLAY"]);
  });

  it("scrubbing in many small steps counts as one skip from where the gesture began", () => {
    const scrub = [...seek(1, 2), ...seek(2, 3), ...seek(3, 4), ...seek(4, 5), ...seek(5, 6)];
    expect(types([{ kind: "play", position: 0, duration: D }, time(1), ...scrub, time(6.2)])).toEqual(["PLAY", "SKIPPED"]);
    // A second, separate gesture after playback resumed is a second skip.
    expect(types([{ kind: "play", position: 0, duration: D }, time(1), ...seek(1, 5), time(5.3), ...seek(5.3, 9)])).toEqual(["PLAY", "SKIPPED", "SKIPPED"]);
  });

  it("reaching 90% logs WATCHED_FULL once, and closing afterwards is not CLOSED", () => {
    const { events } = runPlayerSession([
      { kind: "play", position: 0, duration: D },
      time(5),
      time(10.7), // 89%
      time(10.9), // 90.8%
      time(11.5),
      { kind: "ended", duration: D },
      { kind: "close", position: D, duration: D },
    ]);
    expect(events.map((e) => e.type)).toEqual(["PLAY", "WATCHED_FULL"]);
    expect(events[1]?.progress).toBeCloseTo(0.908, 3);
  });

  it("the ended event alone counts as watched in full", () => {
    const { events } = runPlayerSession([{ kind: "play", position: 0, duration: D }, { kind: "ended", duration: D }]);
    expect(events.map((e) => e.type)).toEqual(["PLAY", "WATCHED_FULL"]);
    expect(events[1]?.progress).toBe(1);
  });

  it("also counts a skip when timeupdate still reports seeking (older engines)", () => {
    const signals: PlayerSignal[] = [{ kind: "play", position: 0, duration: D }, time(1), { kind: "seeking", to: 7, duration: D }, time(7, true), { kind: "seeked", to: 7, duration: D }];
    expect(types(signals)).toEqual(["PLAY", "SKIPPED"]);
  });

  it("measures from before the seek even when a timeupdate (seeking) arrives before the seeking event", () => {
    const signals: PlayerSignal[] = [{ kind: "play", position: 0, duration: D }, time(3), time(7.2, true), { kind: "seeking", to: 7.2, duration: D }, time(7.2), { kind: "seeked", to: 7.2, duration: D }, time(7.4)];
    const { events } = runPlayerSession(signals);
    expect(events.map((e) => e.type)).toEqual(["PLAY", "SKIPPED"]);
    expect(events[1]?.positionSeconds).toBe(7.2);
  });

  it("skipping to the end logs SKIPPED, then WATCHED_FULL once playback runs there", () => {
    expect(types([{ kind: "play", position: 0, duration: D }, time(1), ...seek(1, 11.5), time(11.6), { kind: "ended", duration: D }])).toEqual(["PLAY", "SKIPPED", "WATCHED_FULL"]);
  });

  it("resuming (a seek before playback starts) is not a skip; PLAY carries the resume point", () => {
    const { events } = runPlayerSession([...seek(0, 5), { kind: "play", position: 5, duration: D }, time(5.3), { kind: "close", position: 6, duration: D }]);
    expect(events.map((e) => [e.type, e.positionSeconds])).toEqual([
      ["PLAY", 5],
      ["CLOSED", 6],
    ]);
  });

  it("closing before playback started logs nothing; nothing is logged after close", () => {
    expect(types([{ kind: "close", position: 0, duration: D }])).toEqual([]);
    expect(types([{ kind: "play", position: 0, duration: D }, { kind: "close", position: 2, duration: D }, time(11), { kind: "ended", duration: D }])).toEqual(["PLAY", "CLOSED"]);
  });

  it("an unknown duration (metadata not loaded) gives progress 0 rather than NaN", () => {
    const { events } = runPlayerSession([{ kind: "play", position: 0, duration: Number.NaN }, { kind: "close", position: 0, duration: Number.NaN }]);
    expect(events.map((e) => e.progress)).toEqual([0, 0]);
  });
});
