// One ESLint config for the repo (`npm run lint`; `npm test` runs it first).
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

/** What the engine must never import: it is a pure library, typed arrays in, rankings out. */
const OUTSIDE_THE_ENGINE = {
  paths: ["typeorm", "type-graphql", "graphql", "pg", "express", "reflect-metadata", "node:http", "http"].map((name) => ({
    name,
    message: "api/src/engine is a pure library: no database, GraphQL or HTTP (STYLE.md, rule 2).",
  })),
  patterns: [
    { group: ["@apollo/*", "pg-*", "typeorm/*", "graphql/*"], message: "api/src/engine is a pure library: no database, GraphQL or HTTP." },
    {
      // Relative imports that climb out of the engine into the API's domains.
      group: ["**/database/**", "**/movies/**", "**/profiles/**", "**/interactions/**", "**/recommendations/**", "**/models/**", "**/import/**", "**/auth/**", "**/admin/**", "**/common/**", "**/graphql/**", "**/observability/**"],
      message: "api/src/engine may not import from the API around it; pass data in as numbers instead.",
    },
  ],
};

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/dist/**", "web/src/gql/**", ".data/**", "test-artifacts/**", "**/*.js", "**/*.cjs", "**/*.mjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  { files: ["api/src/engine/**/*.ts"], rules: { "no-restricted-imports": ["error", OUTSIDE_THE_ENGINE] } },
  {
    files: ["web/src/**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: { "react-hooks/rules-of-hooks": "error", "react-hooks/exhaustive-deps": "warn" },
  },
);
