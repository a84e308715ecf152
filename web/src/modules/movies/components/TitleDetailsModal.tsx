import { useEffect, useId, useRef } from "react";
import { routeHref } from "../../../app/router";
import { useMoreLikeThis } from "../hooks/useMoreLikeThis";
import { useTitleActions, type TitleSelection } from "../hooks/useTitleActions";
import { displayTitle, paletteFor } from "../poster/poster-art";
import { ThumbIcon } from "./MovieCard";
import { Poster } from "./Poster";

interface Props {
  selection: TitleSelection;
  onClose: () => void;
  onOpenOther: (selection: TitleSelection) => void;
}

/** Title details: synopsis, genres, why it was picked, Play trailer and More like this. */
export function TitleDetailsModal({ selection, onClose, onOpenOther }: Props) {
  const { movie, reason } = selection;
  const actions = useTitleActions();
  const titleId = useId();
  const dialogRef = useRef<HTMLDivElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const more = useMoreLikeThis(movie);
  const title = displayTitle(movie.title);
  const palette = paletteFor(movie.genres);
  const thumb = actions.thumbOf(movie.id);
  const inList = actions.inList(movie.id);

  useEffect(() => {
    closeRef.current?.focus();
    dialogRef.current?.scrollTo({ top: 0 });
  }, [movie.id]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        event.preventDefault();
        onClose();
      } else if (event.key === "Tab") trapFocus(event, dialogRef.current);
    };
    document.addEventListener("keydown", onKey);
    document.body.classList.add("modal-open");
    return () => {
      document.removeEventListener("keydown", onKey);
      document.body.classList.remove("modal-open");
    };
  }, [onClose]);

  return (
    <div className="modal-backdrop" onMouseDown={(event) => event.target === event.currentTarget && onClose()}>
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby={titleId} ref={dialogRef} style={{ "--hero-from": palette.from, "--hero-to": palette.to } as React.CSSProperties}>
        <button ref={closeRef} type="button" className="modal-close" onClick={onClose} aria-label="Close details">
          ✕
        </button>
        <div className="modal-banner">
          <Poster movie={movie} className="modal-poster" />
          <div className="modal-heading">
            <h2 id={titleId} className="modal-title">
              {title}
            </h2>
            <p className="modal-meta">
              {[movie.year, movie.maturityRating, movie.runtimeMinutes ? `${movie.runtimeMinutes} min` : null].filter(Boolean).map((part) => (
                <span key={String(part)}>{part}</span>
              ))}
            </p>
            <div className="modal-actions">
              <button type="button" className="button button--primary" onClick={() => actions.play(selection)}>
                <span aria-hidden="true">▶</span> {selection.resumeAt ? "Resume trailer" : "Play trailer"}
              </button>
              <button type="button" className="icon-button icon-button--large" aria-pressed={inList} onClick={() => actions.toggleList(movie)} aria-label={inList ? "Remove from My List" : "Add to My List"} title={inList ? "Remove from My List" : "Add to My List"}>
                <span aria-hidden="true">{inList ? "✓" : "+"}</span>
              </button>
              <button type="button" className="icon-button icon-button--large" aria-pressed={thumb === "up"} onClick={() => actions.thumb(movie, "up")} aria-label="I like this" title="I like this">
                <ThumbIcon />
              </button>
              <button type="button" className="icon-button icon-button--large" aria-pressed={thumb === "down"} onClick={() => actions.thumb(movie, "down")} aria-label="Not for me" title="Not for me">
                <ThumbIcon down />
              </button>
            </div>
          </div>
        </div>
        <div className="modal-body">
          <div className="modal-main">
            {reason ? <p className="modal-reason">{reason}</p> : null}
            <p className="modal-synopsis">{movie.synopsis ?? "No synopsis yet."}</p>
          </div>
          <aside className="modal-side">
            <p>
              <span className="muted">Genres: </span>
              {movie.genres.map((genre, i) => (
                <span key={genre}>
                  {i > 0 ? ", " : null}
                  <a href={routeHref({ name: "genre", genre })} onClick={onClose}>
                    {genre}
                  </a>
                </span>
              ))}
            </p>
          </aside>
        </div>
        <section className="modal-more" aria-label="More like this">
          <h3>More like this</h3>
          {more.loading ? (
            <div className="more-grid">
              {Array.from({ length: 6 }, (_, i) => (
                <div key={i} className="skeleton skeleton-more" />
              ))}
            </div>
          ) : (
            <ul className="more-grid">
              {more.items.map((item) => (
                <li key={item.movie.id}>
                  <button type="button" className="more-card" onClick={() => onOpenOther(item)} aria-label={`${displayTitle(item.movie.title)}${item.movie.year ? `, ${item.movie.year}` : ""}. Open details`}>
                    <Poster movie={item.movie} className="more-art" />
                    <span className="more-meta">
                      <span className="more-title">{displayTitle(item.movie.title)}</span>
                      <span className="muted">{item.movie.year}</span>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}

function trapFocus(event: KeyboardEvent, container: HTMLElement | null) {
  if (!container) return;
  const focusable = [...container.querySelectorAll<HTMLElement>("button, a[href], input, [tabindex]:not([tabindex='-1'])")].filter((el) => !el.hasAttribute("disabled"));
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  if (!first || !last) return;
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}
