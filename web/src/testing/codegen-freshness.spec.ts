/**
 * @jest-environment node
 */
import { spawnSync } from "node:child_process";
import path from "node:path";

/**
 * The checked-in src/gql must be what codegen makes from ../schema.graphql and the operations:
 * `graphql-codegen --check` exits non-zero when any generated file would change.
 * Fix a failure with `npm run codegen -w web`.
 */
it("generated GraphQL types are current with schema.graphql and the operations", () => {
  const web = path.resolve(__dirname, "../..");
  const cli = path.resolve(web, "../node_modules/.bin/graphql-codegen");
  const env = { ...process.env };
  delete env.MARQUEE_SCHEMA;
  const result = spawnSync(process.execPath, [cli, "--config", "codegen.ts", "--check"], { cwd: web, env, encoding: "utf8" });
  const output = `${result.stdout}\n${result.stderr}`;
  if (result.status !== 0) throw new Error(`web/src/gql is stale; run \`npm run codegen -w web\`.\n${output}`);
  expect(result.status).toBe(0);
});
