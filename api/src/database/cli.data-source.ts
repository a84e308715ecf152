/**
 * For the TypeORM CLI only (it wants a file with exactly one DataSource export), e.g.
 * `npx typeorm-ts-node-commonjs -d src/database/cli.data-source.ts migration:show`.
 */
import { createDataSource } from "./data-source";

export const cliDataSource = createDataSource({ url: process.env.DATABASE_URL ?? "postgres://postgres:postgres@127.0.0.1:5433/marquee" });
