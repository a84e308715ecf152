import { createApp, type MarqueeApp } from "../src/app";
import { loadConfig, type MarqueeConfig } from "../src/config";
import { createTestDatabase, type TestDatabase } from "./database";

/** A GraphQL response as the HTTP endpoint returns it. */
export interface GraphQLResponse<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; index?: number; field?: string } }[];
}

export interface TestServer {
  readonly db: TestDatabase;
  readonly app: MarqueeApp;
  readonly url: string;
  /** POSTs one operation to /graphql, like any client (with extra headers: a session token, the admin key). */
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

/** A real Marquee server on a free port, over a fresh database cloned from the template. */
export async function startTestServer(overrides: Partial<MarqueeConfig> = {}): Promise<TestServer> {
  const db = await createTestDatabase();
  // Background training is off unless a test turns it on: tests train explicitly.
  // Request logs are off (errors still print) so test output stays readable.
  const config: MarqueeConfig = { ...loadConfig({}), autoTrain: false, logLevel: "error", ...overrides };
  const app = await createApp({ dataSource: db.dataSource, config });
  const { url } = await app.listen(0);
  return {
    db,
    app,
    url,
    async gql<T>(query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) {
      const response = await fetch(`${url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GraphQLResponse<T>;
    },
    async close() {
      await app.close();
      await db.drop();
    },
  };
}
