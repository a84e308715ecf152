import apiGlobalTeardown from "../../api/test/global-teardown";

/** Drops the template only if this project made it (otherwise the api project's teardown does). */
export default async function globalTeardown(): Promise<void> {
  if ((globalThis as { __marqueeE2eOwnsTemplate?: boolean }).__marqueeE2eOwnsTemplate) await apiGlobalTeardown();
}
