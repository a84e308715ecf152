import { useQuery } from "@apollo/client/react";
import { useEffect, useRef, useState } from "react";
import { Link, NavLink, useMatch, useNavigate, useSearchParams } from "react-router";
import { paths } from "../../../app/paths";
import { GenresQuery } from "../../genres/graphql/genres.query";
import { useInteractions } from "../../interactions/hooks/useInteractions";
import { ProfileAvatar } from "../../profiles/components/ProfileAvatar";
import { SaveProfile } from "../../profiles/components/SaveProfile";
import type { ProfileSummary } from "../../profiles/hooks/useCurrentProfile";

interface Props {
  profile: ProfileSummary;
  onSwitchProfile: () => void;
}

export function Header({ profile, onSwitchProfile }: Props) {
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
      <Link className="logo" to={paths.home} aria-label="Marquee home">
        MARQUEE
      </Link>
      <nav className="nav" aria-label="Main">
        {/* NavLink marks the current page with aria-current="page". */}
        <NavLink to={paths.home} end>
          Home
        </NavLink>
        <GenreMenu />
        <NavLink to={paths.myList}>My List</NavLink>
      </nav>
      <div className="header-tools">
        <SearchBox />
        <QueueIndicator />
        {profile.anonymous ? <SaveProfile /> : null}
        <button type="button" className="profile-button" onClick={onSwitchProfile} title="Switch profile" aria-label={`${profile.name}: switch profile`}>
          <ProfileAvatar profile={profile} />
        </button>
      </div>
    </header>
  );
}

function GenreMenu() {
  const { data } = useQuery(GenresQuery);
  const current = useMatch("/genre/:name")?.params.name ?? "";
  const navigate = useNavigate();
  return (
    <label className="genre-select">
      <span className="visually-hidden">Genres</span>
      <select value={current} onChange={(e) => e.target.value && navigate(paths.genre(e.target.value))}>
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

/** Typing goes straight to /search?q=…, replacing the entry so Back leaves search in one step. */
function SearchBox() {
  const inputRef = useRef<HTMLInputElement>(null);
  const navigate = useNavigate();
  const onSearch = useMatch(paths.search("")) !== null;
  const [params] = useSearchParams();
  const value = onSearch ? (params.get("q") ?? "") : "";
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
          navigate(paths.search(event.target.value), { replace: onSearch });
        }}
        onKeyDown={(event) => {
          if (event.key === "Escape") {
            setDraft("");
            navigate(paths.home);
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
      <span className="queue-dot" aria-hidden="true" /> Offline{status.pending > 0 ? ` · ${status.pending} event${status.pending === 1 ? "" : "s"} waiting` : ""}
    </button>
  );
}
