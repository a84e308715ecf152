import { createHmac, timingSafeEqual } from "node:crypto";

/** What a session token proves: this profile was selected, and until when that holds. */
export interface SessionClaims {
  readonly profileId: string;
  /** Expiry, seconds since the epoch. */
  readonly expiresAt: number;
}

const VERSION = "v1";

function sign(secret: string, body: string): Buffer {
  return createHmac("sha256", secret).update(body).digest();
}

/**
 * `v1.<base64url JSON {p, e}>.<base64url HMAC-SHA256>`: stateless, so any API instance sharing
 * the secret accepts it, and changing the secret revokes every session at once.
 */
export function signSessionToken(secret: string, claims: SessionClaims): string {
  const payload = Buffer.from(JSON.stringify({ p: claims.profileId, e: claims.expiresAt })).toString("base64url");
  const body = `${VERSION}.${payload}`;
  return `${body}.${sign(secret, body).toString("base64url")}`;
}

/** The claims of a well-signed, unexpired token; null for anything else (never throws on input). */
export function verifySessionToken(secret: string, token: string, nowSeconds = Math.floor(Date.now() / 1000)): SessionClaims | null {
  const parts = token.split(".");
  if (parts.length !== 3 || parts[0] !== VERSION) return null;
  const expected = sign(secret, `${parts[0]}.${parts[1]}`);
  const given = Buffer.from(parts[2], "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const parsed = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as { p?: unknown; e?: unknown };
    if (typeof parsed.p !== "string" || typeof parsed.e !== "number") return null;
    if (parsed.e <= nowSeconds) return null;
    return { profileId: parsed.p, expiresAt: parsed.e };
  } catch {
    return null;
  }
}

/** Constant-time comparison of two secrets of any length (hashing first equalises the lengths). */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHmac("sha256", "marquee-compare").update(given).digest();
  const b = createHmac("sha256", "marquee-compare").update(expected).digest();
  return timingSafeEqual(a, b);
}
