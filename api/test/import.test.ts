/**
 * Bulk import on real Postgres: MovieLens, events and catalog files, bad input (missing file,
 * directory, wrong layout, unknown movie, BOM, CRLF, truncated last line, empty file),
 * idempotency, all-or-nothing, and score-matrix equality with rebuild-scores.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { rebuildInteractionScores } from "../src/interactions/interaction-score.repository";
import { inImportTransaction, LineErrors } from "../src/import/event-staging";
import { ImportService } from "../src/import/import.service";
import { DEFAULT_RATING_MAPPING, parseRatingMapping } from "../src/import/rating-mapping";
import { findRepoRoot } from "../src/config";
import { createTestDatabase, type TestDatabase } from "./database";
import { countRows, insertMovies, insertProfile, scoreRows } from "./factories";
import { startTestServer, type TestServer } from "./server";

jest.setTimeout(60_000);

const ML100K = path.join(findRepoRoot(), "..", "shared", "data", "ml-100k");
const HAVE_ML100K = (() => {
  try {
    readFileSync(path.join(ML100K, "u.item"));
    return true;
  } catch {
    return false;
  }
})();

let db: TestDatabase;
let service: ImportService;
let dir: string;

function file(name: string, content: string | Buffer): string {
  const target = path.join(dir, name);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, content);
  return target;
}

async function snapshot(): Promise<{ interactions: number; scores: number; profiles: number; movies: number }> {
  return {
    interactions: await countRows(db.dataSource, "interactions"),
    scores: await countRows(db.dataSource, "interaction_scores"),
    profiles: await countRows(db.dataSource, "profiles"),
    movies: await countRows(db.dataSource, "movies"),
  };
}

/** interaction_scores as stored, then as rebuild-scores recomputes it from interactions: must be equal. */
async function expectScoresEqualRebuild(): Promise<void> {
  const incremental = await scoreRows(db.dataSource);
  expect(incremental.length).toBeGreaterThan(0);
  await rebuildInteractionScores(db.dataSource);
  expect(await scoreRows(db.dataSource)).toEqual(incremental);
}

beforeAll(async () => {
  db = await createTestDatabase();
  service = new ImportService(db.dataSource);
  dir = mkdtempSync(path.join(os.tmpdir(), "marquee-import-test-"));
  await insertMovies(db.dataSource, [
    { id: 1, title: "One" },
    { id: 2, title: "Two" },
    { id: 3, title: "Three" },
  ]);
}, 30_000);

afterAll(async () => {
  await db.drop();
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

describe("events files", () => {
  it("imports a CSV, creating one profile per external id and reusing Marquee profile ids", async () => {
    const existing = await insertProfile(db.dataSource, "Existing");
    const before = await snapshot();
    const csv = file(
      "events.csv",
      [
        "profile,movie,type,occurred_at,progress,client_event_id",
        "alice,1,PLAY,2026-01-01T10:00:00Z,0.1,",
        "alice,1,WATCHED_FULL,2026-01-01T11:00:00Z,1,",
        "alice,2,LIKE,1767265200,,",
        `${existing},3,ADD_TO_LIST,2026-01-02T10:00:00Z,,mine-1`,
        "bob,3,DISLIKE,2026-01-03T10:00:00Z,,",
      ].join("\n") + "\n",
    );
    const summary = await service.importEvents({ path: csv });
    expect(summary).toMatchObject({ linesRead: 6, eventsStaged: 5, eventsImported: 5, duplicates: 0, profilesCreated: 2, rejectedLines: 0 });
    const after = await snapshot();
    expect(after.interactions - before.interactions).toBe(5);
    expect(after.profiles - before.profiles).toBe(2);
    const mine: { type: string; client_event_id: string }[] = await db.dataSource.query(`SELECT type, client_event_id FROM interactions WHERE profile_id = $1`, [existing]);
    expect(mine).toEqual([{ type: "ADD_TO_LIST", client_event_id: "mine-1" }]);
    // As when logged live, an imported ADD_TO_LIST puts the title on the viewer's My List.
    const listed: { movie_id: number; added_at: Date }[] = await db.dataSource.query(`SELECT movie_id, added_at FROM my_list WHERE profile_id = $1`, [existing]);
    expect(listed).toEqual([{ movie_id: 3, added_at: new Date("2026-01-02T10:00:00Z") }]);
    const mapped: { external_id: string }[] = await db.dataSource.query(`SELECT external_id FROM import_profiles WHERE source = 'events' ORDER BY 1`);
    expect(mapped.map((m) => m.external_id)).toEqual(["alice", "bob"]);
    await expectScoresEqualRebuild();
  });

  it("adds nothing when the same file is imported again", async () => {
    const before = await snapshot();
    const scores = await scoreRows(db.dataSource);
    const summary = await service.importEvents({ path: path.join(dir, "events.csv") });
    expect(summary).toMatchObject({ eventsStaged: 5, eventsImported: 0, duplicates: 5, profilesCreated: 0 });
    expect(await snapshot()).toEqual(before);
    expect(await scoreRows(db.dataSource)).toEqual(scores);
  });

  it("reports an unknown movie id by line and keeps the other lines", async () => {
    const csv = file("unknown-movie.csv", "profile,movie,type,occurred_at\ncarol,1,PLAY,2026-02-01T10:00:00Z\ncarol,999,PLAY,2026-02-01T11:00:00Z\ncarol,2,PLAY,2026-02-01T12:00:00Z\n");
    const before = await snapshot();
    const summary = await service.importEvents({ path: csv });
    expect(summary.eventsImported).toBe(2);
    expect(summary.rejectedLines).toBe(1);
    expect(summary.errors).toEqual([{ line: 3, reason: expect.stringMatching(/no movie has id 999/) }]);
    expect((await snapshot()).interactions - before.interactions).toBe(2);
  });

  it("reports invalid fields per line: type, time, progress, future time", async () => {
    const future = new Date(Date.now() + 24 * 3600 * 1000).toISOString();
    const csv = file(
      "invalid.csv",
      [
        "profile,movie,type,occurred_at,progress",
        "dave,1,WATCH,2026-02-01T10:00:00Z,",
        "dave,1,PLAY,yesterday,",
        "dave,1,PLAY,2026-02-01T10:00:00Z,1.5",
        `dave,1,PLAY,${future},`,
        "dave,x,PLAY,2026-02-01T10:00:00Z,",
        "dave,2,PLAY,2026-02-01T10:00:00Z,0.5",
      ].join("\n"),
    );
    const summary = await service.importEvents({ path: csv });
    expect(summary.eventsImported).toBe(1);
    expect(summary.errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6]);
    expect(summary.errors[0].reason).toMatch(/type "WATCH" is not one of/);
    expect(summary.errors[1].reason).toMatch(/ISO 8601/);
    expect(summary.errors[2].reason).toMatch(/progress/);
    expect(summary.errors[3].reason).toMatch(/future/);
    expect(summary.errors[4].reason).toMatch(/movie must be a positive integer/);
  });

  it("rejects a line with a NUL character and stores a tiny progress, instead of failing the whole COPY (found by fuzzing)", async () => {
    const csv = file(
      "hostile.csv",
      ["profile,movie,type,occurred_at,progress,client_event_id", "nul\u0000user,1,PLAY,2026-02-01T10:00:00Z,,", "erin,1,PLAY,2026-02-01T10:00:00Z,,id\u0000x", "erin,2,PLAY,2026-02-01T10:00:00Z,1e-40,"].join("\n"),
    );
    const zeroProgress = async () => ((await db.dataSource.query(`SELECT count(*)::int AS n FROM interactions WHERE progress = 0`)) as { n: number }[])[0].n;
    const before = await zeroProgress();
    const summary = await service.importEvents({ path: csv });
    expect(summary.errors).toEqual([
      { line: 2, reason: expect.stringMatching(/NUL/) },
      { line: 3, reason: expect.stringMatching(/NUL/) },
    ]);
    expect(summary.eventsImported).toBe(1);
    expect(await zeroProgress()).toBe(before + 1);
  });

  it("reads a file with a BOM and CRLF line ends like any other", async () => {
    const body = "profile,movie,type,occurred_at\r\nerin,1,PLAY,2026-03-01T10:00:00Z\r\nerin,2,LIKE,2026-03-01T11:00:00Z\r\n";
    const csv = file("bom-crlf.csv", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]));
    const summary = await service.importEvents({ path: csv });
    expect(summary).toMatchObject({ eventsImported: 2, rejectedLines: 0 });
    const rows: { client_event_id: string; external_id: string }[] = await db.dataSource.query(
      `SELECT i.client_event_id, ip.external_id FROM interactions i JOIN import_profiles ip ON ip.profile_id = i.profile_id WHERE ip.external_id LIKE 'erin%'`,
    );
    // The profile id carries no \r and no BOM: "erin" exactly.
    expect(new Set(rows.map((r) => r.external_id))).toEqual(new Set(["erin"]));
  });

  it("reports a truncated last line and keeps the lines before it", async () => {
    const csv = file("truncated.csv", "profile,movie,type,occurred_at\nfrank,1,PLAY,2026-03-01T10:00:00Z\nfrank,2,PLAY,2026-03-01T11:00:00Z\nfrank,3,PL");
    const summary = await service.importEvents({ path: csv });
    expect(summary.eventsImported).toBe(2);
    expect(summary.errors).toEqual([{ line: 4, reason: expect.stringMatching(/truncated line/) }]);
  });

  it("imports JSON Lines, reporting a malformed line", async () => {
    const jsonl = file(
      "events.jsonl",
      ['{"profile":"gina","movie":1,"type":"PLAY","occurred_at":"2026-03-02T10:00:00Z","progress":0.3}', '{"profile":"gina","movie":2,', '{"profileId":"gina","movieId":"3","type":"like","occurredAt":1767265200}'].join("\n"),
    );
    const summary = await service.importEvents({ path: jsonl });
    expect(summary).toMatchObject({ eventsImported: 2, rejectedLines: 1 });
    expect(summary.errors[0]).toEqual({ line: 2, reason: expect.stringMatching(/not a JSON object/) });
  });

  it("refuses a missing file, a directory, an empty file and a file of another layout, changing nothing", async () => {
    const before = await snapshot();
    await expect(service.importEvents({ path: path.join(dir, "nope.csv") })).rejects.toThrow(/does not exist\. Expected an events file: CSV with a header/);
    await expect(service.importEvents({ path: dir })).rejects.toThrow(/is a directory\. Expected an events file/);
    await expect(service.importEvents({ path: file("empty.csv", "") })).rejects.toThrow(/is empty\. Expected an events file/);
    await expect(service.importEvents({ path: file("blank.csv", "\uFEFF\r\n\r\n") })).rejects.toThrow(/is empty/);
    await expect(service.importEvents({ path: file("ratings.csv", "userId,movieId,rating,timestamp\n1,1,4,964982703\n") })).rejects.toThrow(
      /line 1 is not an events header \(missing type; got "userId,movieId,rating,timestamp"\)\. Expected an events file/,
    );
    expect(await snapshot()).toEqual(before);
  });

  it("leaves the database as it was when the import fails midway", async () => {
    const before = await snapshot();
    const scores = await scoreRows(db.dataSource);
    await expect(
      inImportTransaction(db.dataSource, "crash-test", async (tx) => {
        await tx.stage(async (stager) => {
          for (let i = 0; i < 1000; i++) stager.add(i + 1, `crash-${i % 7}`, "1", "PLAY" as never, Date.UTC(2026, 0, 1) + i, null, `c${i}`);
        });
        const merged = await tx.merge({ profileSource: "crash-test", acceptProfileUuids: false, movies: { kind: "id" }, errors: new LineErrors() });
        expect(merged.inserted).toBe(1000);
        throw new Error("simulated crash after the merge, before commit");
      }),
    ).rejects.toThrow(/simulated crash/);
    expect(await snapshot()).toEqual(before);
    expect(await scoreRows(db.dataSource)).toEqual(scores);
  });
});

describe("catalog files", () => {
  it("upserts titles with ids, adds titles without, and is idempotent", async () => {
    const csv = file(
      "catalog.csv",
      'id,title,year,genres,runtime_minutes\n10,"Ten, The Movie",1999,Drama|Comedy,101\n11,Eleven,2001,,\n,Twelve,2003,Horror,\n,Bad Year,19x9,,\n',
    );
    const first = await service.importCatalog({ path: csv });
    expect(first).toMatchObject({ moviesCreated: 3, moviesUpdated: 0, rejectedLines: 1 });
    expect(first.errors[0]).toEqual({ line: 5, reason: expect.stringMatching(/year must be an integer/) });
    const [ten] = await db.dataSource.query(`SELECT title, genres, runtime_minutes FROM movies WHERE id = 10`);
    expect(ten).toEqual({ title: "Ten, The Movie", genres: ["Drama", "Comedy"], runtime_minutes: 101 });
    const second = await service.importCatalog({ path: csv });
    expect(second).toMatchObject({ moviesCreated: 0, moviesUpdated: 2, moviesMatched: 1 });
    await expect(service.importCatalog({ path: file("cat-bad.csv", "name_of_thing,x\n1,2\n") })).rejects.toThrow(/not a catalog header/);
  });
});

describe("MovieLens", () => {
  it("names the expected layouts when the directory holds none of them", async () => {
    const wrong = path.join(dir, "not-movielens");
    mkdirSync(wrong, { recursive: true });
    writeFileSync(path.join(wrong, "readme.txt"), "hello");
    await expect(service.importMovieLens(wrong)).rejects.toThrow(/no MovieLens files I know\. Expected .*ml-100k \(u\.data \+ u\.item\).*ratings\.csv \+ movies\.csv/);
    await expect(service.importMovieLens(path.join(dir, "missing-dir"))).rejects.toThrow(/does not exist/);
    await expect(service.importMovieLens(path.join(dir, "events.csv"))).rejects.toThrow(/is a file, not a directory/);
    expect(() => parseRatingMapping('{"5": []}', "map.json")).toThrow(/rating 1 needs a list/);
  });

  it("imports the CSV layout with the rating mapping, idempotently, scores equal to rebuild", async () => {
    const ml = path.join(dir, "ml-latest-tiny");
    mkdirSync(ml, { recursive: true });
    writeFileSync(path.join(ml, "movies.csv"), 'movieId,title,genres\n1,Toy Story (1995),Adventure|Animation\n2,"American President, The (1995)",Comedy|Drama|Romance\n3,Nothing (2000),(no genres listed)\n');
    writeFileSync(path.join(ml, "ratings.csv"), "userId,movieId,rating,timestamp\n1,1,5.0,964982703\n1,2,3.0,964982800\n2,1,4.5,964983000\n2,3,1.5,964983100\n2,77,4.0,964983200\n3,2,2.0,bad\n");
    const summary = await service.importMovieLens(ml);
    expect(summary.layout).toBe("csv");
    // 5 -> WATCHED_FULL+LIKE, 3 -> PLAY+SKIPPED, 4.5 -> (rounds to 5) 2 events, 1.5 -> CLOSED: 7; movie 77 unknown; line 7 bad.
    expect(summary).toMatchObject({ eventsImported: 7, moviesCreated: 3, profilesCreated: 2, rejectedLines: 2 });
    expect(summary.errors).toEqual([
      { line: 6, reason: expect.stringMatching(/no movie has id 77/) },
      { line: 7, reason: expect.stringMatching(/timestamp "bad"/) },
    ]);
    const [president] = await db.dataSource.query(
      `SELECT m.title, m.year, m.genres FROM movies m JOIN import_movies im ON im.movie_id = m.id WHERE im.source = 'movielens:ml-latest-tiny' AND im.external_id = '2'`,
    );
    expect(president).toEqual({ title: "The American President", year: 1995, genres: ["Comedy", "Drama", "Romance"] });
    const types: { type: string }[] = await db.dataSource.query(
      `SELECT i.type FROM interactions i JOIN import_profiles ip ON ip.profile_id = i.profile_id
       WHERE ip.source = 'movielens:ml-latest-tiny' AND ip.external_id = '1' ORDER BY i.occurred_at, i.type`,
    );
    expect(types.map((t) => t.type)).toEqual(["WATCHED_FULL", "LIKE", "PLAY", "SKIPPED"]);
    expect(DEFAULT_RATING_MAPPING["5"].map((e) => e.type)).toEqual(["WATCHED_FULL", "LIKE"]);

    const before = await snapshot();
    const again = await service.importMovieLens(ml);
    expect(again).toMatchObject({ eventsImported: 0, duplicates: 7, moviesCreated: 0, profilesCreated: 0 });
    expect(await snapshot()).toEqual(before);
    await expectScoresEqualRebuild();
  });

  (HAVE_ML100K ? it : it.skip)("imports ml-100k (u.data + u.item) onto matching titles; the score matrix equals rebuild-scores", async () => {
    const sub = path.join(dir, "ml-100k-part");
    mkdirSync(sub, { recursive: true });
    writeFileSync(path.join(sub, "u.item"), readFileSync(path.join(ML100K, "u.item")));
    const lines = readFileSync(path.join(ML100K, "u.data"), "utf8").split("\n").slice(0, 20000).join("\n");
    writeFileSync(path.join(sub, "u.data"), lines);
    await insertMovies(db.dataSource, [{ id: 500, title: "The Shawshank Redemption", year: 1994 }]);
    const summary = await service.importMovieLens(sub);
    expect(summary).toMatchObject({ layout: "ml-100k", linesRead: 20000, rejectedLines: 0 });
    expect(summary.eventsImported).toBeGreaterThan(20000);
    // Shawshank (inserted above as "The Shawshank Redemption"), and Toy Story and The American President from the CSV test.
    expect(summary.moviesMatched).toBe(3);
    const [shawshank] = await db.dataSource.query(`SELECT movie_id FROM import_movies WHERE source = 'movielens:ml-100k-part' AND external_id = '64'`);
    expect(shawshank).toEqual({ movie_id: 500 });
    await expectScoresEqualRebuild();
    const again = await service.importMovieLens(sub);
    expect(again.eventsImported).toBe(0);
  });
});

describe("importEvents mutation", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    await insertMovies(server.db.dataSource, [{ id: 1, title: "One" }, { id: 2, title: "Two" }]);
  }, 30_000);
  afterAll(() => server.close(), 30_000);

  const MUTATION = `mutation($format: ImportFormat!, $content: String!) {
    importEvents(format: $format, content: $content) { linesRead eventsImported duplicates profilesCreated rejectedLines errors { line reason } }
  }`;

  it("imports small content, reports bad lines, and adds nothing the second time", async () => {
    const content = "profile,movie,type,occurred_at\nzed,1,PLAY,2026-01-01T10:00:00Z\nzed,5,PLAY,2026-01-01T10:00:00Z\nzed,2,NOPE,2026-01-01T10:00:00Z\n";
    const first = await server.gql<{ importEvents: Record<string, unknown> }>(MUTATION, { format: "CSV", content });
    expect(first.errors).toBeUndefined();
    expect(first.data?.importEvents).toEqual({
      linesRead: 4,
      eventsImported: 1,
      duplicates: 0,
      profilesCreated: 1,
      rejectedLines: 2,
      errors: [
        { line: 3, reason: expect.stringMatching(/no movie has id 5/) },
        { line: 4, reason: expect.stringMatching(/type "NOPE"/) },
      ],
    });
    const second = await server.gql<{ importEvents: { eventsImported: number; duplicates: number } }>(MUTATION, { format: "CSV", content });
    expect(second.data?.importEvents).toMatchObject({ eventsImported: 0, duplicates: 1 });
  });

  it("refuses empty, wrong-layout and oversized content with BAD_USER_INPUT", async () => {
    const empty = await server.gql(MUTATION, { format: "CSV", content: "" });
    expect(empty.errors?.[0]).toMatchObject({ message: expect.stringMatching(/empty/), extensions: { code: "BAD_USER_INPUT" } });
    const wrong = await server.gql(MUTATION, { format: "JSONL", content: "a,b\n1,2\n3,4\n" });
    expect(wrong.errors?.[0]).toMatchObject({ message: expect.stringMatching(/not JSON objects/), extensions: { code: "BAD_USER_INPUT" } });
    const big = await server.gql(MUTATION, { format: "CSV", content: "x".repeat((1 << 20) + 1) });
    expect(big.errors?.[0]).toMatchObject({ message: expect.stringMatching(/at most 1048576/), extensions: { code: "BAD_USER_INPUT", field: "content" } });
    expect(await countRows(server.db.dataSource, "interactions")).toBe(1);
  });
});

describe("npm run import (the CLI process)", () => {
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "src/cli/import.ts", ...args], {
      cwd: path.resolve(__dirname, ".."),
      env: { ...process.env, DATABASE_URL: db.url, INIT_CWD: dir, TS_NODE_PROJECT: path.resolve(__dirname, "../tsconfig.json") },
      encoding: "utf8",
      timeout: 120_000,
    });

  it("refuses a file of another layout with 'Nothing was imported: ...', exit 1 and no stack, changing nothing", async () => {
    const before = await snapshot();
    file("cli-ratings.csv", "userId,movieId,rating,timestamp\n1,1,4,964982703\n");
    const result = cli("events", "cli-ratings.csv");
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^Nothing was imported: .*cli-ratings\.csv.*Expected an events file/m);
    expect(result.stderr).not.toMatch(/\n\s+at \S+ \(/);
    expect(await snapshot()).toEqual(before);
  });

  it("imports a file and prints its summary, paths taken from where npm was run", async () => {
    file("cli-events.csv", "profile,movie,type,occurred_at\ncli-viewer,1,PLAY,2026-02-01T10:00:00Z\ncli-viewer,2,LIKE,2026-02-01T11:00:00Z\n");
    const before = await snapshot();
    const result = cli("events", "cli-events.csv");
    expect(result.stderr).not.toMatch(/Nothing was imported/);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/events imported\s+2\b/);
    expect((await snapshot()).interactions).toBe(before.interactions + 2);
  });
});
