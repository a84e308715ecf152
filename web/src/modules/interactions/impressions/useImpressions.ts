import { createContext, useCallback, useContext, useEffect, useLayoutEffect, useRef, useState } from "react";
import { useInteractions } from "../hooks/useInteractions";
import { ImpressionTracker, type ImpressionTarget } from "./impression-tracker";

export const ImpressionTrackerContext = createContext<ImpressionTracker | null>(null);

/**
 * One page view's impression tracker, feeding the outbox: made when the page mounts (a new page
 * view each time the viewer comes back to it), paused while the tab is hidden or `covered` (a
 * title's details or the player over the page).
 */
export function usePageImpressions(profileId: string, covered: boolean): ImpressionTracker {
  const { logImpression } = useInteractions();
  const [tracker] = useState(() => new ImpressionTracker({ onImpression: (target, shownAt) => logImpression({ profileId, recommendationId: target.recommendationId, shownAt }) }));

  useEffect(() => {
    const update = () => tracker.setPaused(covered || document.visibilityState === "hidden");
    update();
    document.addEventListener("visibilitychange", update);
    return () => document.removeEventListener("visibilitychange", update);
  }, [tracker, covered]);

  useEffect(() => () => tracker.dispose(), [tracker]);
  return tracker;
}

/**
 * A ref for the element showing a recommended card: it is logged once the tracker sees it. The
 * element stays watched across refetches of the same (row, title); the latest serving id is logged.
 */
export function useImpressionRef(target: ImpressionTarget | null): (element: Element | null) => (() => void) | undefined {
  const tracker = useContext(ImpressionTrackerContext);
  const latest = useRef(target);
  useLayoutEffect(() => {
    latest.current = target;
  });
  const key = target ? `${target.rowId}\u0000${target.movieId}` : null;
  return useCallback(
    (element: Element | null) => {
      if (!element || !tracker || key === null) return undefined;
      return tracker.observe(element, () => latest.current);
    },
    // The key, not the target: a new serving id for the same card must not restart its second.
    [tracker, key],
  );
}
