import { CombinedGraphQLErrors, type ApolloClient } from "@apollo/client";
import { LogInteractionsMutation } from "../graphql/log-interactions.mutation";
import { RejectedBatchError, type PendingInteraction, type SendBatch } from "./interaction-queue";

/** Error codes that mean "this input is wrong": resending the same batch would fail the same way. */
const NON_RETRYABLE_CODES = new Set(["BAD_USER_INPUT", "NOT_FOUND", "GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED"]);

/** Sends one batch with logInteractions; maps refusals to RejectedBatchError, lets the rest retry. */
export function apolloSender(client: ApolloClient): SendBatch {
  return async (batch: readonly PendingInteraction[]) => {
    try {
      await client.mutate({ mutation: LogInteractionsMutation, variables: { inputs: batch.map((item) => ({ ...item })) } });
    } catch (error) {
      if (CombinedGraphQLErrors.is(error)) {
        const refusal = error.errors.find((e) => NON_RETRYABLE_CODES.has(String(e.extensions?.code ?? "")));
        if (refusal) throw new RejectedBatchError(refusal.message, offendingIndex(refusal.extensions, refusal.message));
      }
      throw error;
    }
  };
}

/** The API names the bad element of a batch; accept it as an extension or in the message text. */
export function offendingIndex(extensions: Record<string, unknown> | undefined, message: string): number | null {
  const fromExtension = extensions?.index;
  if (typeof fromExtension === "number" && Number.isInteger(fromExtension)) return fromExtension;
  const match = /(?:inputs\[|index\s*)(\d+)/i.exec(message);
  return match ? Number(match[1]) : null;
}
