import type { Location } from "react-router";

/** History state of a title's path (/title/:id), written when a card opens it. */
export interface TitleLocationState {
  /**
   * The page the details open over, when a page opened them (that page is then the entry before
   * in history). A shared or typed link has none: its details open over Browse.
   */
  background?: Pick<Location, "pathname" | "search" | "hash">;
  /** Why the card's row recommended it. */
  reason?: string | null;
  /** Where the trailer resumes (fraction 0..1), from Continue watching. */
  resumeAt?: number | null;
  /** The serving id of the card that opened the title: the details' events are attributed to it. */
  recommendationId?: string | null;
}

export function titleStateOf(location: Pick<Location, "state">): TitleLocationState | null {
  const state = location.state as TitleLocationState | null;
  if (!state || typeof state !== "object") return null;
  return typeof state.background?.pathname === "string" ? state : { ...state, background: undefined };
}
