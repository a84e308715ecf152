import type { DataSource } from "typeorm";
import type { PoolClient } from "pg";
import { to as copyTo } from "pg-copy-streams";
import { IdIndex } from "../engine/matrix/id-index";
import type { InteractionMatrix } from "../engine/matrix/interaction-matrix";

/**
 * Loads the score matrix (`interaction_scores`, one row per viewer and title) into CSR typed
 * arrays for the engine. This is the training bulk path, so it hydrates no entity and creates
 * no object per row: rows arrive by `COPY ... TO STDOUT` on a connection from TypeORM's pool,
 * ordered by the primary key (profile_id, movie_id), and a byte-level parser writes them straight
 * into growing typed arrays. A profile id string is created once per viewer, not once per row.
 */
export interface LoadedScoreMatrix extends InteractionMatrix {
  /** Highest `interactions.id` folded into the scores when loading began (the training watermark). */
  readonly watermark: bigint;
  readonly pairs: number;
  /** With `counts`: each pair's event counts per kind, COUNT_KINDS.length per pair in CSR order. */
  readonly counts?: Float32Array;
}

/** The per-kind event counts of `interaction_scores`, in the order `counts` holds them. */
export const COUNT_KINDS = ["THUMBNAIL_CLICK", "PLAY", "WATCHED_FULL", "SKIPPED", "CLOSED", "LIKE", "DISLIKE", "ADD_TO_LIST"] as const;
export type CountKind = (typeof COUNT_KINDS)[number];
/** Their columns, same order. */
export const COUNT_COLUMNS = ["thumbnail_clicks", "plays", "watched_full_count", "skips", "closes", "likes", "dislikes", "list_adds"] as const;

export interface LoadOptions {
  readonly onProgress?: (pairsLoaded: number, pairsExpected: number) => void;
  /** Also load each pair's per-kind counts (learning event weights). */
  readonly counts?: boolean;
}

const TAB = 9;
const NEWLINE = 10;

export async function loadScoreMatrix(dataSource: DataSource, options: LoadOptions = {}): Promise<LoadedScoreMatrix> {
  const queryRunner = dataSource.createQueryRunner("slave");
  try {
    const client = (await queryRunner.connect()) as PoolClient;
    // One snapshot for the watermark, the catalog and the pairs, so they agree with each other.
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    try {
      const { rows: meta } = await client.query<{ watermark: string | null; pairs: string }>(
        `SELECT (SELECT max(id) FROM interactions)::text AS watermark,
                (SELECT reltuples::bigint FROM pg_class WHERE relname = 'interaction_scores')::text AS pairs`,
      );
      const { rows: movieRows } = await client.query<{ id: number }>("SELECT id FROM movies ORDER BY id");
      const items = IdIndex.from(movieRows.map((m) => m.id));
      const movieIndex = denseLookup(movieRows.map((m) => m.id));
      const expected = Math.max(0, Number(meta[0].pairs));
      const parser = new ScoreRowParser(Math.max(1024, expected), movieIndex, options.onProgress, expected, options.counts ? COUNT_KINDS.length : 0);
      const counts = options.counts ? `, ${COUNT_COLUMNS.join(", ")}` : "";
      const stream = client.query(
        copyTo(
          `COPY (SELECT profile_id, movie_id, score, extract(epoch FROM last_event_at)::float8${counts}
                   FROM interaction_scores ORDER BY profile_id, movie_id) TO STDOUT`,
        ),
      );
      for await (const chunk of stream) parser.push(chunk as Buffer);
      parser.end();
      await client.query("COMMIT");
      const result = parser.result(items);
      return { ...result, watermark: BigInt(meta[0].watermark ?? "0") };
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  } finally {
    await queryRunner.release();
  }
}

/** Movie ids are positive integers: a direct lookup table (id -> index, -1 absent) beats a Map. */
function denseLookup(ids: readonly number[]): (id: number) => number {
  const max = ids.length ? ids[ids.length - 1] : 0;
  if (max < 16 * 1024 * 1024) {
    const table = new Int32Array(max + 1).fill(-1);
    ids.forEach((id, index) => (table[id] = index));
    return (id) => (id >= 0 && id < table.length ? table[id] : -1);
  }
  const map = new Map(ids.map((id, index) => [id, index] as const));
  return (id) => map.get(id) ?? -1;
}

/** Parses COPY text rows `uuid \t movie_id \t score \t epoch [\t count ...] \n` into CSR arrays, across chunk boundaries. */
class ScoreRowParser {
  private indices: Int32Array;
  private data: Float32Array;
  private times: Float64Array;
  private counts: Float32Array;
  private indptr = new Int32Array(1024);
  private length = 0;
  private users = new IdIndex();
  private carry: Buffer | null = null;
  private lastProfile = Buffer.alloc(0);
  private reported = 0;

  constructor(
    capacity: number,
    private readonly movieIndex: (id: number) => number,
    private readonly onProgress: LoadOptions["onProgress"],
    private readonly expected: number,
    /** Count columns after the time (0: none). */
    private readonly countColumns = 0,
  ) {
    this.indices = new Int32Array(capacity);
    this.data = new Float32Array(capacity);
    this.times = new Float64Array(capacity);
    this.counts = new Float32Array(capacity * countColumns);
  }

  push(chunk: Buffer): void {
    const buffer = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    let start = 0;
    for (;;) {
      const end = buffer.indexOf(NEWLINE, start);
      if (end < 0) break;
      this.parseLine(buffer, start, end);
      start = end + 1;
    }
    this.carry = start < buffer.length ? Buffer.from(buffer.subarray(start)) : null;
    if (this.onProgress && this.length - this.reported >= 250_000) {
      this.reported = this.length;
      this.onProgress(this.length, this.expected);
    }
  }

  end(): void {
    if (this.carry && this.carry.length > 0) throw new Error("score matrix COPY ended inside a row");
    this.onProgress?.(this.length, this.length);
  }

  result(items: IdIndex): Omit<LoadedScoreMatrix, "watermark"> {
    const nRows = this.users.size;
    const indptr = new Int32Array(nRows + 1);
    indptr.set(this.indptr.subarray(1, nRows + 1), 1);
    return {
      users: this.users,
      items,
      pairs: this.length,
      scores: {
        nRows,
        nCols: items.size,
        indptr,
        indices: this.indices.slice(0, this.length),
        data: this.data.slice(0, this.length),
      },
      lastEventAt: this.times.slice(0, this.length),
      ...(this.countColumns ? { counts: this.counts.slice(0, this.length * this.countColumns) } : {}),
    };
  }

  private parseLine(buf: Buffer, start: number, end: number): void {
    const tab1 = buf.indexOf(TAB, start);
    const tab2 = buf.indexOf(TAB, tab1 + 1);
    const tab3 = buf.indexOf(TAB, tab2 + 1);
    if (tab1 < 0 || tab3 < 0 || tab3 > end) throw new Error("unexpected row layout in score matrix COPY");
    if (!this.sameProfile(buf, start, tab1)) {
      this.lastProfile = Buffer.from(buf.subarray(start, tab1));
      const row = this.users.add(this.lastProfile.toString("latin1"));
      this.ensureRows(row + 2);
      this.indptr[row + 1] = this.length;
    }
    const item = this.movieIndex(parseInteger(buf, tab1 + 1, tab2));
    if (item < 0) return; // a pair whose movie was deleted mid-load; the snapshot makes this rare
    this.ensureCapacity(this.length + 1);
    this.indices[this.length] = item;
    this.data[this.length] = parseDecimal(buf, tab2 + 1, tab3);
    let timeEnd = end;
    if (this.countColumns) {
      timeEnd = buf.indexOf(TAB, tab3 + 1);
      let from = timeEnd + 1;
      for (let k = 0; k < this.countColumns; k++) {
        const to = k === this.countColumns - 1 ? end : buf.indexOf(TAB, from);
        this.counts[this.length * this.countColumns + k] = parseInteger(buf, from, to);
        from = to + 1;
      }
    }
    this.times[this.length] = buf[tab3 + 1] === 92 /* \N */ ? 0 : parseDecimal(buf, tab3 + 1, timeEnd);
    this.length++;
    this.indptr[this.users.size] = this.length;
  }

  private sameProfile(buf: Buffer, start: number, end: number): boolean {
    const last = this.lastProfile;
    if (last.length !== end - start) return false;
    for (let i = last.length - 1; i >= 0; i--) if (last[i] !== buf[start + i]) return false;
    return true;
  }

  private ensureRows(rows: number): void {
    if (rows < this.indptr.length) return;
    const grown = new Int32Array(Math.max(rows, this.indptr.length * 2));
    grown.set(this.indptr);
    this.indptr = grown;
  }

  private ensureCapacity(size: number): void {
    if (size <= this.indices.length) return;
    const capacity = Math.max(size, Math.ceil(this.indices.length * 1.5));
    const indices = new Int32Array(capacity);
    indices.set(this.indices);
    const data = new Float32Array(capacity);
    data.set(this.data);
    const times = new Float64Array(capacity);
    times.set(this.times);
    const counts = new Float32Array(capacity * this.countColumns);
    counts.set(this.counts);
    this.indices = indices;
    this.data = data;
    this.times = times;
    this.counts = counts;
  }
}

function parseInteger(buf: Buffer, start: number, end: number): number {
  let value = 0;
  let sign = 1;
  let i = start;
  if (buf[i] === 45) {
    sign = -1;
    i++;
  }
  for (; i < end; i++) value = value * 10 + (buf[i] - 48);
  return sign * value;
}

/** Postgres' text output of real/float8 (digits, '.', optional exponent); falls back to Number() for the rare rest. */
function parseDecimal(buf: Buffer, start: number, end: number): number {
  let i = start;
  let sign = 1;
  if (buf[i] === 45) {
    sign = -1;
    i++;
  }
  let value = 0;
  for (; i < end; i++) {
    const c = buf[i];
    if (c === 46) break;
    if (c < 48 || c > 57) return Number(buf.toString("latin1", start, end));
    value = value * 10 + (c - 48);
  }
  if (i < end) {
    let scale = 0.1;
    for (i++; i < end; i++) {
      const c = buf[i];
      if (c < 48 || c > 57) return Number(buf.toString("latin1", start, end));
      value += (c - 48) * scale;
      scale *= 0.1;
    }
  }
  return sign * value;
}
