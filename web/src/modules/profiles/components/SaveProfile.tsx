import { CombinedGraphQLErrors } from "@apollo/client";
import { useState, type FormEvent } from "react";
import { useCurrentProfile } from "../hooks/useCurrentProfile";

/** What to say when a claim is refused, by the API's typed error. */
function claimProblem(error: unknown): string {
  if (!CombinedGraphQLErrors.is(error)) return "Marquee could not be reached: try again in a moment.";
  const first = error.errors[0];
  switch (first?.extensions?.code) {
    case "NAME_TAKEN":
      return "A profile already has that name: pick another.";
    case "NO_ANONYMOUS_SESSION":
      return "This browsing session has ended: pick a profile on Who’s watching.";
    default:
      return first?.message ?? "The profile could not be saved.";
  }
}

/**
 * "Save your profile", shown while browsing without one: names the anonymous session's profile
 * in place, so what was watched and the recommendations made from it are kept.
 */
export function SaveProfile() {
  const { claim } = useCurrentProfile();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return;
    setSaving(true);
    setProblem(null);
    try {
      await claim(trimmed);
      setOpen(false);
    } catch (error) {
      setProblem(claimProblem(error));
    } finally {
      setSaving(false);
    }
  };

  if (!open) {
    return (
      <button type="button" className="button button--primary save-profile-button" onClick={() => setOpen(true)}>
        Save your profile
      </button>
    );
  }
  return (
    <form className="save-profile" aria-label="Save your profile" onSubmit={(e) => void submit(e)} onKeyDown={(e) => e.key === "Escape" && setOpen(false)}>
      <label htmlFor="save-profile-name">Your name</label>
      <input id="save-profile-name" autoFocus maxLength={40} value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Sam" />
      {problem ? (
        <p className="form-error" role="alert">
          {problem}
        </p>
      ) : null}
      <div className="who-add-actions">
        <button type="submit" className="button button--primary" disabled={saving || !name.trim()}>
          {saving ? "Saving…" : "Save"}
        </button>
        <button type="button" className="button button--ghost" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
