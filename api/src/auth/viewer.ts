import type { Request } from "express";
import { atIndex, ForbiddenError, UnauthenticatedError, type ErrorDetails } from "../common/errors";
import { secretsEqual, verifySessionToken } from "./session-token";

/** Name of the browser's session cookie (HTTP-only, SameSite=Lax). */
export const SESSION_COOKIE = "marquee_session";
/** Header carrying the admin/ingest key. */
export const ADMIN_KEY_HEADER = "x-admin-key";

/** How this process authenticates; built once from the configuration. */
export interface AuthSettings {
  /** False only in development without an admin key: the demo then runs without tokens. */
  readonly enforced: boolean;
  readonly adminKey?: string;
  readonly sessionSecret: string;
  readonly sessionTtlSeconds: number;
  /** Mark the session cookie Secure even on plain-HTTP requests (MARQUEE_SECURE_COOKIES=1). */
  readonly forceSecureCookies?: boolean;
}

/** Who sent a request. */
export interface Viewer {
  /** The profile of a valid session token (bearer header first, then the cookie). */
  readonly profileId?: string;
  /** A session token was sent but is forged or expired. */
  readonly tokenRejected: boolean;
  /** The request carried the right admin key. */
  readonly admin: boolean;
  /** An admin key header was sent but is wrong. */
  readonly adminKeyRejected: boolean;
  /** Whether access rules apply (see AuthSettings.enforced). */
  readonly enforced: boolean;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The token a request carries: `Authorization: Bearer <token>` (API clients) or the session cookie (browsers). */
export function sessionTokenOf(req: Request): string | undefined {
  const authorization = req.headers.authorization;
  const bearer = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
  return bearer?.[1] ?? cookieValue(req.headers.cookie, SESSION_COOKIE);
}

export function viewerOf(req: Request, settings: AuthSettings): Viewer {
  const token = sessionTokenOf(req);
  const claims = token ? verifySessionToken(settings.sessionSecret, token) : null;
  const key = req.headers[ADMIN_KEY_HEADER];
  const givenKey = typeof key === "string" && key !== "" ? key : undefined;
  const admin = givenKey !== undefined && settings.adminKey !== undefined && secretsEqual(givenKey, settings.adminKey);
  return {
    profileId: claims?.profileId,
    tokenRejected: token !== undefined && claims === null,
    admin,
    adminKeyRejected: givenKey !== undefined && !admin,
    enforced: settings.enforced,
  };
}

const SIGN_IN = "call selectProfile(profileId) and send its token as `Authorization: Bearer <token>` (browsers get a cookie)";

function unauthenticated(viewer: Viewer): UnauthenticatedError {
  return new UnauthenticatedError(
    viewer.tokenRejected ? `The session token is invalid or expired: ${SIGN_IN} again.` : `No session: ${SIGN_IN}.`,
  );
}

/**
 * The profile an operation acts on. `requested` is the optional profileId argument; it defaults
 * to the token's profile. A viewer may act only on its own profile; the admin key on any.
 */
export function actingProfile(viewer: Viewer, requested: string | null | undefined, details: ErrorDetails = {}): string {
  const asked = requested === null || requested === undefined || requested === "" ? undefined : requested;
  if (!viewer.enforced || viewer.admin) {
    const chosen = asked ?? viewer.profileId;
    if (chosen === undefined) {
      throw new UnauthenticatedError(`${atIndex(details.index)}profileId is required here: pass it, or ${SIGN_IN}.`);
    }
    return chosen;
  }
  if (viewer.profileId === undefined) throw unauthenticated(viewer);
  if (asked !== undefined && asked.toLowerCase() !== viewer.profileId.toLowerCase()) {
    throw new ForbiddenError(
      `${atIndex(details.index)}profileId ${asked} is not the profile of this session: a session acts only on its own profile (omit profileId to use it).`,
      { ...details, field: "profileId" },
    );
  }
  return viewer.profileId;
}

/** Admin operations (import, training, events for any profile) need the admin key once auth is enforced. */
export function requireAdmin(viewer: Viewer, operation: string): void {
  if (!viewer.enforced || viewer.admin) return;
  if (viewer.adminKeyRejected) throw new ForbiddenError(`${operation} needs the admin key: the ${ADMIN_KEY_HEADER} header does not match MARQUEE_ADMIN_KEY.`);
  if (viewer.profileId === undefined) throw new UnauthenticatedError(`${operation} needs the admin key: send it in the ${ADMIN_KEY_HEADER} header.`);
  throw new ForbiddenError(`${operation} is an admin operation: a viewer session may not call it (send the admin key in ${ADMIN_KEY_HEADER}).`);
}
