import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadEventWeights } from "../src/interactions/event-weights";
import { createTestDatabase, type TestDatabase } from "./database";

describe("event weights", () => {
  let db: TestDatabase;
  const dir = mkdtempSync(path.join(os.tmpdir(), "marquee-weights-"));
  const file = (name: string, json: string) => {
    const target = path.join(dir, name);
    writeFileSync(target, json);
    return target;
  };
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it("are read from event_weights", async () => {
    const weights = await loadEventWeights(db.dataSource);
    expect(weights).toEqual({ THUMBNAIL_CLICK: 1, PLAY: 2, WATCHED_FULL: 4, SKIPPED: 3, CLOSED: 2, LIKE: 4, DISLIKE: -4, ADD_TO_LIST: 3 });
    expect(Object.isFrozen(weights)).toBe(true);
  });

  it("take an override file at start, written to the table so it says what is in force", async () => {
    const weights = await loadEventWeights(db.dataSource, file("ok.json", '{ "SKIPPED": -1, "LIKE": 5 }'));
    expect(weights).toMatchObject({ SKIPPED: -1, LIKE: 5, PLAY: 2 });
    expect(await db.dataSource.query(`SELECT weight FROM event_weights WHERE type = 'SKIPPED'`)).toEqual([{ weight: -1 }]);
  });

  it("refuse an override naming an unknown type or a non-number, changing nothing", async () => {
    const before = await loadEventWeights(db.dataSource);
    await expect(loadEventWeights(db.dataSource, file("bad-type.json", '{ "BINGE": 3 }'))).rejects.toThrow(/"BINGE" is not an event type/);
    await expect(loadEventWeights(db.dataSource, file("bad-value.json", '{ "PLAY": "2" }'))).rejects.toThrow(/PLAY must be a finite number/);
    expect(await loadEventWeights(db.dataSource)).toEqual(before);
  });
});
