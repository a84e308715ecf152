import { CombinedGraphQLErrors, type ApolloClient } from "@apollo/client";
import { LogImpressionsMutation } from "../graphql/log-impressions.mutation";
import { LogInteractionsMutation } from "../graphql/log-interactions.mutation";
import { RejectedBatchError, type PendingImpression, type PendingInteraction, type SendBatch, type SendImpressions } from "./interaction-queue";

/**
 * Error codes that mean "this input is wrong": resending the same batch would fail the same way.
 * FORBIDDEN names an element this session may not log (another profile's, or its serving id).
 */
const NON_RETRYABLE_CODES = new Set(["BAD_USER_INPUT", "FORBIDDEN", "NOT_FOUND", "GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED"]);

/** Sends one batch with logInteractions; maps refusals to RejectedBatchError, lets the rest retry. */
export function apolloSender(client: ApolloClient): SendBatch {
  return (batch: readonly PendingInteraction[]) =>
    refusalsAsRejections(() =>
      client.mutate({
        mutation: LogInteractionsMutation,
        variables: {
          inputs: batch.map(({ recommendationId, ...item }) => (recommendationId ? { ...item, recommendationId } : item)),
        },
      }),
    );
}

/**
 * Sends impressions with logImpressions. The mutation's answer goes nowhere near the cache's
 * queries: an acknowledged impression must not refetch or re-render the rows being read.
 */
export function apolloImpressionSender(client: ApolloClient): SendImpressions {
  return (batch: readonly PendingImpression[]) =>
    refusalsAsRejections(() =>
      client.mutate({
        mutation: LogImpressionsMutation,
        variables: { inputs: batch.map((item) => ({ recommendationId: item.recommendationId, shownAt: item.shownAt, clientEventId: item.clientEventId })) },
        fetchPolicy: "no-cache",
      }),
    );
}

async function refusalsAsRejections(send: () => Promise<unknown>): Promise<void> {
  try {
    await send();
  } catch (error) {
    if (CombinedGraphQLErrors.is(error)) {
      const refusal = error.errors.find((e) => NON_RETRYABLE_CODES.has(String(e.extensions?.code ?? "")));
      if (refusal) {
        const field = refusal.extensions?.field;
        throw new RejectedBatchError(refusal.message, offendingIndex(refusal.extensions, refusal.message), typeof field === "string" ? field : null);
      }
    }
    throw error;
  }
}

/** The API names the bad element of a batch; accept it as an extension or in the message text. */
export function offendingIndex(extensions: Record<string, unknown> | undefined, message: string): number | null {
  const fromExtension = extensions?.index;
  if (typeof fromExtension === "number" && Number.isInteger(fromExtension)) return fromExtension;
  const match = /(?:inputs\[|index\s*)(\d+)/i.exec(message);
  return match ? Number(match[1]) : null;
}
