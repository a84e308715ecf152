import type { CodegenConfig } from "@graphql-codegen/cli";

/**
 * Types for every operation under src/modules, from the API's emitted schema.graphql.
 * `onlyOperationTypes` keeps the output to what the client uses, so unrelated schema growth does
 * not make the checked-in code stale. MARQUEE_SCHEMA exists only for the staleness test, which
 * generates into memory from the same file.
 */
const config: CodegenConfig = {
  schema: process.env.MARQUEE_SCHEMA ?? "../schema.graphql",
  documents: ["src/modules/**/graphql/*.ts"],
  ignoreNoDocuments: false,
  generates: {
    "./src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: { useTypeImports: true, enumsAsTypes: true, onlyOperationTypes: true, scalars: { DateTimeISO: "string" } },
    },
  },
};

export default config;
