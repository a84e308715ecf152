import { existsSync, readFileSync, statSync } from "node:fs";

/**
 * Minimal, fast reader for the split CSVs (no quoting: ids never contain commas in these
 * files). The file is read once into a string and scanned by index; each row yields only the
 * fields the caller asks for, so no per-row objects are built.
 */
export class CsvFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CsvFormatError";
  }
}

/** Reads `path` and checks its header line is exactly `expected` (BOM, CRLF and spaces tolerated). */
export function readCsv(path: string, expected: readonly string[]): { text: string; bodyStart: number } {
  if (!existsSync(path)) throw new CsvFormatError(`file not found: ${path}`);
  if (!statSync(path).isFile()) throw new CsvFormatError(`not a file: ${path}`);
  let text = readFileSync(path, "utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let eol = text.indexOf("\n");
  if (eol < 0) eol = text.length;
  const header = text.slice(0, eol).replace(/\r$/, "").split(",").map((h) => h.trim());
  if (header.join(",") !== expected.join(",")) {
    throw new CsvFormatError(
      `${path}: header must be "${expected.join(",")}", found "${header.join(",")}"`,
    );
  }
  return { text, bodyStart: eol + 1 };
}

/**
 * Calls `onRow(fields, line)` for each non-empty data row. `fields` is reused between rows
 * (it is the caller's scratch array): copy what you keep.
 */
export function forEachRow(
  path: string,
  text: string,
  bodyStart: number,
  nFields: number,
  onRow: (fields: string[], line: number) => void,
): void {
  const fields = new Array<string>(nFields);
  let pos = bodyStart;
  let line = 1;
  const n = text.length;
  while (pos < n) {
    let end = text.indexOf("\n", pos);
    if (end < 0) end = n;
    line++;
    let stop = end;
    if (stop > pos && text.charCodeAt(stop - 1) === 13) stop--;
    if (stop > pos) {
      let f = 0;
      let start = pos;
      for (let i = pos; i <= stop; i++) {
        if (i === stop || text.charCodeAt(i) === 44) {
          if (f >= nFields) throw new CsvFormatError(`${path}:${line}: more than ${nFields} fields`);
          fields[f++] = text.slice(start, i).trim();
          start = i + 1;
        }
      }
      if (f !== nFields) throw new CsvFormatError(`${path}:${line}: expected ${nFields} fields, found ${f}`);
      onRow(fields, line);
    }
    pos = end + 1;
  }
}

/** Parses a numeric field or throws with the file and line. */
export function parseNumber(path: string, line: number, name: string, raw: string): number {
  const v = Number(raw);
  if (raw === "" || !Number.isFinite(v)) {
    throw new CsvFormatError(`${path}:${line}: ${name} must be a number, found "${raw}"`);
  }
  return v;
}
