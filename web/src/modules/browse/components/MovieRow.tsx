import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { useImpressionRef } from "../../interactions/impressions/useImpressions";
import { Link } from "react-router";
import { paths } from "../../../app/paths";
import { MovieCard } from "../../movies/components/MovieCard";
import type { HomeRowItem, HomeRowView } from "../hooks/useHomeRows";

/**
 * A horizontally scrolling row. Keyboard: Tab enters the row once, Left/Right/Home/End move between
 * posters, Up/Down jump to the neighbouring row; Enter opens the focused title.
 */
export function MovieRow({ row }: { row: HomeRowView }) {
  const headingId = useId();
  const trackRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const firstId = row.items[0]?.movie.id;

  // A new title at the front of the row (the one just watched, in Continue watching) is the
  // change the viewer should see: bring the row back to its start unless they are working in it.
  useEffect(() => {
    const track = trackRef.current;
    if (track && !track.contains(document.activeElement)) track.scrollTo?.({ left: 0, behavior: "smooth" });
  }, [firstId]);

  const focusCard = (index: number) => {
    const posters = trackRef.current?.querySelectorAll<HTMLButtonElement>("[data-card-poster]");
    if (!posters || posters.length === 0) return;
    const clamped = Math.max(0, Math.min(posters.length - 1, index));
    setActive(clamped);
    const poster = posters[clamped];
    poster?.focus({ preventScroll: true });
    poster?.closest(".card")?.scrollIntoView({ behavior: "smooth", block: "nearest", inline: "nearest" });
  };

  const onKeyDown = (index: number) => (event: KeyboardEvent<HTMLButtonElement>) => {
    switch (event.key) {
      case "ArrowRight":
        event.preventDefault();
        focusCard(index + 1);
        break;
      case "ArrowLeft":
        event.preventDefault();
        focusCard(index - 1);
        break;
      case "Home":
        event.preventDefault();
        focusCard(0);
        break;
      case "End":
        event.preventDefault();
        focusCard(row.items.length - 1);
        break;
      case "ArrowDown":
      case "ArrowUp": {
        const rows = [...document.querySelectorAll<HTMLElement>("[data-row-track]")];
        const here = rows.indexOf(trackRef.current as HTMLElement);
        const target = rows[here + (event.key === "ArrowDown" ? 1 : -1)];
        const poster = target?.querySelector<HTMLButtonElement>("[data-card-poster][tabindex='0']") ?? target?.querySelector<HTMLButtonElement>("[data-card-poster]");
        if (poster) {
          event.preventDefault();
          poster.focus({ preventScroll: true });
          poster.closest("section")?.scrollIntoView({ behavior: "smooth", block: "nearest" });
        }
        break;
      }
    }
  };

  const scrollByPage = (direction: 1 | -1) => {
    const track = trackRef.current;
    if (track) track.scrollBy({ left: direction * track.clientWidth * 0.85, behavior: "smooth" });
  };

  return (
    <section className="row" aria-labelledby={headingId} data-row-kind={row.kind} data-row-id={row.key}>
      <div className="row-head">
        <h2 id={headingId} className="row-title">
          {row.title}
        </h2>
        {row.genre ? (
          <Link className="row-more" to={paths.genre(row.genre)}>
            See all <span aria-hidden="true">›</span>
          </Link>
        ) : null}
      </div>
      <div className="row-viewport">
        <button type="button" className="row-scroll row-scroll--left" tabIndex={-1} aria-hidden="true" onClick={() => scrollByPage(-1)}>
          ‹
        </button>
        <div className="row-track" ref={trackRef} data-row-track role="list">
          {row.items.map((item, index) => (
            <RowItem key={item.movie.id} rowKey={row.key} item={item} tabIndex={index === Math.min(active, row.items.length - 1) ? 0 : -1} onPosterKeyDown={onKeyDown(index)} />
          ))}
        </div>
        <button type="button" className="row-scroll row-scroll--right" tabIndex={-1} aria-hidden="true" onClick={() => scrollByPage(1)}>
          ›
        </button>
      </div>
    </section>
  );
}

/** One card of a row; watched for its impression (half on screen for a second). */
function RowItem({ rowKey, item, tabIndex, onPosterKeyDown }: { rowKey: string; item: HomeRowItem; tabIndex: number; onPosterKeyDown: (event: KeyboardEvent<HTMLButtonElement>) => void }) {
  const impression = useImpressionRef({ rowId: rowKey, movieId: item.movie.id, recommendationId: item.recommendationId });
  return (
    <div role="listitem" className="row-item" ref={impression}>
      <MovieCard movie={item.movie} reason={item.reason} progress={item.progress ?? null} recommendationId={item.recommendationId} tabIndex={tabIndex} onPosterKeyDown={onPosterKeyDown} />
    </div>
  );
}

export function RowSkeleton({ cards = 7 }: { cards?: number }) {
  return (
    <div className="row row--skeleton" aria-hidden="true">
      <div className="skeleton skeleton-title" />
      <div className="row-track">
        {Array.from({ length: cards }, (_, i) => (
          <div key={i} className="skeleton skeleton-card" />
        ))}
      </div>
    </div>
  );
}
