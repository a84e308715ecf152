import { createContext, useContext } from "react";
import type { MovieCardFieldsFragment } from "../../../gql/graphql";

export interface TitleSelection {
  movie: MovieCardFieldsFragment;
  /** Why it was recommended, when it came from a recommendation row. */
  reason?: string | null;
  /** Where playback should resume (fraction 0..1), for titles from Continue watching. */
  resumeAt?: number | null;
  /** The card's serving id when it was recommended: every event this selection leads to carries it. */
  recommendationId?: string | null;
}

export type Thumb = "up" | "down";

export interface TitleActions {
  /** Opens the details modal; logs THUMBNAIL_CLICK. */
  openDetails(selection: TitleSelection): void;
  /** Opens the trailer player. */
  play(selection: TitleSelection): void;
  thumb(selection: TitleSelection, thumb: Thumb): void;
  thumbOf(movieId: string): Thumb | null;
  toggleList(selection: TitleSelection): void;
  inList(movieId: string): boolean;
}

export const TitleActionsContext = createContext<TitleActions | null>(null);

/** True while a title's details or the trailer player cover the page (what is under them is not being seen). */
export const TitleOverlayContext = createContext(false);

export function useTitleOverlayOpen(): boolean {
  return useContext(TitleOverlayContext);
}

export function useTitleActions(): TitleActions {
  const value = useContext(TitleActionsContext);
  if (!value) throw new Error("useTitleActions must be used inside <TitleActionsProvider>");
  return value;
}
