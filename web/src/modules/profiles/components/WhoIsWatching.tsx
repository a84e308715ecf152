import { useMutation, useQuery } from "@apollo/client/react";
import { useState, type FormEvent } from "react";
import { ApiProblem } from "../../shell/components/ApiProblem";
import { CreateProfileMutation } from "../graphql/create-profile.mutation";
import { ProfilesQuery } from "../graphql/profiles.query";
import type { ProfileSummary } from "../hooks/useCurrentProfile";
import { ProfileAvatar } from "./ProfileAvatar";

const FIRST_TILES = 11;

/** "Who's watching?": one tile per profile (a filter when there are many), and add a profile. */
export function WhoIsWatching({
  onChoose,
  onBrowseAnonymously,
}: {
  onChoose: (profile: ProfileSummary, options?: { created: boolean }) => void;
  /** Browse without a profile (an anonymous session), saved later with a name if wanted. */
  onBrowseAnonymously?: () => void;
}) {
  const { data, loading, error, refetch } = useQuery(ProfilesQuery);
  const [filter, setFilter] = useState("");
  const [adding, setAdding] = useState(false);

  if (error) return <ApiProblem error={error} onRetry={() => void refetch()} />;

  const profiles = data?.profiles ?? [];
  const needle = filter.trim().toLowerCase();
  const matching = needle ? profiles.filter((p) => p.name.toLowerCase().includes(needle)) : profiles;
  const shown = needle ? matching.slice(0, 48) : matching.slice(0, FIRST_TILES);

  return (
    <main className="who" aria-labelledby="who-title">
      <h1 id="who-title" className="who-title">
        Who’s watching?
      </h1>
      {profiles.length > FIRST_TILES ? (
        <label className="who-filter">
          <span className="visually-hidden">Find a profile</span>
          <input type="search" placeholder={`Find one of ${profiles.length} profiles`} value={filter} onChange={(e) => setFilter(e.target.value)} />
        </label>
      ) : null}
      <ul className="who-grid" aria-busy={loading}>
        {loading
          ? Array.from({ length: 5 }, (_, i) => (
              <li key={i} aria-hidden="true">
                <div className="skeleton who-skeleton" />
              </li>
            ))
          : shown.map((profile) => (
              <li key={profile.id}>
                <button type="button" className="who-tile" onClick={() => onChoose(profile)}>
                  <ProfileAvatar profile={profile} size="large" />
                  <span className="who-name">{profile.name}</span>
                </button>
              </li>
            ))}
        {!loading && (
          <li>
            {adding ? (
              <AddProfileForm
                onCancel={() => setAdding(false)}
                onCreated={(profile) => {
                  setAdding(false);
                  onChoose(profile, { created: true });
                }}
              />
            ) : (
              <button type="button" className="who-tile who-tile--add" onClick={() => setAdding(true)}>
                <span className="avatar avatar--large avatar--add" aria-hidden="true">
                  +
                </span>
                <span className="who-name">Add profile</span>
              </button>
            )}
          </li>
        )}
      </ul>
      {needle && matching.length === 0 ? <p className="empty">No profile is called “{filter}”.</p> : null}
      {onBrowseAnonymously && !loading ? (
        <button type="button" className="button button--ghost who-anonymous" onClick={onBrowseAnonymously}>
          Browse without a profile
        </button>
      ) : null}
    </main>
  );
}

function AddProfileForm({ onCancel, onCreated }: { onCancel: () => void; onCreated: (profile: ProfileSummary) => void }) {
  const [name, setName] = useState("");
  const [create, { loading, error }] = useMutation(CreateProfileMutation, { refetchQueries: ["Profiles"] });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return;
    const result = await create({ variables: { name: trimmed } }).catch(() => null);
    if (result?.data) onCreated(result.data.createProfile);
  };

  return (
    <form className="who-add" onSubmit={(e) => void submit(e)} onKeyDown={(e) => e.key === "Escape" && onCancel()}>
      <label htmlFor="new-profile-name">Name</label>
      <input id="new-profile-name" autoFocus maxLength={40} value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Sam" />
      {error ? (
        <p className="form-error" role="alert">
          {error.message}
        </p>
      ) : null}
      <div className="who-add-actions">
        <button type="submit" className="button button--primary" disabled={loading || !name.trim()}>
          {loading ? "Saving…" : "Save"}
        </button>
        <button type="button" className="button button--ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
