import { Link } from "react-router";
import { paths } from "../../../app/paths";

/** Any path the client has no screen for (the API answers every page path with the client). */
export function NotFoundPage() {
  return (
    <div className="page">
      <h1 className="page-title">This page does not exist</h1>
      <p className="empty">
        The link may be old or mistyped. <Link to={paths.home}>Go to the home page</Link> or search for a title above.
      </p>
    </div>
  );
}
