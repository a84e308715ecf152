import { useId } from "react";
import { displayTitle, hashString, layoutTitle, paletteFor } from "../poster/poster-art";

export interface PosterMovie {
  id: string;
  title: string;
  year?: number | null;
  genres: readonly string[];
  posterUrl?: string | null;
}

interface Props {
  movie: PosterMovie;
  className?: string;
}

/** The catalog's image when it has one; otherwise a generated poster in the genre's colours. */
export function Poster({ movie, className }: Props) {
  const alt = `${displayTitle(movie.title)}${movie.year ? ` (${movie.year})` : ""} poster`;
  if (movie.posterUrl) return <img className={className} src={movie.posterUrl} alt={alt} loading="lazy" />;
  return <GeneratedPoster movie={movie} className={className} label={alt} />;
}

type Motif = "rings" | "bands" | "horizon" | "grid";
const MOTIFS: readonly Motif[] = ["rings", "bands", "horizon", "grid"];

export function GeneratedPoster({ movie, className, label }: Props & { label: string }) {
  const uid = useId().replace(/:/g, "");
  const palette = paletteFor(movie.genres);
  const hash = hashString(`${movie.id}:${movie.title}`);
  const angle = 200 + (hash % 70);
  const glowX = 30 + ((hash >>> 8) % 140);
  const glowY = 40 + ((hash >>> 16) % 110);
  const motif = MOTIFS[(hash >>> 4) % MOTIFS.length] ?? "rings";
  const { lines, fontSize } = layoutTitle(movie.title);
  const lineHeight = fontSize * 0.92;
  const metaY = 282;
  const firstBaseline = metaY - 20 - (lines.length - 1) * lineHeight;
  const genreLabel = (movie.genres[0] ?? "Feature").toUpperCase();
  const meta = [movie.year, genreLabel].filter(Boolean).join("  ·  ");

  return (
    <svg className={className} viewBox="0 0 200 300" role="img" aria-label={label} preserveAspectRatio="xMidYMid slice">
      <title>{label}</title>
      <defs>
        <linearGradient id={`bg-${uid}`} gradientTransform={`rotate(${angle - 180} 0.5 0.5)`}>
          <stop offset="0" stopColor={palette.from} />
          <stop offset="1" stopColor={palette.to} />
        </linearGradient>
        <radialGradient id={`glow-${uid}`} cx={glowX} cy={glowY} r="120" gradientUnits="userSpaceOnUse">
          <stop offset="0" stopColor={palette.accent} stopOpacity="0.55" />
          <stop offset="0.45" stopColor={palette.to} stopOpacity="0.18" />
          <stop offset="1" stopColor={palette.from} stopOpacity="0" />
        </radialGradient>
        <linearGradient id={`shade-${uid}`} x1="0" y1="0" x2="0" y2="1">
          <stop offset="0.35" stopColor="#000" stopOpacity="0" />
          <stop offset="1" stopColor="#000" stopOpacity="0.85" />
        </linearGradient>
      </defs>
      <rect width="200" height="300" fill={`url(#bg-${uid})`} />
      <rect width="200" height="300" fill={`url(#glow-${uid})`} />
      <Motif kind={motif} x={glowX} y={glowY} color={palette.accent} seed={hash} />
      <rect width="200" height="300" fill={`url(#shade-${uid})`} />
      <text x="14" y="30" className="poster-brand" fill="#e50914" fontSize="22">
        M
      </text>
      {lines.map((line, i) => (
        <text key={i} x="14" y={firstBaseline + i * lineHeight} className="poster-title" fontSize={fontSize} fill="#fff">
          {line}
        </text>
      ))}
      <rect x="14" y={metaY - 12} width="26" height="2" fill={palette.accent} />
      <text x="14" y={metaY} className="poster-meta" fontSize="8.5" fill={palette.accent}>
        {meta}
      </text>
    </svg>
  );
}

function Motif({ kind, x, y, color, seed }: { kind: Motif; x: number; y: number; color: string; seed: number }) {
  switch (kind) {
    case "rings":
      return (
        <g fill="none" stroke={color} strokeOpacity="0.22">
          {[18, 36, 58, 84, 114].map((r) => (
            <circle key={r} cx={x} cy={y} r={r} strokeWidth={r < 40 ? 1.5 : 1} />
          ))}
        </g>
      );
    case "bands":
      return (
        <g stroke={color} strokeOpacity="0.14" strokeWidth="10">
          {[0, 1, 2, 3, 4, 5].map((i) => (
            <line key={i} x1={-40 + i * 55} y1="0" x2={60 + i * 55} y2="300" />
          ))}
        </g>
      );
    case "horizon": {
      const h = 120 + (seed % 60);
      return (
        <g>
          <circle cx={x} cy={h} r="34" fill={color} fillOpacity="0.35" />
          <rect x="0" y={h} width="200" height={300 - h} fill="#000" fillOpacity="0.35" />
          {[0, 1, 2, 3].map((i) => (
            <line key={i} x1="0" x2="200" y1={h + 6 + i * i * 6} y2={h + 6 + i * i * 6} stroke={color} strokeOpacity="0.2" />
          ))}
        </g>
      );
    }
    case "grid":
      return (
        <g stroke={color} strokeOpacity="0.1">
          {[1, 2, 3, 4, 5, 6, 7].map((i) => (
            <line key={`v${i}`} x1={i * 25} x2={i * 25} y1="0" y2="300" />
          ))}
          {[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((i) => (
            <line key={`h${i}`} y1={i * 25} y2={i * 25} x1="0" x2="200" />
          ))}
          <rect x={x - 30} y={y - 30} width="60" height="60" fill={color} fillOpacity="0.12" transform={`rotate(45 ${x} ${y})`} />
        </g>
      );
  }
}
