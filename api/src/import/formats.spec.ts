import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { readLines, splitCsvLine } from "./line-reader";
import { parseMovieLensTitle } from "./movielens-format";
import { DEFAULT_RATING_MAPPING, eventsForRating } from "./rating-mapping";
import { parseTime } from "./events-format";

describe("splitCsvLine", () => {
  it("splits plain and quoted fields, with doubled quotes and separators inside quotes", () => {
    expect(splitCsvLine("a,b,,c")).toEqual(["a", "b", "", "c"]);
    expect(splitCsvLine('1,"American President, The (1995)",Comedy')).toEqual(["1", "American President, The (1995)", "Comedy"]);
    expect(splitCsvLine('"say ""hi""",x,')).toEqual(['say "hi"', "x", ""]);
  });
  it("returns null for an unterminated quote (a truncated line)", () => {
    expect(splitCsvLine('1,"Toy Sto')).toBeNull();
  });
});

describe("readLines", () => {
  it("numbers lines, strips a BOM and CR, keeps a last line without newline, and never cuts a multi-byte character", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "marquee-lines-"));
    const file = path.join(dir, "x.csv");
    // 300k lines of a 3-byte character force chunk boundaries inside characters.
    const body = Array.from({ length: 300_000 }, (_, i) => `€${i}`).join("\r\n");
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]));
    const seen: string[] = [];
    const { lines } = await readLines({ path: file }, { onLine: (text, line) => (line === 1 || line === 300_000 || text.includes("\uFFFD") ? seen.push(`${line}:${text}`) : 0) });
    expect(lines).toBe(300_000);
    expect(seen).toEqual(["1:€0", "300000:€299999"]);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe("MovieLens titles and ratings", () => {
  it("moves a trailing article to the front and takes the year out", () => {
    expect(parseMovieLensTitle("Shawshank Redemption, The (1994)")).toEqual({ title: "The Shawshank Redemption", year: 1994 });
    expect(parseMovieLensTitle("Toy Story (1995)")).toEqual({ title: "Toy Story", year: 1995 });
    expect(parseMovieLensTitle("unknown")).toEqual({ title: "unknown", year: null });
  });
  it("maps stars to events, half stars rounding up", () => {
    expect(eventsForRating(DEFAULT_RATING_MAPPING, 4.5).map((e) => e.type)).toEqual(["WATCHED_FULL", "LIKE"]);
    expect(eventsForRating(DEFAULT_RATING_MAPPING, 3.5).map((e) => e.type)).toEqual(["WATCHED_FULL"]);
    expect(eventsForRating(DEFAULT_RATING_MAPPING, 0.5).map((e) => e.type)).toEqual(["CLOSED"]);
  });
  it("reads ISO times and Unix seconds, and nothing else", () => {
    expect(parseTime("2026-01-01T00:00:00Z")).toBe(Date.UTC(2026, 0, 1));
    expect(parseTime("1767225600")).toBe(Date.UTC(2026, 0, 1));
    expect(parseTime(1767225600)).toBe(Date.UTC(2026, 0, 1));
    expect(parseTime("March 7")).toBeNaN();
  });
});
