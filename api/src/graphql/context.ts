import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { Request, Response } from "express";
import { SESSION_COOKIE, viewerOf, type AuthSettings, type Viewer } from "../auth/viewer";
import { signSessionToken } from "../auth/session-token";

/** Per-request GraphQL context: the request id (for logs) and who is asking. */
export interface GraphQLContext {
  readonly requestId: string;
  readonly viewer: Viewer;
  /** Signs a session token for `profileId` and sets it as the browser's HTTP-only cookie. */
  issueSession(profileId: string): string;
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
    issueSession(profileId) {
      const expiresAt = Math.floor(Date.now() / 1000) + auth.sessionTtlSeconds;
      const token = signSessionToken(auth.sessionSecret, { profileId, expiresAt });
      res.cookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: "lax",
        // req.secure: a TLS socket, or X-Forwarded-Proto: https from a trusted proxy (MARQUEE_TRUST_PROXY).
        secure: auth.forceSecureCookies === true || req.secure,
        path: "/",
        maxAge: auth.sessionTtlSeconds * 1000,
      });
      return token;
    },
  };
}
