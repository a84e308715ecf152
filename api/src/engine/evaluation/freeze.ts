import { createHash } from "node:crypto";
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { loadSplit, type RankingSplit, type WeightMode } from "./split";

/**
 * Freeze-then-score: the configuration chosen on validation is written to a file (and synced)
 * before test.csv is read, and the test split can only be opened with the proof of that write.
 * `loadFrozenTestSplit` re-reads the file and checks it is byte for byte what was frozen, so a
 * run cannot score test and then quietly change its choice: whatever the report says was chosen
 * is what the file recorded first.
 */
export interface FrozenChoice {
  readonly split: string;
  readonly weights: WeightMode;
  readonly seed: number;
  /** The algorithm chosen by validation NDCG@10. */
  readonly best: string;
  /** Each algorithm's tuned parameters (the hybrid's include its components and weights). */
  readonly algorithms: Record<string, { readonly params: Record<string, unknown>; readonly validationNdcg10: number }>;
  readonly frozenAt: string;
}

export class FrozenConfiguration {
  private constructor(
    readonly path: string,
    readonly choice: FrozenChoice,
    readonly sha256: string,
  ) {}

  /** Writes `choice` to `path` (fsync'd) and returns the only key that opens the test split. */
  static write(path: string, choice: FrozenChoice): FrozenConfiguration {
    const text = JSON.stringify(choice, null, 2) + "\n";
    mkdirSync(dirname(path), { recursive: true });
    const fd = openSync(path, "w");
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return new FrozenConfiguration(path, JSON.parse(text) as FrozenChoice, sha256(text));
  }

  /** Throws unless the file still holds exactly what was frozen. */
  verify(): void {
    let text: string;
    try {
      text = readFileSync(this.path, "utf8");
    } catch (error) {
      throw new Error(`frozen configuration ${this.path} is gone (${(error as Error).message}); the test split stays closed`, { cause: error });
    }
    if (sha256(text) !== this.sha256) throw new Error(`frozen configuration ${this.path} changed after it was frozen; the test split stays closed`);
  }
}

/** The test split (train.csv + test.csv) of `dir`, opened only after the choice was frozen and checked. */
export function loadFrozenTestSplit(dir: string, frozen: FrozenConfiguration): RankingSplit {
  if (!(frozen instanceof FrozenConfiguration)) throw new TypeError("the test split opens only with a FrozenConfiguration");
  frozen.verify();
  return loadSplit(dir, "test", frozen.choice.weights);
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
