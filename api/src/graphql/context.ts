import { randomUUID } from "node:crypto";
import type { Request } from "express";

/**
 * Per-request GraphQL context. The viewer's identity (a profile token) joins it with
 * authentication; until then operations name their profile explicitly.
 */
export interface GraphQLContext {
  readonly requestId: string;
}

export function buildContext(req: Request): GraphQLContext {
  const header = req.headers["x-request-id"];
  const requestId = typeof header === "string" && /^[\w-]{1,64}$/.test(header) ? header : randomUUID();
  return { requestId };
}
