import { GraphQLError } from "graphql";

/**
 * Typed GraphQL errors. Clients switch on `extensions.code`; batch errors add
 * `extensions.index` (the offending element) and `extensions.field`.
 */
export type ErrorCode =
  | "BAD_USER_INPUT"
  | "NOT_FOUND"
  | "INTERNAL_SERVER_ERROR"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "RATE_LIMITED"
  | "NO_ANONYMOUS_SESSION"
  | "NAME_TAKEN";

export interface ErrorDetails {
  /** Position of the offending element in a batch. */
  readonly index?: number;
  /** Name of the offending input field. */
  readonly field?: string;
}

export class BadUserInputError extends GraphQLError {
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, { extensions: { code: "BAD_USER_INPUT", ...details } });
  }
}

export class NotFoundError extends GraphQLError {
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, { extensions: { code: "NOT_FOUND", ...details } });
  }
}

/** No session token (and no admin key) where one is needed. */
export class UnauthenticatedError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: "UNAUTHENTICATED" } });
  }
}

/** A valid identity asking for what it may not do (another profile's rows, an admin operation). */
export class ForbiddenError extends GraphQLError {
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, { extensions: { code: "FORBIDDEN", ...details } });
  }
}

/** A limit counted inside an operation (anonymousSession's per-IP limit): HTTP 429, like the request limiters' refusals. */
export class RateLimitedError extends GraphQLError {
  constructor(message: string, retryAfterSeconds: number) {
    super(message, { extensions: { code: "RATE_LIMITED", retryAfterSeconds, http: { status: 429, headers: new Map([["retry-after", String(retryAfterSeconds)]]) } } });
  }
}

/** claimProfile without an anonymous session: no session, or the session's profile is already a named one. */
export class NoAnonymousSessionError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: "NO_ANONYMOUS_SESSION" } });
  }
}

/** A profile name already used by another named profile (claimProfile). */
export class NameTakenError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: "NAME_TAKEN", field: "name" } });
  }
}

/** Prefix for messages about one element of a batch, so the message alone names it. */
export function atIndex(index: number | undefined): string {
  return index === undefined ? "" : `inputs[${index}]: `;
}
