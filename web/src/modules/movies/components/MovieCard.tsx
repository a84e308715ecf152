import type { KeyboardEvent } from "react";
import type { MovieCardFieldsFragment } from "../../../gql/graphql";
import { useTitleActions } from "../hooks/useTitleActions";
import { displayTitle, posterLabel } from "../poster/poster-art";
import { Poster } from "./Poster";

interface Props {
  movie: MovieCardFieldsFragment;
  reason?: string | null;
  /** Roving tab index: only one card per row is in the Tab order; arrows move between them. */
  tabIndex?: number;
  onPosterKeyDown?: (event: KeyboardEvent<HTMLButtonElement>) => void;
  /** Fraction watched, for Continue watching. */
  progress?: number | null;
  /** Serving id, when the card is a recommendation: its events are attributed to it. */
  recommendationId?: string | null;
}

/** A poster that opens the title, with a hover/focus preview carrying the quick actions. */
export function MovieCard({ movie, reason, tabIndex = 0, onPosterKeyDown, progress, recommendationId }: Props) {
  const actions = useTitleActions();
  const selection = { movie, reason, resumeAt: progress, recommendationId };
  const title = displayTitle(movie.title);
  const thumb = actions.thumbOf(movie.id);
  const inList = actions.inList(movie.id);
  const meta = [movie.year, movie.maturityRating, movie.runtimeMinutes ? `${movie.runtimeMinutes}m` : null].filter(Boolean).join(" · ");

  return (
    <article className="card" data-movie-id={movie.id} aria-label={title}>
      <button
        type="button"
        className="card-poster"
        tabIndex={tabIndex}
        data-card-poster
        onClick={() => actions.openDetails(selection)}
        onKeyDown={onPosterKeyDown}
        aria-label={`${posterLabel(movie)}. Open details`}
      >
        <Poster movie={movie} className="card-art" decorative />
        {progress != null ? (
          <span className="card-progress" aria-hidden="true">
            <span style={{ width: `${Math.round(Math.min(1, Math.max(0, progress)) * 100)}%` }} />
          </span>
        ) : null}
      </button>
      {/* Clicking the preview (not one of its buttons) opens the title too; keyboards use the poster. */}
      <div className="card-preview" onClick={(event) => !(event.target as HTMLElement).closest("button") && actions.openDetails(selection)}>
        <div className="card-actions">
          <button type="button" className="icon-button icon-button--play" tabIndex={tabIndex} onClick={() => actions.play(selection)} aria-label={`Play trailer of ${title}`} title="Play trailer">
            <span aria-hidden="true">▶</span>
          </button>
          <button
            type="button"
            className="icon-button"
            tabIndex={tabIndex}
            aria-pressed={inList}
            onClick={() => actions.toggleList(selection)}
            aria-label={inList ? `Remove ${title} from My List` : `Add ${title} to My List`}
            title={inList ? "Remove from My List" : "Add to My List"}
          >
            <span aria-hidden="true">{inList ? "✓" : "+"}</span>
          </button>
          <button type="button" className="icon-button" tabIndex={tabIndex} aria-pressed={thumb === "up"} onClick={() => actions.thumb(selection, "up")} aria-label={`I like ${title}`} title="I like this">
            <ThumbIcon />
          </button>
          <button type="button" className="icon-button" tabIndex={tabIndex} aria-pressed={thumb === "down"} onClick={() => actions.thumb(selection, "down")} aria-label={`Not for me: ${title}`} title="Not for me">
            <ThumbIcon down />
          </button>
        </div>
        <h3 className="card-title">{title}</h3>
        <p className="card-meta">{meta}</p>
        <p className="card-genres">{movie.genres.slice(0, 3).join(" • ")}</p>
        {reason ? <p className="card-reason">{reason}</p> : null}
      </div>
    </article>
  );
}

export function ThumbIcon({ down = false }: { down?: boolean }) {
  return (
    <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" style={down ? { transform: "rotate(180deg)" } : undefined}>
      <path
        fill="currentColor"
        d="M2 21h4V9H2v12zm20-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L13.17 1 6.59 7.59C6.22 7.95 6 8.45 6 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z"
      />
    </svg>
  );
}
