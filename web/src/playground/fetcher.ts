import type { GraphiQLProps } from "graphiql";

type Fetcher = GraphiQLProps["fetcher"];

/**
 * A plain JSON-over-POST fetcher (queries and mutations; no subscriptions yet). The JSON content
 * type satisfies Apollo's CSRF prevention.
 */
export function createFetcher(url: string): Fetcher {
  return async (params) => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(params),
      credentials: "same-origin",
    });
    return response.json();
  };
}
