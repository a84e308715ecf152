import { CombinedGraphQLErrors } from "@apollo/client";

/** Says plainly whether the API is unreachable or answered with an error, and offers a retry. */
export function ApiProblem({ error, onRetry }: { error: Error; onRetry?: () => void }) {
  const down = !CombinedGraphQLErrors.is(error);
  return (
    <div className="api-problem" role="alert">
      <div className="api-problem-mark" aria-hidden="true">
        {down ? "⏻" : "!"}
      </div>
      <h2>{down ? "The Marquee API is not reachable" : "The Marquee API returned an error"}</h2>
      <p>{down ? "Start it with `npm start` (it serves this page and /graphql on port 4000), then try again." : error.message}</p>
      {onRetry ? (
        <button type="button" className="button button--primary" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
