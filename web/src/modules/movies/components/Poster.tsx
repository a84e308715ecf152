import { Fragment, useId } from "react";
import { displayTitle, hashString, layoutTitle, paletteFor, posterMeta } from "../poster/poster-art";

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
  /** Hidden from assistive technology: the control around it already names the title. */
  decorative?: boolean;
}

/** The catalog's image when it has one; otherwise a generated poster in the genre's colours. */
export function Poster({ movie, className, decorative = false }: Props) {
  const alt = decorative ? "" : `${displayTitle(movie.title)}${movie.year ? ` (${movie.year})` : ""} poster`;
  if (movie.posterUrl) return <img className={className} src={movie.posterUrl} alt={alt} loading="lazy" />;
  return <GeneratedPoster movie={movie} className={className} label={alt} />;
}

/** The favicon's M (web/index.html), drawn rather than typed: a logo is not part of the poster's words. */
const BRAND_MARK = "M7 25V7h4l5 9 5-9h4v18h-4V14l-5 8-5-8v11z";

type Motif = "rings" | "bands" | "horizon" | "grid";
const MOTIFS: readonly Motif[] = ["rings", "bands", "horizon", "grid"];

/**
 * The painted words are one <text>, lines as <tspan>s with a space between them, so the page's
 * text reads "THE GODFATHER 1972 · CRIME" as the poster shows it (see posterLabel).
 */
export function GeneratedPoster({ movie, className, label }: Omit<Props, "decorative"> & { label: string }) {
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
  const meta = posterMeta(movie).toUpperCase();

  return (
    <svg className={className} viewBox="0 0 200 300" preserveAspectRatio="xMidYMid slice" {...(label ? { role: "img", "aria-label": label } : { "aria-hidden": true })}>
      {label ? <title>{label}</title> : null}
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
      <path d={BRAND_MARK} fill="#e50914" transform="translate(8.4 10) scale(0.8)" />
      <rect x="14" y={metaY - 12} width="26" height="2" fill={palette.accent} />
      <text x="14">
        {lines.map((line, i) => (
          <Fragment key={i}>
            {i > 0 ? " " : null}
            <tspan x="14" y={firstBaseline + i * lineHeight} className="poster-title" fontSize={fontSize} fill="#fff">
              {line}
            </tspan>
          </Fragment>
        ))}{" "}
        <tspan x="14" y={metaY} className="poster-meta" fontSize="8.5" fill={palette.accent}>
          {meta}
        </tspan>
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
