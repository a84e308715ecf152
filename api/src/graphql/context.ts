import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { Request, Response } from "express";
import { ipKeyGenerator } from "express-rate-limit";
import { SESSION_COOKIE, viewerOf, type AuthSettings, type Viewer } from "../auth/viewer";
import { signSessionToken } from "../auth/session-token";

/** Per-request GraphQL context: the request id (for logs) and who is asking. */
export interface GraphQLContext {
  readonly requestId: string;
  readonly viewer: Viewer;
  /** The caller's address as the per-IP limits key it (an IPv6 address by its /56). */
  readonly clientIp: string;
  /**
   * Signs a session token for `profileId` and sets it as the browser's HTTP-only cookie, valid for
   * the session lifetime or until `notAfter` if that is sooner (an anonymous profile's expiry).
   */
  issueSession(profileId: string, notAfter?: Date | null): string;
}

/** The request id: a client's `x-request-id` when it is sane, else a new one. */
export function requestIdOf(req: { readonly headers: IncomingHttpHeaders }): string {
  const header = req.headers["x-request-id"];
  return typeof header === "string" && /^[\w-]{1,64}$/.test(header) ? header : randomUUID();
}

export function buildContext(req: Request, res: Response, auth: AuthSettings): GraphQLContext {
  const existing = (req as Request & { id?: unknown }).id;
  return {
    requestId: typeof existing === "string" ? existing : requestIdOf(req),
    viewer: viewerOf(req, auth),
    clientIp: ipKeyGenerator(req.ip ?? "unknown"),
    issueSession(profileId, notAfter) {
      const now = Math.floor(Date.now() / 1000);
      const expiresAt = Math.min(now + auth.sessionTtlSeconds, notAfter ? Math.floor(notAfter.getTime() / 1000) : Infinity);
      const token = signSessionToken(auth.sessionSecret, { profileId, expiresAt });
      res.cookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: "lax",
        // req.secure: a TLS socket, or X-Forwarded-Proto: https from a trusted proxy (MARQUEE_TRUST_PROXY).
        secure: auth.forceSecureCookies === true || req.secure,
        path: "/",
        maxAge: Math.max(0, expiresAt - now) * 1000,
      });
      return token;
    },
  };
}
