import { ApolloClient, HttpLink, InMemoryCache } from "@apollo/client";

/** Same origin in production (the API serves this client); Vite proxies /graphql in development. */
export function createApolloClient(uri = "/graphql"): ApolloClient {
  return new ApolloClient({
    link: new HttpLink({ uri }),
    cache: new InMemoryCache({
      typePolicies: {
        // A row's id is stable across refetches (`TOP_PICKS`, `GENRE:Comedy`): each refetch
        // rewrites the same entries instead of adding new ones. It is not unique across profiles:
        // App drops the cached rows when the profile changes.
        HomeRow: { keyFields: ["id"], fields: { items: { merge: false } } },
        // Recommendation lists are replaced wholesale on refetch; never merge old and new rows.
        Query: {
          fields: {
            recommendations: { merge: false },
            home: { merge: false },
            // A title a row already loaded opens its page (/title/:id) from the cache, with no request.
            movie: { read: (_, { args, toReference }) => toReference({ __typename: "Movie", id: String(args?.id) }) },
          },
        },
      },
    }),
  });
}
