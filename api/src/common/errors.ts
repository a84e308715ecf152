import { GraphQLError } from "graphql";

/**
 * Typed GraphQL errors. Clients switch on `extensions.code`; batch errors add
 * `extensions.index` (the offending element) and `extensions.field`.
 */
export type ErrorCode = "BAD_USER_INPUT" | "NOT_FOUND" | "INTERNAL_SERVER_ERROR" | "UNAUTHENTICATED" | "FORBIDDEN" | "RATE_LIMITED";

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

/** Prefix for messages about one element of a batch, so the message alone names it. */
export function atIndex(index: number | undefined): string {
  return index === undefined ? "" : `inputs[${index}]: `;
}
