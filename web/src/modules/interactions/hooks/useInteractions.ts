import { createContext, useCallback, useContext } from "react";
import type { InteractionQueue, NewImpression, NewInteraction, QueueStatus } from "../queue/interaction-queue";

export interface InteractionsContextValue {
  queue: InteractionQueue;
  status: QueueStatus;
}

export const InteractionsContext = createContext<InteractionsContextValue | null>(null);

/**
 * `log(event)` queues an interaction for the current viewer; `logImpression` a card that was seen;
 * `flushNow` sends without waiting.
 */
export function useInteractions() {
  const context = useContext(InteractionsContext);
  if (!context) throw new Error("useInteractions must be used inside <InteractionsProvider>");
  const { queue, status } = context;
  const log = useCallback((event: NewInteraction) => queue.enqueue(event), [queue]);
  const logImpression = useCallback((impression: NewImpression) => queue.enqueueImpression(impression), [queue]);
  const flushNow = useCallback(() => queue.flush(), [queue]);
  const retryNow = useCallback(() => queue.retryNow(), [queue]);
  return { log, logImpression, flushNow, retryNow, status };
}
