import { CombinedGraphQLErrors } from "@apollo/client";
import { useMutation } from "@apollo/client/react";
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { AnonymousSessionMutation } from "../graphql/anonymous-session.mutation";
import { ClaimProfileMutation } from "../graphql/claim-profile.mutation";
import { SelectProfileMutation } from "../graphql/select-profile.mutation";

export interface ProfileSummary {
  id: string;
  name: string;
  avatarColor?: string | null;
  /** An anonymous session's profile: kept for a while, until saved with a name (claim). */
  anonymous?: boolean;
}

interface CurrentProfileValue {
  profile: ProfileSummary | null;
  /** Starts a session for the profile (the API sets its cookie), then remembers it. */
  choose: (profile: ProfileSummary) => Promise<void>;
  signOut: () => void;
  /** Browses without a profile: an anonymous session (a profile that never shows on Who's watching). */
  browseAnonymously: () => Promise<void>;
  /** Saves the anonymous session's profile under `name` (same profile, same history); rejects with the API's error. */
  claim: (name: string) => Promise<void>;
}

const STORAGE_KEY = "marquee.profile";
const CurrentProfileContext = createContext<CurrentProfileValue | null>(null);

function readStored(): ProfileSummary | null {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "null");
    if (parsed && typeof parsed === "object" && typeof (parsed as ProfileSummary).id === "string" && typeof (parsed as ProfileSummary).name === "string") {
      return parsed as ProfileSummary;
    }
  } catch {
    // A corrupt entry just means "ask again".
  }
  return null;
}

function hasCode(error: unknown, code: string): boolean {
  return CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.code === code);
}

/**
 * Who is watching, remembered across reloads like a TV app does. Choosing (and every start with a
 * remembered profile) calls selectProfile, so the session cookie the API checks is fresh; a
 * remembered profile the API no longer knows is forgotten.
 */
export function CurrentProfileProvider({ children }: { children: ReactNode }) {
  const [profile, setProfile] = useState<ProfileSummary | null>(readStored);
  const [ready, setReady] = useState(profile === null);
  const [select] = useMutation(SelectProfileMutation);
  const [startAnonymous] = useMutation(AnonymousSessionMutation);
  const [claimProfile] = useMutation(ClaimProfileMutation);

  const signOut = useCallback(() => {
    localStorage.removeItem(STORAGE_KEY);
    setProfile(null);
  }, []);

  useEffect(() => {
    if (ready || !profile) return;
    select({ variables: { profileId: profile.id } })
      .catch((error: unknown) => {
        if (hasCode(error, "NOT_FOUND")) signOut();
        // Unreachable API: the screens say so themselves.
      })
      .finally(() => setReady(true));
    // Once per start: the session is refreshed for the remembered profile only.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const choose = useCallback(
    async (next: ProfileSummary) => {
      await select({ variables: { profileId: next.id } }).catch((error: unknown) => {
        if (!CombinedGraphQLErrors.is(error)) throw error;
      });
      localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
      setProfile(next);
    },
    [select],
  );

  const remember = useCallback((next: ProfileSummary) => {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    setProfile(next);
  }, []);

  const browseAnonymously = useCallback(async () => {
    const result = await startAnonymous();
    const started = result.data?.anonymousSession.profile;
    if (started) remember(started);
  }, [startAnonymous, remember]);

  const claim = useCallback(
    async (name: string) => {
      const result = await claimProfile({ variables: { name } });
      const claimed = result.data?.claimProfile;
      if (claimed) remember(claimed);
    },
    [claimProfile, remember],
  );

  const value = useMemo(() => ({ profile, choose, signOut, browseAnonymously, claim }), [profile, choose, signOut, browseAnonymously, claim]);
  if (!ready) return <div className="splash" aria-busy="true" aria-label="Loading Marquee" />;
  return <CurrentProfileContext.Provider value={value}>{children}</CurrentProfileContext.Provider>;
}

export function useCurrentProfile(): CurrentProfileValue {
  const value = useContext(CurrentProfileContext);
  if (!value) throw new Error("useCurrentProfile must be used inside <CurrentProfileProvider>");
  return value;
}
