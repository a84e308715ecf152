/**
 * Which clip plays for a title: its own trailer URL when the catalog has one, otherwise one of the
 * bundled demo clips (web/public/media/trailers, authored by web/scripts/make-trailers.sh), picked
 * by id so a title always plays the same clip.
 */
export const BUNDLED_TRAILER_COUNT = 6;

export function trailerSource(movie: { id: string; trailerUrl?: string | null }): string {
  if (movie.trailerUrl) return movie.trailerUrl;
  const numeric = Number.parseInt(movie.id, 10);
  const n = Number.isFinite(numeric) ? Math.abs(numeric) : [...movie.id].reduce((sum, ch) => sum + ch.charCodeAt(0), 0);
  return `/media/trailers/trailer-${(n % BUNDLED_TRAILER_COUNT) + 1}.webm`;
}
