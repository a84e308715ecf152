import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSplitFiles } from "./split";
import { CsvFormatError } from "./csv";

describe("split CSV loading", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "marquee-split-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it("keeps string ids, binarises train positives, keeps dislikes negative and indexes test-only titles after train ones", () => {
    const train = write("train.csv", "\ufeffuser,item,weight,timestamp\r\nalice,m-1,5,100\r\nalice,m-2,-3,90\r\nbob,m-1,2,80\r\nbob,m-1,1,120\r\n");
    const test = write("test.csv", "user,item,weight,timestamp\nalice,m-9,4,200\ncarol,m-1,1,300\n");
    const split = loadSplitFiles(train, test);
    expect(split.train.users.toArray()).toEqual(["alice", "bob", "carol"]);
    expect(split.train.items.toArray()).toEqual(["m-1", "m-2"]);
    const s = split.train.scores;
    expect(Array.from(s.indptr)).toEqual([0, 2, 3, 3]);
    expect(Array.from(s.data)).toEqual([1, -1, 1]); // bob's two rows for m-1 are one positive
    expect(Array.from(split.train.lastEventAt!)).toEqual([100, 90, 120]); // the pair's latest event
    expect(split.truth.itemIds).toEqual(["m-1", "m-2", "m-9"]);
    expect(Array.from(split.truth.inTrain)).toEqual([1, 1, 0]);
    expect(Array.from(split.truth.test.indices)).toEqual([2, 0]); // alice: m-9 (unseen), carol: m-1
    const raw = loadSplitFiles(train, test, "raw");
    expect(Array.from(raw.train.scores.data)).toEqual([5, -3, 3]);
  });

  it("says which file and line is wrong", () => {
    const good = write("ok.csv", "user,item,weight,timestamp\nu,i,1,1\n");
    expect(() => loadSplitFiles(write("h.csv", "user,item,rating,timestamp\n"), good)).toThrow(/h\.csv: header must be "user,item,weight,timestamp", found "user,item,rating,timestamp"/);
    expect(() => loadSplitFiles(write("w.csv", "user,item,weight,timestamp\nu,i,lots,1\n"), good)).toThrow(/w\.csv:2: weight must be a number, found "lots"/);
    expect(() => loadSplitFiles(write("f.csv", "user,item,weight,timestamp\nu,i,1\n"), good)).toThrow(/f\.csv:2: expected 4 fields, found 3/);
    expect(() => loadSplitFiles(join(dir, "missing.csv"), good)).toThrow(CsvFormatError);
  });
});
