/**
 * Browser APIs jsdom does not implement (layout and media playback). Filled with no-ops so
 * components can call them; what they would do on screen is covered by the Chromium e2e test.
 */
if (typeof Element !== "undefined" && !Element.prototype.scrollIntoView) {
  Element.prototype.scrollIntoView = function scrollIntoView() {};
}
if (typeof HTMLMediaElement !== "undefined") {
  HTMLMediaElement.prototype.play = function play() {
    return Promise.resolve();
  };
  HTMLMediaElement.prototype.pause = function pause() {};
}
// Jest's jsdom environment has no TextEncoder; React Router's module scope needs one.
if (typeof globalThis.TextEncoder === "undefined") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { TextEncoder, TextDecoder } = require("node:util") as typeof import("node:util");
  Object.assign(globalThis, { TextEncoder, TextDecoder });
}
// uPlot (the admin page's charts) asks matchMedia for the pixel ratio as its module loads.
if (typeof window !== "undefined" && !window.matchMedia) {
  window.matchMedia = (query: string) =>
    ({ matches: false, media: query, onchange: null, addListener() {}, removeListener() {}, addEventListener() {}, removeEventListener() {}, dispatchEvent: () => false }) as MediaQueryList;
}
