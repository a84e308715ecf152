import { Link } from "react-router";
import { paths } from "../../../app/paths";
import { MovieGrid } from "../../movies/components/MovieGrid";
import { useMyList } from "../hooks/useMyList";

export function MyListPage({ profileId }: { profileId: string }) {
  const { items } = useMyList(profileId);
  return (
    <div className="page">
      <h1 className="page-title">My List</h1>
      {items.length === 0 ? (
        <p className="empty">
          Nothing here yet. Use <strong>+</strong> on any title to keep it for later, or <Link to={paths.home}>browse your picks</Link>.
        </p>
      ) : (
        <MovieGrid movies={items} label="My List" />
      )}
    </div>
  );
}
