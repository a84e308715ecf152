/**
 * Layout and palette for generated posters, kept pure so the look is deterministic per title:
 * the same movie gets the same poster on every screen and every machine.
 */

export interface Palette {
  /** Gradient stops, dark to bright. */
  from: string;
  to: string;
  /** A light accent for the genre label and the glow. */
  accent: string;
}

/** One palette per MovieLens-style genre; chosen to stay legible under white type. */
const GENRE_PALETTES: Record<string, Palette> = {
  Action: { from: "#1a0505", to: "#c2410c", accent: "#fdba74" },
  Adventure: { from: "#071a12", to: "#15803d", accent: "#bbf7d0" },
  Animation: { from: "#1e0b3a", to: "#db2777", accent: "#fbcfe8" },
  "Children's": { from: "#0c1f3f", to: "#0ea5e9", accent: "#bae6fd" },
  Children: { from: "#0c1f3f", to: "#0ea5e9", accent: "#bae6fd" },
  Comedy: { from: "#2a1a02", to: "#eab308", accent: "#fef08a" },
  Crime: { from: "#0a0a0a", to: "#7f1d1d", accent: "#fca5a5" },
  Documentary: { from: "#111827", to: "#64748b", accent: "#e2e8f0" },
  Drama: { from: "#1c0f24", to: "#7e22ce", accent: "#e9d5ff" },
  Fantasy: { from: "#0b1030", to: "#6366f1", accent: "#c7d2fe" },
  "Film-Noir": { from: "#050505", to: "#404040", accent: "#f5f5f5" },
  Horror: { from: "#050000", to: "#991b1b", accent: "#fecaca" },
  Musical: { from: "#2a0a1f", to: "#e11d48", accent: "#fecdd3" },
  Mystery: { from: "#04161a", to: "#0f766e", accent: "#99f6e4" },
  Romance: { from: "#2a0716", to: "#f43f5e", accent: "#ffe4e6" },
  "Sci-Fi": { from: "#020617", to: "#0891b2", accent: "#a5f3fc" },
  Thriller: { from: "#0a0f1a", to: "#1e3a8a", accent: "#bfdbfe" },
  War: { from: "#141409", to: "#4d7c0f", accent: "#d9f99d" },
  Western: { from: "#1f0f05", to: "#b45309", accent: "#fde68a" },
  IMAX: { from: "#020617", to: "#2563eb", accent: "#dbeafe" },
};

const FALLBACK: Palette = { from: "#0f0f14", to: "#52525b", accent: "#e4e4e7" };

export function paletteFor(genres: readonly string[]): Palette {
  for (const genre of genres) {
    const palette = GENRE_PALETTES[genre];
    if (palette) return palette;
  }
  return FALLBACK;
}

/** FNV-1a: a stable small hash so each title gets its own angle and glow position. */
export function hashString(value: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const ARTICLE_SUFFIX = /^(.*), (The|A|An|Les|La|Le|L'|Il|Das|Der|Die|El|Los|Las)$/;

/** Catalogs often file titles as "Godfather, The"; people read "The Godfather". */
export function displayTitle(title: string): string {
  const match = ARTICLE_SUFFIX.exec(title.trim());
  if (!match) return title.trim();
  const article = match[2] ?? "";
  return article.endsWith("'") ? `${article}${match[1]}` : `${article} ${match[1]}`;
}

/** The line under a generated poster's title: the year and the first genre, as painted. */
export function posterMeta(movie: { year?: number | null; genres: readonly string[] }): string {
  return [movie.year, movie.genres[0] ?? "Feature"].filter(Boolean).join(" · ");
}

/**
 * An accessible name for a control that shows a poster: the words the generated poster paints,
 * in the order it paints them (title, year, genre), so the name contains the visible label
 * (WCAG 2.5.3, axe's label-content-name-mismatch). E.g. "The Godfather, 1972 · Crime".
 */
export function posterLabel(movie: { title: string; year?: number | null; genres: readonly string[] }): string {
  return `${displayTitle(movie.title)}, ${posterMeta(movie)}`;
}

export interface TitleLayout {
  lines: string[];
  fontSize: number;
}

/**
 * Bebas Neue is condensed capitals; a glyph averages ~0.42 em. Try sizes from large to small and
 * keep the first that fits in `maxLines` without breaking a word.
 */
export function layoutTitle(title: string, width = 172, maxLines = 4): TitleLayout {
  const words = displayTitle(title).toUpperCase().split(/\s+/).filter(Boolean);
  const sizes = [52, 44, 38, 32, 27, 23, 20];
  for (const fontSize of sizes) {
    const capacity = Math.floor(width / (fontSize * 0.42));
    const lines = wrap(words, capacity);
    if (lines && lines.length <= maxLines) return { lines, fontSize };
  }
  const fontSize = sizes[sizes.length - 1] ?? 20;
  const capacity = Math.floor(width / (fontSize * 0.42));
  const lines = wrap(words, capacity, true) ?? [];
  if (lines.length <= maxLines + 1) return { lines, fontSize };
  const kept = lines.slice(0, maxLines + 1);
  kept[kept.length - 1] = `${kept[kept.length - 1]}…`;
  return { lines: kept, fontSize };
}

function wrap(words: readonly string[], capacity: number, breakLongWords = false): string[] | null {
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    if (word.length > capacity) {
      if (!breakLongWords) return null;
      if (line) lines.push(line);
      for (let i = 0; i < word.length; i += capacity) lines.push(word.slice(i, i + capacity));
      line = lines.pop() ?? "";
      continue;
    }
    const candidate = line ? `${line} ${word}` : word;
    if (candidate.length > capacity) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line) lines.push(line);
  return lines;
}
