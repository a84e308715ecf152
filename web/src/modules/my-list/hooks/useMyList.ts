import { CombinedGraphQLErrors } from "@apollo/client";
import { useMutation, useQuery } from "@apollo/client/react";
import { useCallback, useMemo, useRef } from "react";
import type { MovieCardFieldsFragment } from "../../../gql/graphql";
import { HOME_ROW_QUERIES } from "../../browse/hooks/useHomeRows";
import { AddToMyListMutation } from "../graphql/add-to-my-list.mutation";
import { MyListQuery } from "../graphql/my-list.query";
import { RemoveFromMyListMutation } from "../graphql/remove-from-my-list.mutation";

const EMPTY: MovieCardFieldsFragment[] = [];

/** A list as the cache stores it (typed objects), for optimistic answers. */
const writeList = (list: readonly MovieCardFieldsFragment[]) => list.map((m) => ({ ...m, __typename: "Movie" as const }));

/**
 * My List of a profile, kept by the API (so it follows the viewer across devices). Changes show at
 * once (optimistic), are sent one after the other (an add then a quick remove arrive in that
 * order), and a failed change rolls back. Adding is an ADD_TO_LIST event on the server, so the
 * home rows are refetched after it.
 */
export function useMyList(profileId: string | null) {
  const { data } = useQuery(MyListQuery, { variables: { profileId: profileId ?? "" }, skip: !profileId });
  const items = data?.myList ?? EMPTY;
  const [addMutation] = useMutation(AddToMyListMutation, { refetchQueries: HOME_ROW_QUERIES });
  const [removeMutation] = useMutation(RemoveFromMyListMutation);
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const latest = useRef(items);
  latest.current = items;

  const ids = useMemo(() => new Set(items.map((m) => m.id)), [items]);
  const has = useCallback((movieId: string) => ids.has(movieId), [ids]);

  const enqueue = useCallback((send: () => Promise<unknown>) => {
    // A failed change is rolled back by Apollo (the optimistic list is dropped); the next still runs.
    queue.current = queue.current.then(send).catch(() => undefined);
  }, []);

  const add = useCallback(
    (movie: MovieCardFieldsFragment, recommendationId: string | null = null) => {
      if (!profileId || latest.current.some((m) => m.id === movie.id)) return;
      const optimistic = writeList([movie, ...latest.current]);
      const send = (attributedTo: string | null) =>
        addMutation({
          variables: { profileId, movieId: movie.id, recommendationId: attributedTo },
          optimisticResponse: { addToMyList: optimistic },
          update: (cache, { data: result }) => {
            if (result) cache.writeQuery({ query: MyListQuery, variables: { profileId }, data: { myList: result.addToMyList } });
          },
        });
      // A serving id the API no longer accepts (a stale page, a rotated secret) must not lose the add.
      enqueue(() => send(recommendationId).catch((error: unknown) => (recommendationId && refusedForAttribution(error) ? send(null) : Promise.reject(error))));
    },
    [profileId, addMutation, enqueue],
  );

  const remove = useCallback(
    (movieId: string) => {
      if (!profileId) return;
      const optimistic = writeList(latest.current.filter((m) => m.id !== movieId));
      enqueue(() =>
        removeMutation({
          variables: { profileId, movieId },
          optimisticResponse: { removeFromMyList: optimistic },
          update: (cache, { data: result }) => {
            if (result) cache.writeQuery({ query: MyListQuery, variables: { profileId }, data: { myList: result.removeFromMyList } });
          },
        }),
      );
    },
    [profileId, removeMutation, enqueue],
  );

  return { items, has, add, remove };
}

function refusedForAttribution(error: unknown): boolean {
  return CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.field === "recommendationId");
}
