import { CombinedGraphQLErrors } from "@apollo/client";
import { useQuery } from "@apollo/client/react";
import { useId } from "react";
import { Link } from "react-router";
import { paths } from "../../../app/paths";
import { ApiProblem } from "../../shell/components/ApiProblem";
import { ModalDialog } from "../../shell/components/ModalDialog";
import { MovieDetailsQuery } from "../graphql/movie-details.query";
import type { TitleSelection } from "../hooks/useTitleActions";
import { TitleDetailsModal } from "./TitleDetailsModal";

interface Props {
  movieId: string;
  reason?: string | null;
  resumeAt?: number | null;
  /** The opening card's serving id (from the history state); none for a shared or typed link. */
  recommendationId?: string | null;
  onClose: () => void;
  onOpenOther: (selection: TitleSelection) => void;
}

/**
 * /title/:id: the title's details, from the cache when a card opened them (the cache redirect in
 * apollo-client.ts), from the API when the link was shared or the page reloaded.
 */
export function TitleDetailsRoute({ movieId, reason, resumeAt, recommendationId, onClose, onOpenOther }: Props) {
  const { data, loading, error, refetch } = useQuery(MovieDetailsQuery, { variables: { id: movieId } });
  const headingId = useId();
  const movie = data?.movie;
  if (movie) return <TitleDetailsModal selection={{ movie, reason, resumeAt, recommendationId }} onClose={onClose} onOpenOther={onOpenOther} />;
  // An id that is not a title's (`/title/abc`) is refused as BAD_USER_INPUT: not in the catalog either.
  const problem = error && !(CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.code === "BAD_USER_INPUT")) ? error : null;

  return (
    <ModalDialog labelledBy={headingId} onClose={onClose} contentKey={`${movieId}:${loading ? "loading" : "done"}`}>
      <div className="modal-message" aria-busy={loading}>
        {loading ? (
          <h2 id={headingId} className="visually-hidden">
            Loading the title
          </h2>
        ) : problem ? (
          <>
            <h2 id={headingId} className="visually-hidden">
              The title could not be loaded
            </h2>
            <ApiProblem error={problem} onRetry={() => void refetch()} />
          </>
        ) : (
          <>
            <h2 id={headingId}>This title is not in the catalog</h2>
            <p className="muted">The link may be old, or the catalog was changed. There is plenty more on the home page.</p>
            <Link className="button button--primary" to={paths.home} replace>
              Browse titles
            </Link>
          </>
        )}
      </div>
    </ModalDialog>
  );
}
