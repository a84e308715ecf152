import apiGlobalSetup from "../../api/test/global-setup";

/**
 * Jest runs every project's global setup in one process before any test. When the api project
 * ran first, its template database (MARQUEE_TEST_TEMPLATE) already exists and is reused here;
 * run alone (`jest --selectProjects e2e`), this project makes and later drops its own.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.MARQUEE_TEST_ADMIN_URL && process.env.MARQUEE_TEST_TEMPLATE) return;
  await apiGlobalSetup();
  (globalThis as { __marqueeE2eOwnsTemplate?: boolean }).__marqueeE2eOwnsTemplate = true;
}
