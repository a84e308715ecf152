import { sinkDiscounted } from "../filters/discount.filter";
import type { Eligible } from "../filters/eligibility";
import type { PageContext } from "../home-request";
import type { RowDraft } from "../post-selection/home-page";
import { RowKind } from "../row-kind";
import type { Candidate } from "./candidate";
import { popcount } from "./cold-titles.source";

/** "New on Marquee": the newest titles, ordered for the viewer when it has a taste (genre similarity), else by date. */
export function newTitlesRow(ctx: PageContext, eligible: Eligible): RowDraft {
  const { catalog, viewer, settings } = ctx;
  const fresh = catalog.newest(settings.rowSize * 3).filter((p) => eligible(catalog.movieAt(p).id));
  let norm = 0;
  for (const w of viewer.genreProfile) norm += w * w;
  const scored = fresh.map((p, rank) => {
    let dot = 0;
    const mask = catalog.genreMask(p);
    for (let bit = 0; bit < 32; bit++) if ((mask >>> bit) & 1) dot += viewer.genreProfile[bit];
    const taste = norm > 0 ? dot / Math.sqrt(norm * Math.max(1, popcount(mask))) : 0;
    return { p, score: taste + (1 - rank / fresh.length) * 0.25 };
  });
  const candidates: Candidate[] = sinkDiscounted(
    scored.sort((a, b) => b.score - a.score).map(({ p, score }) => ({ movieId: catalog.movieAt(p).id, score, index: -1 })),
    viewer,
  ).slice(0, settings.rowSize);
  return {
    title: "New on Marquee",
    kind: RowKind.NEW,
    candidates,
    reason: (c) => {
      const { year } = catalog.movie(c.movieId)!;
      return `New on Marquee${year ? ` (${year})` : ""}`;
    },
  };
}
