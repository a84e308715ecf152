/**
 * Browser end-to-end tests: the built web client, served by a real API (the app factory) on a
 * fresh clone of the test database, driven in Debian's headless Chromium by playwright-core.
 * @type {import('jest').Config}
 */
module.exports = {
  displayName: "e2e",
  testEnvironment: "node",
  rootDir: __dirname,
  roots: ["<rootDir>"],
  testMatch: ["**/*.e2e.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "<rootDir>/tsconfig.json" }] },
  // The API project's run-wide template database; reused when that project already set it up.
  globalSetup: "<rootDir>/support/global-setup.ts",
  globalTeardown: "<rootDir>/support/global-teardown.ts",
  testTimeout: 300000,
};
