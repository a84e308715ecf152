import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";

/** A text source: a file (streamed) or a string (the GraphQL mutation's small uploads). */
export type TextSource = { readonly path: string; readonly encoding?: BufferEncoding } | { readonly text: string };

export interface LineReadOptions {
  /** Called for every line, numbered from 1, without its line end (LF or CRLF) or a leading BOM. */
  readonly onLine: (text: string, line: number) => void;
  /** Awaited after each chunk of lines: the caller flushes what it built (backpressure). */
  readonly afterChunk?: (bytesRead: number) => Promise<void> | void;
}

/**
 * Reads a text file line by line at disk speed: only complete lines are decoded (a multi-byte
 * character split across chunks is never cut), and lines go to a synchronous callback rather
 * than one promise per line. The last line counts even without a final newline.
 */
export async function readLines(source: TextSource, options: LineReadOptions): Promise<{ lines: number; bytes: number }> {
  let line = 0;
  let bytes = 0;
  let first = true;
  const emit = (text: string) => {
    const lines = text.split("\n");
    for (let i = 0; i < lines.length; i++) {
      let value = lines[i];
      if (first) {
        if (value.charCodeAt(0) === 0xfeff) value = value.slice(1);
        first = false;
      }
      if (value.charCodeAt(value.length - 1) === 13) value = value.slice(0, -1);
      options.onLine(value, ++line);
    }
  };
  if ("text" in source) {
    const text = source.text.endsWith("\n") ? source.text.slice(0, -1) : source.text;
    bytes = Buffer.byteLength(source.text);
    if (text.length > 0 || source.text.length > 0) emit(text);
    await options.afterChunk?.(bytes);
    return { lines: line, bytes };
  }
  const encoding = source.encoding ?? "utf8";
  const stream: Readable = createReadStream(source.path, { highWaterMark: 1 << 20 });
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    const buffer = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    const end = buffer.lastIndexOf(10);
    if (end < 0) {
      rest = buffer;
      continue;
    }
    emit(buffer.toString(encoding, 0, end));
    rest = buffer.subarray(end + 1);
    await options.afterChunk?.(bytes);
  }
  if (rest.length > 0) emit(rest.toString(encoding));
  await options.afterChunk?.(bytes);
  return { lines: line, bytes };
}

/**
 * Splits one CSV line (RFC 4180 quoting: "a, b" and "" for a quote). Fields spanning several
 * lines are not supported: every record is one line, so errors can name their line.
 * Returns null when a quote is left open (a truncated line).
 */
export function splitCsvLine(text: string, separator = ","): string[] | null {
  if (text.indexOf('"') < 0) return text.split(separator);
  const fields: string[] = [];
  let i = 0;
  const n = text.length;
  for (;;) {
    if (text[i] === '"') {
      let value = "";
      i++;
      for (;;) {
        const quote = text.indexOf('"', i);
        if (quote < 0) return null;
        value += text.slice(i, quote);
        if (text[quote + 1] === '"') {
          value += '"';
          i = quote + 2;
        } else {
          i = quote + 1;
          break;
        }
      }
      fields.push(value);
      if (i >= n) return fields;
      if (text[i] !== separator) return null;
      i++;
    } else {
      const next = text.indexOf(separator, i);
      if (next < 0) {
        fields.push(text.slice(i));
        return fields;
      }
      fields.push(text.slice(i, next));
      i = next + 1;
    }
  }
}
