import { useQuery } from "@apollo/client/react";
import { Link } from "react-router";
import { paths } from "../../../app/paths";
import { MovieGrid } from "../../movies/components/MovieGrid";
import { MoviesByGenreQuery } from "../../movies/graphql/movies-by-genre.query";
import { appendPage } from "../../search/components/SearchPage";
import { ApiProblem } from "../../shell/components/ApiProblem";
import { GenresQuery } from "../graphql/genres.query";

const PAGE = 36;

export function GenrePage({ genre }: { genre: string }) {
  const genres = useQuery(GenresQuery);
  const { data, loading, error, fetchMore } = useQuery(MoviesByGenreQuery, { variables: { genre, first: PAGE } });
  const movies = data?.movies.edges.map((edge) => edge.node) ?? [];
  const pageInfo = data?.movies.pageInfo;

  if (error) return <ApiProblem error={error} />;
  return (
    <div className="page">
      <h1 className="page-title">{genre}</h1>
      <nav className="genre-chips" aria-label="Genres">
        {(genres.data?.genres ?? []).map((g) => (
          <Link key={g} to={paths.genre(g)} className="chip" aria-current={g === genre ? "page" : undefined}>
            {g}
          </Link>
        ))}
      </nav>
      {!loading && movies.length === 0 ? <p className="empty">No titles in {genre} yet.</p> : null}
      <MovieGrid
        movies={movies}
        label={`${genre} titles`}
        loading={loading && movies.length === 0}
        hasMore={Boolean(pageInfo?.hasNextPage)}
        onLoadMore={() => void fetchMore({ variables: { after: pageInfo?.endCursor }, updateQuery: appendPage })}
      />
    </div>
  );
}
