import { useImpressionRef } from "../../interactions/impressions/useImpressions";
import { Poster } from "../../movies/components/Poster";
import { useTitleActions } from "../../movies/hooks/useTitleActions";
import { displayTitle, paletteFor } from "../../movies/poster/poster-art";
import type { HeroPick } from "../hooks/useHomeRows";

/**
 * The viewer's top pick, large: synopsis, why it was picked, Play and More info. It is the first
 * card of its row, shown big: seen here, it counts as that card's impression.
 */
export function HeroBanner({ hero }: { hero: HeroPick }) {
  const actions = useTitleActions();
  const { item, rowKey } = hero;
  const { movie, reason, recommendationId } = item;
  const impression = useImpressionRef({ rowId: rowKey, movieId: movie.id, recommendationId });
  const palette = paletteFor(movie.genres);
  const title = displayTitle(movie.title);
  return (
    <section ref={impression} className="hero" data-hero-movie-id={movie.id} aria-label={`Featured: ${title}`} style={{ "--hero-from": palette.from, "--hero-to": palette.to, "--hero-accent": palette.accent } as React.CSSProperties}>
      <div className="hero-art" aria-hidden="true">
        <Poster movie={movie} className="hero-poster" />
      </div>
      <div className="hero-copy">
        <p className="hero-kicker">
          <span className="hero-badge">Top pick</span> {reason}
        </p>
        <h1 className="hero-title">{title}</h1>
        <p className="hero-meta">{[movie.year, movie.maturityRating, movie.runtimeMinutes ? `${movie.runtimeMinutes} min` : null, movie.genres.slice(0, 3).join(" · ")].filter(Boolean).join("  |  ")}</p>
        {movie.synopsis ? <p className="hero-synopsis">{movie.synopsis}</p> : null}
        <div className="hero-actions">
          <button type="button" className="button button--primary" onClick={() => actions.play({ movie, reason, recommendationId })}>
            <span aria-hidden="true">▶</span> Play
          </button>
          <button type="button" className="button button--secondary" onClick={() => actions.openDetails({ movie, reason, recommendationId })}>
            <InfoIcon /> More info
          </button>
        </div>
      </div>
    </section>
  );
}

export function HeroSkeleton() {
  return (
    <div className="hero hero--skeleton" aria-hidden="true">
      <div className="hero-copy">
        <div className="skeleton skeleton-line" style={{ width: "30%" }} />
        <div className="skeleton skeleton-heading" />
        <div className="skeleton skeleton-line" style={{ width: "70%" }} />
        <div className="skeleton skeleton-line" style={{ width: "55%" }} />
      </div>
    </div>
  );
}

function InfoIcon() {
  return (
    <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
      <circle cx="12" cy="12" r="10" fill="none" stroke="currentColor" strokeWidth="2" />
      <path d="M12 10.5v6" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" />
      <circle cx="12" cy="7.4" r="1.3" fill="currentColor" />
    </svg>
  );
}
