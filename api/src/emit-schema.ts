import "reflect-metadata";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { findRepoRoot } from "./config";
import { buildMarqueeSchema, renderSchema } from "./graphql/schema";

/** `npm run emit-schema`: rewrites <repo>/schema.graphql from the resolver classes. */
async function main(): Promise<void> {
  const target = path.join(findRepoRoot(), "schema.graphql");
  writeFileSync(target, renderSchema(await buildMarqueeSchema()));
  console.log(`Wrote ${target}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
