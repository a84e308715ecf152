import { hashString } from "../../movies/poster/poster-art";
import type { ProfileSummary } from "../hooks/useCurrentProfile";

const FALLBACK_COLOURS = ["#e50914", "#2563eb", "#16a34a", "#d97706", "#7c3aed", "#db2777", "#0891b2"];

export function avatarColour(profile: ProfileSummary): string {
  return profile.avatarColor || FALLBACK_COLOURS[hashString(profile.id) % FALLBACK_COLOURS.length] || "#e50914";
}

export function ProfileAvatar({ profile, size = "small" }: { profile: ProfileSummary; size?: "small" | "large" }) {
  const colour = avatarColour(profile);
  return (
    <span className={`avatar avatar--${size}`} style={{ background: `linear-gradient(135deg, ${colour}, color-mix(in srgb, ${colour} 45%, #000))` }} aria-hidden="true">
      {profile.name.trim().charAt(0).toUpperCase() || "?"}
    </span>
  );
}
