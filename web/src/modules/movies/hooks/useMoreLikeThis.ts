import { useQuery } from "@apollo/client/react";
import type { MovieCardFieldsFragment } from "../../../gql/graphql";
import { SimilarMoviesQuery } from "../graphql/similar-movies.query";

/** "More like this" for the details modal: the API's similarMovies (audience overlap, else genre). */
export function useMoreLikeThis(movie: MovieCardFieldsFragment, count = 12) {
  const { data, loading, error } = useQuery(SimilarMoviesQuery, { variables: { movieId: movie.id, first: count } });
  const items = (data?.similarMovies ?? []).filter((item) => item.movie.id !== movie.id);
  return { items, loading: loading && !data, error };
}
