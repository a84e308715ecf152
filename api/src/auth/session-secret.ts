import { randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * The development signing secret: random, kept in `<dataDir>/session-secret` so sessions survive
 * restarts. Created atomically (write a temporary file, then hard-link it into place) because
 * several processes (test workers) may start at once; the first link wins and all read it.
 */
export function developmentSessionSecret(dataDir: string): string {
  const file = path.join(dataDir, "session-secret");
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    mkdirSync(dataDir, { recursive: true });
    const temp = `${file}.${process.pid}.${Date.now()}`;
    writeFileSync(temp, randomBytes(32).toString("base64url"), { mode: 0o600 });
    try {
      linkSync(temp, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    } finally {
      unlinkSync(temp);
    }
    return readFileSync(file, "utf8").trim();
  }
}
