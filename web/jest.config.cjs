/**
 * Web unit and component tests: ts-jest (CommonJS output, since jest runs them without native ESM)
 * in jsdom. Files that need Node instead (the codegen staleness check) say so in a docblock.
 * @type {import('jest').Config}
 */
module.exports = {
  displayName: "web",
  testEnvironment: "jsdom",
  rootDir: __dirname,
  roots: ["<rootDir>/src"],
  testMatch: ["**/*.spec.ts", "**/*.spec.tsx"],
  setupFiles: ["<rootDir>/src/testing/jsdom-gaps.ts"],
  moduleNameMapper: { "\\.(css)$": "<rootDir>/src/testing/style-stub.cjs" },
  transform: {
    "^.+\\.tsx?$": [
      "ts-jest",
      {
        tsconfig: {
          jsx: "react-jsx",
          module: "commonjs",
          moduleResolution: "node",
          verbatimModuleSyntax: false,
          esModuleInterop: true,
          isolatedModules: true,
          types: ["jest", "node"],
        },
      },
    ],
  },
  testTimeout: 30000,
};
