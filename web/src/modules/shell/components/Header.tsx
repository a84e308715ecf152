import { useQuery } from "@apollo/client/react";
import { useEffect, useRef, useState } from "react";
import { navigate, routeHref, type Route } from "../../../app/router";
import { GenresQuery } from "../../genres/graphql/genres.query";
import { useInteractions } from "../../interactions/hooks/useInteractions";
import { ProfileAvatar } from "../../profiles/components/ProfileAvatar";
import type { ProfileSummary } from "../../profiles/hooks/useCurrentProfile";

interface Props {
  route: Route;
  profile: ProfileSummary;
  onSwitchProfile: () => void;
}

export function Header({ route, profile, onSwitchProfile }: Props) {
  const [scrolled, setScrolled] = useState(false);
  useEffect(() => {
    const onScroll = () => setScrolled(window.scrollY > 8);
    window.addEventListener("scroll", onScroll, { passive: true });
    return () => window.removeEventListener("scroll", onScroll);
  }, []);

  return (
    <header className={`header${scrolled ? " header--solid" : ""}`}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <a className="logo" href={routeHref({ name: "browse" })} aria-label="Marquee home">
        MARQUEE
      </a>
      <nav className="nav" aria-label="Main">
        <a href={routeHref({ name: "browse" })} aria-current={route.name === "browse" ? "page" : undefined}>
          Home
        </a>
        <GenreMenu current={route.name === "genre" ? route.genre : null} />
        <a href={routeHref({ name: "my-list" })} aria-current={route.name === "my-list" ? "page" : undefined}>
          My List
        </a>
      </nav>
      <div className="header-tools">
        <SearchBox route={route} />
        <QueueIndicator />
        <button type="button" className="profile-button" onClick={onSwitchProfile} title="Switch profile" aria-label={`${profile.name}: switch profile`}>
          <ProfileAvatar profile={profile} />
        </button>
      </div>
    </header>
  );
}

function GenreMenu({ current }: { current: string | null }) {
  const { data } = useQuery(GenresQuery);
  return (
    <label className="genre-select">
      <span className="visually-hidden">Genres</span>
      <select value={current ?? ""} onChange={(e) => e.target.value && navigate({ name: "genre", genre: e.target.value })}>
        <option value="">Genres</option>
        {(data?.genres ?? []).map((genre) => (
          <option key={genre} value={genre}>
            {genre}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Typing goes straight to #/search?q=…, replacing the entry so Back leaves search in one step. */
function SearchBox({ route }: { route: Route }) {
  const inputRef = useRef<HTMLInputElement>(null);
  const value = route.name === "search" ? route.query : "";
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (event.key === "/" && !(target instanceof HTMLInputElement) && !(target instanceof HTMLTextAreaElement)) {
        event.preventDefault();
        inputRef.current?.focus();
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  return (
    <form className="search" role="search" onSubmit={(e) => e.preventDefault()}>
      <label htmlFor="search-input" className="visually-hidden">
        Search titles
      </label>
      <span className="search-icon" aria-hidden="true">
        ⌕
      </span>
      <input
        ref={inputRef}
        id="search-input"
        type="search"
        placeholder="Titles"
        autoComplete="off"
        value={draft}
        onChange={(event) => {
          setDraft(event.target.value);
          navigate({ name: "search", query: event.target.value }, { replace: route.name === "search" });
        }}
        onKeyDown={(event) => {
          if (event.key === "Escape") {
            setDraft("");
            navigate({ name: "browse" });
          }
        }}
      />
    </form>
  );
}

function QueueIndicator() {
  const { status, retryNow } = useInteractions();
  if (status.state !== "retrying") return null;
  return (
    <button type="button" className="queue-status" onClick={() => void retryNow()} title="Events are kept on this device and sent when the API is back">
      <span className="queue-dot" aria-hidden="true" /> Offline · {status.pending} event{status.pending === 1 ? "" : "s"} waiting
    </button>
  );
}
