import { useApolloClient } from "@apollo/client/react";
import { useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { apolloImpressionSender, apolloSender } from "../queue/apollo-sender";
import { InteractionQueue, isImpression, localStorageQueueStore, type PendingInteraction, type QueueStatus } from "../queue/interaction-queue";
import { InteractionsContext } from "../hooks/useInteractions";

interface Props {
  children: ReactNode;
  /** Called after each acknowledged batch of events (never of impressions): the place to refetch the rows the events change. */
  onSent?: (batch: readonly PendingInteraction[]) => void;
}

/** Owns the one outbox of the app; flushes it on start, on reconnect and before the page goes away. */
export function InteractionsProvider({ children, onSent }: Props) {
  const client = useApolloClient();
  const [status, setStatus] = useState<QueueStatus>({ state: "idle" });
  const onSentRef = useRef(onSent);
  onSentRef.current = onSent;

  const queue = useMemo(
    () =>
      new InteractionQueue({
        send: apolloSender(client),
        sendImpressions: apolloImpressionSender(client),
        store: localStorageQueueStore(),
        onSent: (batch) => onSentRef.current?.(batch),
        onStatus: setStatus,
        onDropped: (item, reason) => console.warn(`Marquee dropped ${isImpression(item) ? "an impression" : `a ${item.type} event`} the API refused: ${reason}`),
      }),
    [client],
  );

  useEffect(() => {
    if (queue.pending().length > 0) void queue.flush();
    const online = () => void queue.retryNow();
    const hidden = () => {
      if (document.visibilityState === "hidden") void queue.flush();
    };
    window.addEventListener("online", online);
    document.addEventListener("visibilitychange", hidden);
    return () => {
      window.removeEventListener("online", online);
      document.removeEventListener("visibilitychange", hidden);
      // No dispose here: StrictMode re-runs effects with the same queue, which must keep working.
    };
  }, [queue]);

  const value = useMemo(() => ({ queue, status }), [queue, status]);
  return <InteractionsContext.Provider value={value}>{children}</InteractionsContext.Provider>;
}
