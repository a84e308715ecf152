#!/usr/bin/env node
/**
 * Authoring tool (not run at start): writes seeds/catalog.json from MovieLens 100k's u.item.
 * Titles, years and genres are facts taken from that file; the synopsis line, runtime and
 * maturity rating are generated, deterministically from the MovieLens id, so re-running gives
 * the same file. Usage: node seeds/build-catalog.mjs /work/shared/data/ml-100k/u.item
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const GENRES = ["unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary", "Drama", "Fantasy",
  "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western"];
const ARTICLES = ["The", "A", "An", "La", "Le", "Les", "L'", "Il", "Das", "Der", "Die", "El", "Los", "Las"];

/** 32-bit FNV-1a, then a xorshift step per draw: a stable pseudo-random stream per title. */
function stream(id) {
  let h = 2166136261 >>> 0;
  for (const c of `marquee:${id}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return () => {
    h ^= h << 13; h >>>= 0; h ^= h >>> 17; h ^= h << 5; h >>>= 0;
    return h / 4294967296;
  };
}
const pick = (rand, list) => list[Math.floor(rand() * list.length)];

const HOOKS = {
  Action: ["a lone operative races a ticking clock", "a retired specialist is pulled back for one last job", "a city's fate rests on a stand-off nobody planned", "an unlikely pair fights its way out of an ambush"],
  Adventure: ["a map, a rival and a long road to somewhere no one returns from", "a reluctant traveller crosses half the world to keep a promise", "an expedition finds more than it came looking for"],
  Animation: ["a small hero with a big heart sets out to prove everyone wrong", "toys, animals and misfits team up for a wild rescue", "a hand-drawn world comes alive around one brave choice"],
  "Children's": ["a child and an unexpected friend learn what home means", "a summer of mischief turns into an adventure for the whole family", "a kid discovers a secret that grown-ups would never believe"],
  Comedy: ["one bad idea snowballs into a week nobody will forget", "a mix-up of identities spirals into glorious chaos", "a misfit crew bluffs its way through a plan far above its pay grade", "family, friends and terrible timing collide"],
  Crime: ["a heist goes wrong and loyalties start to crack", "a detective follows a trail that leads back to the precinct", "small-time crooks stumble into a very big score"],
  Documentary: ["a close look at the people behind a story the headlines missed", "cameras follow a year that changed a community", "archival footage and interviews retrace a remarkable life"],
  Drama: ["a family gathering brings old wounds to the surface", "a stranger's arrival changes a small town for good", "a hard choice tests a friendship that has lasted decades", "a life at a crossroads, told with patience and warmth"],
  Fantasy: ["an ordinary life gives way to a realm of spells and bargains", "a quest across enchanted lands hinges on an old prophecy", "magic returns to a world that had forgotten it"],
  "Film-Noir": ["a tired investigator is drawn into a web of shadows and lies", "a femme fatale, a fortune and a frame-up in the rain-soaked city"],
  Horror: ["something in the house does not want the new owners to stay", "a night in the woods turns into a fight to see morning", "an old curse finds a new generation of victims"],
  Musical: ["song and dance carry a love story from the stage to the street", "a troupe of dreamers puts everything on one opening night"],
  Mystery: ["a locked room, a missing heir and a houseful of suspects", "a puzzle from the past resurfaces with deadly timing", "every clue points somewhere the investigator would rather not look"],
  Romance: ["two people who should never have met keep meeting anyway", "a chance encounter becomes a love that has to survive real life", "an old flame rekindles at the worst possible moment"],
  "Sci-Fi": ["a signal from deep space changes everything we thought we knew", "the crew of a distant ship confronts what they brought aboard", "a near future where one invention rewrites the rules"],
  Thriller: ["a witness becomes a target and trusts no one", "a conspiracy unravels one dangerous phone call at a time", "a cat-and-mouse game with a stranger who knows too much"],
  War: ["soldiers hold the line as the cost of victory comes into focus", "behind enemy lines, a unit's mission becomes a test of conscience"],
  Western: ["a drifter rides into a town that has made its own law", "settlers, outlaws and a lawman meet at the edge of the frontier"],
};
const ADJECTIVE = { Action: "action", Adventure: "adventure", Animation: "animated", "Children's": "family", Comedy: "comic",
  Crime: "crime", Documentary: "documentary", Drama: "dramatic", Fantasy: "fantasy", "Film-Noir": "noir", Horror: "horror",
  Musical: "musical", Mystery: "mystery", Romance: "romantic", "Sci-Fi": "science-fiction", Thriller: "suspense", War: "war", Western: "western" };
const NOUN = { Action: "action film", Adventure: "adventure", Animation: "animation", "Children's": "family film", Comedy: "comedy",
  Crime: "crime story", Documentary: "documentary", Drama: "drama", Fantasy: "fantasy", "Film-Noir": "film noir", Horror: "horror film",
  Musical: "musical", Mystery: "mystery", Romance: "romance", "Sci-Fi": "science-fiction film", Thriller: "thriller", War: "war film", Western: "western" };
const TONES = ["gripping", "warm", "sharp", "sweeping", "offbeat", "stylish", "tense", "heartfelt", "bold", "quietly powerful"];

function niceTitle(raw) {
  let title = raw.replace(/\s*\(\d{4}\)\s*$/, "").trim();
  // "Usual Suspects, The" -> "The Usual Suspects" (also inside "X, The (Alt)")
  const m = /^(.*), (The|A|An|La|Le|Les|L'|Il|Das|Der|Die|El|Los|Las)(\s*\(.*\))?$/.exec(title);
  if (m && ARTICLES.includes(m[2])) title = `${m[2]}${m[2].endsWith("'") ? "" : " "}${m[1]}${m[3] ?? ""}`;
  return title;
}

function runtimeFor(rand, genres) {
  const [lo, hi] = genres.includes("Animation") || genres.includes("Children's") ? [74, 96]
    : genres.includes("Documentary") ? [78, 112]
    : genres.includes("War") || genres.includes("Drama") && genres.includes("Romance") ? [104, 158]
    : genres.includes("Comedy") ? [84, 114]
    : [90, 136];
  return lo + Math.floor(rand() * (hi - lo + 1));
}

function ratingFor(rand, genres) {
  const r = rand();
  if (genres.includes("Children's")) return r < 0.55 ? "G" : "PG";
  if (genres.includes("Animation")) return r < 0.4 ? "G" : r < 0.85 ? "PG" : "PG-13";
  if (genres.includes("Horror")) return r < 0.85 ? "R" : r < 0.97 ? "PG-13" : "NC-17";
  if (genres.some((g) => ["Adventure", "Fantasy", "Sci-Fi", "Musical"].includes(g)) && !genres.includes("Crime")) return r < 0.45 ? "PG" : r < 0.85 ? "PG-13" : "R";
  if (genres.some((g) => ["Crime", "Thriller", "War", "Film-Noir"].includes(g))) return r < 0.65 ? "R" : "PG-13";
  if (genres.includes("Documentary")) return r < 0.5 ? "PG" : "PG-13";
  return r < 0.15 ? "PG" : r < 0.6 ? "PG-13" : "R";
}

function synopsisFor(rand, title, year, genres) {
  const main = genres.find((g) => HOOKS[g]) ?? "Drama";
  const hook = pick(rand, HOOKS[main]);
  const tone = pick(rand, TONES);
  const kind = genres.length > 1 ? `${ADJECTIVE[genres[0]]} ${NOUN[genres[genres.length - 1]]}` : NOUN[genres[0]];
  return `A ${tone} ${year} ${kind}: ${hook}.`.replace(/^A ([aeiou])/i, "An $1");
}

const source = process.argv[2];
if (!source) {
  console.error("usage: node seeds/build-catalog.mjs <path to ml-100k/u.item>");
  process.exit(2);
}
const catalog = [];
for (const line of readFileSync(source, "latin1").split("\n")) {
  if (!line.trim()) continue;
  const fields = line.split("|");
  const id = Number(fields[0]);
  const rawTitle = fields[1];
  if (!rawTitle || rawTitle === "unknown") continue;
  const yearMatch = /\((\d{4})\)\s*$/.exec(rawTitle) ?? /(\d{4})$/.exec(fields[2] ?? "");
  if (!yearMatch) continue;
  const year = Number(yearMatch[1]);
  const genres = fields.slice(5, 24).flatMap((flag, i) => (flag === "1" && GENRES[i] !== "unknown" ? [GENRES[i]] : []));
  if (genres.length === 0) continue;
  const rand = stream(id);
  const title = niceTitle(rawTitle);
  catalog.push({
    id, title, year, genres,
    synopsis: synopsisFor(rand, title, year, genres),
    runtimeMinutes: runtimeFor(rand, genres),
    maturityRating: ratingFor(rand, genres),
  });
}
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), "catalog.json");
writeFileSync(out, `[\n${catalog.map((m) => JSON.stringify(m)).join(",\n")}\n]\n`);
console.log(`Wrote ${catalog.length} titles to ${out}`);
