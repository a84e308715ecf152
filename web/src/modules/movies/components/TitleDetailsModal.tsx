import { useId } from "react";
import { Link } from "react-router";
import { paths } from "../../../app/paths";
import { ModalDialog } from "../../shell/components/ModalDialog";
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
  const more = useMoreLikeThis(movie);
  const title = displayTitle(movie.title);
  const palette = paletteFor(movie.genres);
  const thumb = actions.thumbOf(movie.id);
  const inList = actions.inList(movie.id);

  return (
    <ModalDialog labelledBy={titleId} onClose={onClose} contentKey={movie.id} style={{ "--hero-from": palette.from, "--hero-to": palette.to } as React.CSSProperties}>
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
            <button type="button" className="icon-button icon-button--large" aria-pressed={inList} onClick={() => actions.toggleList(selection)} aria-label={inList ? "Remove from My List" : "Add to My List"} title={inList ? "Remove from My List" : "Add to My List"}>
              <span aria-hidden="true">{inList ? "✓" : "+"}</span>
            </button>
            <button type="button" className="icon-button icon-button--large" aria-pressed={thumb === "up"} onClick={() => actions.thumb(selection, "up")} aria-label="I like this" title="I like this">
              <ThumbIcon />
            </button>
            <button type="button" className="icon-button icon-button--large" aria-pressed={thumb === "down"} onClick={() => actions.thumb(selection, "down")} aria-label="Not for me" title="Not for me">
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
                <Link to={paths.genre(genre)}>{genre}</Link>
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
              // The whole card opens the title, but only its caption is the button: the poster
              // paints the title again, and a button's name must contain the words it shows.
              <li key={item.movie.id} className="more-card">
                <Poster movie={item.movie} className="more-art" decorative />
                <span className="more-meta">
                  <button type="button" className="more-open" onClick={() => onOpenOther(item)} aria-label={`${displayTitle(item.movie.title)}${item.movie.year ? `, ${item.movie.year}` : ""}. Open details`}>
                    <span className="more-title">{displayTitle(item.movie.title)}</span>{" "}
                    <span className="muted">{item.movie.year}</span>
                  </button>
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </ModalDialog>
  );
}
