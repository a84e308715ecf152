import { ApiProblem } from "../../shell/components/ApiProblem";
import { useHomeRows } from "../hooks/useHomeRows";
import { HeroBanner, HeroSkeleton } from "./HeroBanner";
import { MovieRow, RowSkeleton } from "./MovieRow";

export function BrowsePage({ profileId }: { profileId: string }) {
  const { rows, hero, loading, error, refetch } = useHomeRows(profileId);

  if (error && rows.length === 0) return <ApiProblem error={error} onRetry={() => void refetch()} />;

  return (
    <div className="browse" aria-busy={loading}>
      {loading ? <HeroSkeleton /> : hero ? <HeroBanner item={hero} /> : null}
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
    </div>
  );
}
