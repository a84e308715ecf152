import { useEffect, useId, useRef } from "react";
import type { MovieCardFieldsFragment } from "../../../gql/graphql";
import { MovieCard } from "./MovieCard";

interface Props {
  movies: readonly MovieCardFieldsFragment[];
  label: string;
  loading?: boolean;
  hasMore?: boolean;
  onLoadMore?: () => void;
}

/** A wrapping grid of cards with infinite scroll (and a button, for keyboards and old browsers). */
export function MovieGrid({ movies, label, loading = false, hasMore = false, onLoadMore }: Props) {
  const headingId = useId();
  const sentinel = useRef<HTMLDivElement>(null);
  const loadMore = useRef(onLoadMore);
  loadMore.current = onLoadMore;

  useEffect(() => {
    const element = sentinel.current;
    if (!element || !hasMore || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && loadMore.current?.(), { rootMargin: "600px" });
    observer.observe(element);
    return () => observer.disconnect();
  }, [hasMore, movies.length]);

  return (
    <>
      {/* Cards title themselves with h3: the grid's own heading keeps the outline in order. */}
      <h2 id={headingId} className="visually-hidden">
        {label}
      </h2>
      <ul className="grid" aria-labelledby={headingId} aria-busy={loading}>
        {movies.map((movie) => (
          <li key={movie.id}>
            <MovieCard movie={movie} />
          </li>
        ))}
        {loading && Array.from({ length: 12 }, (_, i) => <li key={`s${i}`} className="skeleton skeleton-card" aria-hidden="true" />)}
      </ul>
      {hasMore && !loading ? (
        <div ref={sentinel} className="grid-more">
          <button type="button" className="button button--secondary" onClick={onLoadMore}>
            Load more
          </button>
        </div>
      ) : null}
    </>
  );
}
