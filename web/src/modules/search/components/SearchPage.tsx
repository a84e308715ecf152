import { useQuery } from "@apollo/client/react";
import { MovieGrid } from "../../movies/components/MovieGrid";
import { ApiProblem } from "../../shell/components/ApiProblem";
import { SearchMoviesQuery } from "../graphql/search-movies.query";
import { useDebouncedValue } from "../hooks/useDebouncedValue";

const PAGE = 36;

export function SearchPage({ query }: { query: string }) {
  const text = useDebouncedValue(query.trim(), 200);
  const { data, loading, error, fetchMore, previousData } = useQuery(SearchMoviesQuery, { variables: { text, first: PAGE }, skip: text.length === 0 });
  const shown = data ?? (loading ? previousData : undefined);
  const movies = shown?.movies.edges.map((edge) => edge.node) ?? [];
  const pageInfo = data?.movies.pageInfo;

  if (error) return <ApiProblem error={error} />;
  return (
    <div className="page">
      <h1 className="page-title">{text ? <>Results for “{text}”</> : "Search"}</h1>
      {!text ? <p className="empty">Type a title in the search box above.</p> : null}
      {text && !loading && movies.length === 0 ? <p className="empty">No titles match “{text}”. Try fewer letters or another spelling.</p> : null}
      <p className="visually-hidden" aria-live="polite">
        {text && !loading ? `${movies.length}${pageInfo?.hasNextPage ? "+" : ""} results` : ""}
      </p>
      <MovieGrid
        movies={movies}
        label={`Search results for ${text}`}
        loading={loading && movies.length === 0 && text.length > 0}
        hasMore={Boolean(pageInfo?.hasNextPage)}
        onLoadMore={() => void fetchMore({ variables: { after: pageInfo?.endCursor }, updateQuery: appendPage })}
      />
    </div>
  );
}

type Page = { movies: { edges: unknown[]; pageInfo: unknown } };

/** Cursor pagination: keep the pages already shown and add the new one. */
export function appendPage<T extends Page>(previous: T, { fetchMoreResult }: { fetchMoreResult: T }): T {
  return { ...fetchMoreResult, movies: { ...fetchMoreResult.movies, edges: [...previous.movies.edges, ...fetchMoreResult.movies.edges] } };
}
