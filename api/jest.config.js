/** @type {import('jest').Config} */
module.exports = {
  displayName: "api",
  testEnvironment: "node",
  rootDir: __dirname,
  roots: ["<rootDir>/src", "<rootDir>/test"],
  testMatch: ["**/*.spec.ts", "**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "<rootDir>/tsconfig.test.json" }] },
  testTimeout: 60000,
};
