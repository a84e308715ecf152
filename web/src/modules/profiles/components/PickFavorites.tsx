import { useMutation, useQuery } from "@apollo/client/react";
import { useMemo, useState } from "react";
import type { MovieCardFieldsFragment } from "../../../gql/graphql";
import { HomeQuery } from "../../browse/graphql/home.query";
import { Poster } from "../../movies/components/Poster";
import { posterLabel } from "../../movies/poster/poster-art";
import { ApiProblem } from "../../shell/components/ApiProblem";
import { ChooseFavoritesMutation } from "../graphql/choose-favorites.mutation";

const CHOICES = 24;

/**
 * Cold start: a new profile has no history, so its home is Trending and Popular. Picking a few
 * favourites here (chooseFavorites) gives Top picks something to go on from the first screen.
 */
export function PickFavorites({ profileId, name, onDone }: { profileId: string; name: string; onDone: () => void }) {
  const { data, loading, error, refetch } = useQuery(HomeQuery, { variables: { profileId } });
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [choose, saving] = useMutation(ChooseFavoritesMutation, { refetchQueries: ["Home"] });

  const titles = useMemo(() => {
    const seen = new Set<string>();
    const list: MovieCardFieldsFragment[] = [];
    for (const row of data?.home ?? []) {
      for (const item of row.items) {
        if (!seen.has(item.movie.id)) {
          seen.add(item.movie.id);
          list.push(item.movie);
        }
      }
    }
    return list.slice(0, CHOICES);
  }, [data]);

  if (error) return <ApiProblem error={error} onRetry={() => void refetch()} />;

  const toggle = (id: string) =>
    setPicked((previous) => {
      const next = new Set(previous);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const submit = async () => {
    if (picked.size > 0) await choose({ variables: { profileId, movieIds: [...picked] } }).catch(() => undefined);
    onDone();
  };

  return (
    <main className="onboarding" aria-labelledby="onboarding-title">
      <div className="onboarding-head">
        <h1 id="onboarding-title">Welcome, {name}. What do you love?</h1>
        <p className="muted">Pick three or more titles and your first rows will be made for you.</p>
      </div>
      <ul className="onboarding-grid" aria-busy={loading}>
        {loading
          ? Array.from({ length: 12 }, (_, i) => <li key={i} className="skeleton skeleton-card" aria-hidden="true" />)
          : titles.map((movie) => (
              <li key={movie.id}>
                <button type="button" className="pick" aria-pressed={picked.has(movie.id)} onClick={() => toggle(movie.id)} aria-label={posterLabel(movie)}>
                  <Poster movie={movie} className="pick-art" decorative />
                  <CheckIcon />
                </button>
              </li>
            ))}
      </ul>
      <div className="onboarding-bar">
        <span aria-live="polite">{picked.size === 0 ? "Nothing picked yet" : `${picked.size} picked`}</span>
        <button type="button" className="button button--ghost" onClick={onDone}>
          Skip
        </button>
        <button type="button" className="button button--primary" disabled={picked.size === 0 || saving.loading} onClick={() => void submit()}>
          {saving.loading ? "Personalising…" : "Continue"}
        </button>
        {saving.error ? (
          <p className="form-error" role="alert">
            {saving.error.message}
          </p>
        ) : null}
      </div>
    </main>
  );
}

/** Drawn, not typed: a "✓" character would be visible text that the title's name does not contain. */
function CheckIcon() {
  return (
    <svg className="pick-check" viewBox="0 0 24 24" aria-hidden="true">
      <path d="M5 12.5l4.5 4.5L19 7.5" fill="none" stroke="currentColor" strokeWidth="3" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
