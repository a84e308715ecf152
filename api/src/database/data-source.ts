import path from "node:path";
import { DataSource, type DataSourceOptions } from "typeorm";
import { ENTITIES } from "./entities";

/**
 * Migrations live in <repo>/migrations. From src (ts-node, jest) this resolves to the .ts files;
 * from the compiled api/dist/api/src/database it resolves to api/dist/migrations (.js).
 */
export const MIGRATIONS_GLOB = path.resolve(__dirname, "../../../migrations/*.{ts,js}");

export interface DataSourceSettings {
  readonly url: string;
  /** Pool size (default 10). */
  readonly poolSize?: number;
  /** Log every SQL statement (debugging only). */
  readonly logging?: boolean;
}

/** The one way the API opens Postgres. Never `synchronize`: the schema is the migrations'. */
export function dataSourceOptions(settings: DataSourceSettings): DataSourceOptions {
  return {
    type: "postgres",
    url: settings.url,
    entities: ENTITIES,
    migrations: [MIGRATIONS_GLOB],
    migrationsTableName: "typeorm_migrations",
    synchronize: false,
    logging: settings.logging ?? false,
    poolSize: settings.poolSize ?? 10,
    extra: { application_name: "marquee-api" },
  };
}

export function createDataSource(settings: DataSourceSettings): DataSource {
  return new DataSource(dataSourceOptions(settings));
}

/** Opens the data source and brings the schema up to date. */
export async function openDatabase(settings: DataSourceSettings): Promise<DataSource> {
  const dataSource = createDataSource(settings);
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: "each" });
  return dataSource;
}
