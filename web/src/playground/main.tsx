/**
 * The GraphQL playground served at GET /graphql: GraphiQL bundled from npm by Vite (no CDN, so
 * it works offline), talking to the same origin's /graphql.
 */
import "graphiql/setup-workers/vite";
import "graphiql/style.css";
import { GraphiQL } from "graphiql";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createFetcher } from "./fetcher";

const EXAMPLE = `# Welcome to Marquee. Try a query, then a mutation (profile ids come from \`profiles\`).

query Browse {
  movies(first: 5, filter: { genre: "Comedy" }) {
    totalCount
    edges { node { id title year genres synopsis } }
    pageInfo { hasNextPage endCursor }
  }
  profiles { id name }
}
`;

const root = document.getElementById("playground");
if (!root) throw new Error("playground.html has no #playground element");
createRoot(root).render(
  <StrictMode>
    <GraphiQL fetcher={createFetcher(`${window.location.origin}/graphql`)} defaultQuery={EXAMPLE} />
  </StrictMode>,
);
