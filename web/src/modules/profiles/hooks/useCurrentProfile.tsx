import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";

export interface ProfileSummary {
  id: string;
  name: string;
  avatarColor?: string | null;
}

interface CurrentProfileValue {
  profile: ProfileSummary | null;
  choose: (profile: ProfileSummary) => void;
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

/** Who is watching, remembered across reloads like a TV app does. */
export function CurrentProfileProvider({ children }: { children: ReactNode }) {
  const [profile, setProfile] = useState<ProfileSummary | null>(readStored);
  const choose = useCallback((next: ProfileSummary) => {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    setProfile(next);
  }, []);
  const signOut = useCallback(() => {
    localStorage.removeItem(STORAGE_KEY);
    setProfile(null);
  }, []);
  const value = useMemo(() => ({ profile, choose, signOut }), [profile, choose, signOut]);
  return <CurrentProfileContext.Provider value={value}>{children}</CurrentProfileContext.Provider>;
}

export function useCurrentProfile(): CurrentProfileValue {
  const value = useContext(CurrentProfileContext);
  if (!value) throw new Error("useCurrentProfile must be used inside <CurrentProfileProvider>");
  return value;
}
