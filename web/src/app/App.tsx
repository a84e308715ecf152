import { ApolloProvider, useApolloClient } from "@apollo/client/react";
import { useCallback, useEffect, useMemo, type ReactNode } from "react";
import { BrowserRouter, Navigate, Outlet, Route, Routes, useLocation, useMatch, useNavigate, useParams, useSearchParams } from "react-router";
import { AdminPage } from "../modules/admin/components/AdminPage";
import { BrowsePage } from "../modules/browse/components/BrowsePage";
import { HOME_ROW_QUERIES } from "../modules/browse/hooks/useHomeRows";
import { GenrePage } from "../modules/genres/components/GenrePage";
import { InteractionsProvider } from "../modules/interactions/components/InteractionsProvider";
import { TitleActionsProvider } from "../modules/movies/components/TitleActionsProvider";
import { MyListPage } from "../modules/my-list/components/MyListPage";
import { PickFavorites } from "../modules/profiles/components/PickFavorites";
import { WhoIsWatching } from "../modules/profiles/components/WhoIsWatching";
import { CurrentProfileProvider, useCurrentProfile, type ProfileSummary } from "../modules/profiles/hooks/useCurrentProfile";
import { SearchPage } from "../modules/search/components/SearchPage";
import { Header } from "../modules/shell/components/Header";
import { NotFoundPage } from "../modules/shell/components/NotFoundPage";
import { createApolloClient } from "./apollo-client";
import { pathOfLegacyHash, paths } from "./paths";
import { titleStateOf } from "./title-location";

export function App() {
  const client = useMemo(() => createApolloClient(), []);
  return (
    <BrowserRouter>
      <ApolloProvider client={client}>
        <CurrentProfileProvider>
          <RefetchingInteractions />
        </CurrentProfileProvider>
      </ApolloProvider>
    </BrowserRouter>
  );
}

/** Every acknowledged batch refetches the viewer's rows: the change shows within a second. */
function RefetchingInteractions() {
  const client = useApolloClient();
  const onSent = useCallback(() => void client.refetchQueries({ include: HOME_ROW_QUERIES }), [client]);
  return (
    <InteractionsProvider onSent={onSent}>
      <Screens />
    </InteractionsProvider>
  );
}

function Screens() {
  const { hash } = useLocation();
  const moved = pathOfLegacyHash(hash);
  if (moved !== null) return <Navigate to={moved} replace />;

  return (
    <Routes>
      <Route path={paths.admin} element={<AdminPage />} />
      <Route path={paths.profiles} element={<ProfilePicker />} />
      <Route path={paths.welcome} element={<WithProfile>{(profile) => <Welcome profile={profile} />}</WithProfile>} />
      <Route path="*" element={<WithProfile>{(profile) => <ProfileScreens profile={profile} />}</WithProfile>} />
    </Routes>
  );
}

/**
 * A profile's screens. Without a profile, Who's watching comes first, at the same URL: a shared
 * link opens once a profile is picked.
 */
function WithProfile({ children }: { children: (profile: ProfileSummary) => ReactNode }) {
  const { profile } = useCurrentProfile();
  return profile ? children(profile) : <ProfilePicker />;
}

function ProfilePicker() {
  const { choose, browseAnonymously } = useCurrentProfile();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  return (
    <WhoIsWatching
      onBrowseAnonymously={() =>
        browseAnonymously().then(
          () => pathname === paths.profiles && navigate(paths.home),
          // Refused (too many from this address) or unreachable: stay on the picker.
          () => undefined,
        )
      }
      onChoose={(chosen, options) =>
        choose(chosen).then(
          () => {
            if (options?.created) navigate(paths.welcome);
            else if (pathname === paths.profiles) navigate(paths.home);
          },
          // Unreachable API: stay on the picker; its own query shows the problem.
          () => undefined,
        )
      }
    />
  );
}

function Welcome({ profile }: { profile: ProfileSummary }) {
  const navigate = useNavigate();
  return <PickFavorites profileId={profile.id} name={profile.name} onDone={() => navigate(paths.home, { replace: true })} />;
}

function ProfileScreens({ profile }: { profile: ProfileSummary }) {
  const location = useLocation();
  const client = useApolloClient();
  // Rows are cached by their id, which names no profile: another profile must not see these.
  useEffect(
    () => () => {
      client.cache.evict({ id: "ROOT_QUERY", fieldName: "home" });
      client.cache.gc();
    },
    [client, profile.id],
  );
  const onTitle = useMatch("/title/:id") !== null;
  // A title's details (TitleActionsProvider) open over the page that opened them; over Browse
  // when the title's link was shared or typed.
  const page = onTitle ? (titleStateOf(location)?.background ?? paths.home) : location;
  return (
    <TitleActionsProvider profileId={profile.id} key={profile.id}>
      <Routes location={page}>
        <Route element={<Layout profile={profile} />}>
          <Route index element={<BrowsePage profileId={profile.id} />} />
          <Route path="genre/:name" element={<GenreRoute />} />
          <Route path="search" element={<SearchRoute />} />
          <Route path="my-list" element={<MyListPage profileId={profile.id} />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </TitleActionsProvider>
  );
}

function Layout({ profile }: { profile: ProfileSummary }) {
  const { signOut } = useCurrentProfile();
  const navigate = useNavigate();
  return (
    <>
      <Header
        profile={profile}
        onSwitchProfile={() => {
          signOut();
          navigate(paths.profiles);
        }}
      />
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}

function GenreRoute() {
  const { name = "" } = useParams();
  return <GenrePage genre={name} />;
}

function SearchRoute() {
  const [params] = useSearchParams();
  return <SearchPage query={params.get("q") ?? ""} />;
}
