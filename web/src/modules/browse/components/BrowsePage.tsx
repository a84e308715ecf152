import { CombinedGraphQLErrors } from "@apollo/client";
import { useEffect, useRef, useState } from "react";
import { ImpressionTrackerContext, usePageImpressions } from "../../interactions/impressions/useImpressions";
import { useTitleOverlayOpen } from "../../movies/hooks/useTitleActions";
import { Link } from "react-router";
import { paths } from "../../../app/paths";
import { ApiProblem } from "../../shell/components/ApiProblem";
import { useHomeRows, type HomeRowView } from "../hooks/useHomeRows";
import { HeroBanner, HeroSkeleton } from "./HeroBanner";
import { MovieRow, RowSkeleton } from "./MovieRow";

export function BrowsePage({ profileId }: { profileId: string }) {
  const { rows, hero, loading, error, refetch } = useHomeRows(profileId);
  const updated = useRowsUpdated(rows);
  // This mount is one page view: each (row, title) seen in it is one impression.
  const impressions = usePageImpressions(profileId, useTitleOverlayOpen());

  if (error && rows.length === 0) {
    if (CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.code === "NOT_FOUND")) {
      // The remembered profile is gone (a reset database, say): send the viewer to pick another.
      return (
        <div className="api-problem" role="alert">
          <h2>This profile no longer exists</h2>
          <p>It may have been removed, or the database was reset.</p>
          <Link className="button button--primary" to={paths.profiles}>
            Choose a profile
          </Link>
        </div>
      );
    }
    return <ApiProblem error={error} onRetry={() => void refetch()} />;
  }

  return (
    <ImpressionTrackerContext.Provider value={impressions}>
      <div className="browse" aria-busy={loading}>
        {loading ? <HeroSkeleton /> : hero ? <HeroBanner hero={hero} /> : null}
        <div className="rows">
          {loading ? (
            <>
              <RowSkeleton />
              <RowSkeleton />
              <RowSkeleton />
            </>
          ) : (
            <>
              {rows.map((row) => (
                <MovieRow key={row.key} row={row} />
              ))}
              {rows.length === 0 && <p className="empty">Nothing to show yet. Play a few trailers and your rows will fill in.</p>}
            </>
          )}
        </div>
        <p className={`toast${updated ? " toast--visible" : ""}`} role="status">
          {updated ? "Your rows just updated with your latest activity" : ""}
        </p>
      </div>
    </ImpressionTrackerContext.Provider>
  );
}

/**
 * True for a moment after the rows change under the viewer (after a refetch triggered by their
 * own action), so the change is noticed: the product's signature moment.
 */
function useRowsUpdated(rows: readonly HomeRowView[]): boolean {
  const signature = rows.map((row) => `${row.key}=${row.items.map((item) => item.movie.id).join(",")}`).join("|");
  const previous = useRef<string | null>(null);
  const [updated, setUpdated] = useState(false);
  useEffect(() => {
    if (!signature) return;
    const before = previous.current;
    previous.current = signature;
    if (before === null || before === signature) return;
    setUpdated(true);
    const timer = setTimeout(() => setUpdated(false), 2500);
    return () => clearTimeout(timer);
  }, [signature]);
  return updated;
}
