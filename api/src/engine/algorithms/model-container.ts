/**
 * Binary container for fitted models: a JSON header plus named typed-array sections, so that a
 * model is one byte string (stored in Postgres) and loading it copies no per-element objects.
 *
 * Layout: "MRQ1" | u32 header length | header JSON (utf-8) | padding to 8 | sections, each 8-aligned.
 */
type Section = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array;
type SectionType = "f32" | "f64" | "i32" | "u32" | "u8";

const MAGIC = 0x3151524d; // "MRQ1" little-endian

const constructors = {
  f32: Float32Array,
  f64: Float64Array,
  i32: Int32Array,
  u32: Uint32Array,
  u8: Uint8Array,
} as const;

function typeOf(a: Section): SectionType {
  if (a instanceof Float32Array) return "f32";
  if (a instanceof Float64Array) return "f64";
  if (a instanceof Int32Array) return "i32";
  if (a instanceof Uint32Array) return "u32";
  return "u8";
}

export interface ModelHeader {
  readonly algorithm: string;
  readonly params: Record<string, unknown>;
  readonly itemIds: readonly string[];
  readonly meta?: Record<string, unknown>;
}

const align8 = (n: number) => (n + 7) & ~7;

export function encodeModel(header: ModelHeader, sections: Record<string, Section>): Uint8Array {
  const layout: { name: string; type: SectionType; length: number; offset: number }[] = [];
  let bodyLength = 0;
  for (const [name, array] of Object.entries(sections)) {
    layout.push({ name, type: typeOf(array), length: array.length, offset: bodyLength });
    bodyLength = align8(bodyLength + array.byteLength);
  }
  const json = new TextEncoder().encode(JSON.stringify({ ...header, sections: layout }));
  const bodyStart = align8(8 + json.length);
  const out = new Uint8Array(bodyStart + bodyLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, json.length, true);
  out.set(json, 8);
  layout.forEach((s, i) => {
    const array = Object.values(sections)[i];
    out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), bodyStart + s.offset);
  });
  return out;
}

export interface DecodedModel {
  readonly header: ModelHeader;
  readonly sections: Record<string, Section>;
}

/** Decodes a model; throws `CorruptModelError` on anything malformed (never returns garbage). */
export function decodeModel(bytes: Uint8Array): DecodedModel {
  if (bytes.length < 8) throw new CorruptModelError("shorter than its header");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw new CorruptModelError("bad magic number");
  const jsonLength = view.getUint32(4, true);
  if (8 + jsonLength > bytes.length) throw new CorruptModelError("header runs past the end");
  let parsed: ModelHeader & { sections: { name: string; type: SectionType; length: number; offset: number }[] };
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + jsonLength)));
  } catch {
    throw new CorruptModelError("header is not JSON");
  }
  const bodyStart = align8(8 + jsonLength);
  const sections: Record<string, Section> = {};
  for (const s of parsed.sections ?? []) {
    const Ctor = constructors[s.type];
    if (!Ctor) throw new CorruptModelError(`unknown section type ${s.type}`);
    const start = bodyStart + s.offset;
    const byteLength = s.length * Ctor.BYTES_PER_ELEMENT;
    if (start + byteLength > bytes.length) throw new CorruptModelError(`section ${s.name} runs past the end`);
    // Copy into an aligned buffer owned by the model.
    const copy = new Uint8Array(byteLength);
    copy.set(bytes.subarray(start, start + byteLength));
    sections[s.name] = new Ctor(copy.buffer);
  }
  const { sections: _layout, ...header } = parsed;
  return { header, sections };
}

export class CorruptModelError extends Error {
  constructor(reason: string) {
    super(`corrupt model artifact: ${reason}`);
    this.name = "CorruptModelError";
  }
}
