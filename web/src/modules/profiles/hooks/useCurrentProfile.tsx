import { CombinedGraphQLErrors } from "@apollo/client";
import { useMutation } from "@apollo/client/react";
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { SelectProfileMutation } from "../graphql/select-profile.mutation";

export interface ProfileSummary {
  id: string;
  name: string;
  avatarColor?: string | null;
}

interface CurrentProfileValue {
  profile: ProfileSummary | null;
  /** Starts a session for the profile (the API sets its cookie), then remembers it. */
  choose: (profile: ProfileSummary) => Promise<void>;
  signOut: () => void;
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

  const value = useMemo(() => ({ profile, choose, signOut }), [profile, choose, signOut]);
  if (!ready) return <div className="splash" aria-busy="true" aria-label="Loading Marquee" />;
  return <CurrentProfileContext.Provider value={value}>{children}</CurrentProfileContext.Provider>;
}

export function useCurrentProfile(): CurrentProfileValue {
  const value = useContext(CurrentProfileContext);
  if (!value) throw new Error("useCurrentProfile must be used inside <CurrentProfileProvider>");
  return value;
}
