import { ApolloProvider, useApolloClient } from "@apollo/client/react";
import { useCallback, useMemo } from "react";
import { AdminPage } from "../modules/admin/components/AdminPage";
import { BrowsePage } from "../modules/browse/components/BrowsePage";
import { HOME_ROW_QUERIES } from "../modules/browse/hooks/useHomeRows";
import { GenrePage } from "../modules/genres/components/GenrePage";
import { InteractionsProvider } from "../modules/interactions/components/InteractionsProvider";
import { TitleActionsProvider } from "../modules/movies/components/TitleActionsProvider";
import { MyListPage } from "../modules/my-list/components/MyListPage";
import { PickFavorites } from "../modules/profiles/components/PickFavorites";
import { WhoIsWatching } from "../modules/profiles/components/WhoIsWatching";
import { CurrentProfileProvider, useCurrentProfile } from "../modules/profiles/hooks/useCurrentProfile";
import { SearchPage } from "../modules/search/components/SearchPage";
import { Header } from "../modules/shell/components/Header";
import { createApolloClient } from "./apollo-client";
import { navigate, useRoute } from "./router";

export function App() {
  const client = useMemo(() => createApolloClient(), []);
  return (
    <ApolloProvider client={client}>
      <CurrentProfileProvider>
        <RefetchingInteractions />
      </CurrentProfileProvider>
    </ApolloProvider>
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
  const route = useRoute();
  const { profile, choose, signOut } = useCurrentProfile();

  if (route.name === "admin") return <AdminPage />;

  if (!profile || route.name === "profiles") {
    return (
      <WhoIsWatching
        onChoose={(chosen, options) =>
          choose(chosen).then(
            () => navigate({ name: options?.created ? "welcome" : "browse" }),
            // Unreachable API: stay on the picker; its own query shows the problem.
            () => undefined,
          )
        }
      />
    );
  }

  if (route.name === "welcome") {
    return <PickFavorites profileId={profile.id} name={profile.name} onDone={() => navigate({ name: "browse" }, { replace: true })} />;
  }

  return (
    <TitleActionsProvider profileId={profile.id} key={profile.id}>
      <Header
        route={route}
        profile={profile}
        onSwitchProfile={() => {
          signOut();
          navigate({ name: "profiles" });
        }}
      />
      <main id="main" tabIndex={-1}>
        {route.name === "browse" && <BrowsePage profileId={profile.id} />}
        {route.name === "genre" && <GenrePage genre={route.genre} />}
        {route.name === "search" && <SearchPage query={route.query} />}
        {route.name === "my-list" && <MyListPage profileId={profile.id} />}
      </main>
    </TitleActionsProvider>
  );
}
