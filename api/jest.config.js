/** @type {import('jest').Config} */
module.exports = {
  displayName: "api",
  testEnvironment: "node",
  rootDir: __dirname,
  roots: ["<rootDir>/src", "<rootDir>/test"],
  testMatch: ["**/*.spec.ts", "**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "<rootDir>/tsconfig.test.json" }] },
  // One migrated template database per run; each test file clones it (test/database.ts).
  globalSetup: "<rootDir>/test/global-setup.ts",
  globalTeardown: "<rootDir>/test/global-teardown.ts",
  setupFilesAfterEnv: ["<rootDir>/test/jest-timeout.ts"],
  testTimeout: 60000,
};
