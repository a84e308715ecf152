/** @type {import('jest').Config} */
module.exports = {
  displayName: "web",
  testEnvironment: "node",
  rootDir: __dirname,
  roots: ["<rootDir>/src"],
  testMatch: ["**/*.spec.ts", "**/*.spec.tsx"],
  passWithNoTests: true,
};
