import { createHmac, hash, timingSafeEqual } from "node:crypto";
import { RowKind } from "./row-kind";
import { Surface } from "./surface";

/**
 * Serving ids (`RecommendedMovie.recommendationId`): opaque to clients, from which this server
 * alone recovers who was served what, where and by what, with nothing written per request.
 * Everything is in the id itself, authenticated with a key derived from the session secret:
 *
 *   header (34 bytes, one per response): version, served at (ms), surface, flags, profile,
 *                                        model id, experiment id, arm
 *   slot (11 bytes, one per title):      movie id, row kind, row position, item position, propensity
 *   tag (8 bytes):                       SHA-256(responseKey || slot), truncated
 *
 * where responseKey = HMAC-SHA256(servingKey, header), computed once per response (and only when
 * a client selects the field), so a page of 160 titles costs one HMAC and 160 short hashes, not
 * 160 HMACs. Truncating the hash hides its internal state, so the tag cannot be length-extended;
 * forging a slot needs responseKey, which needs the secret. Base64url, 71 characters.
 */

const VERSION = 1;
const HEADER_BYTES = 34;
const SLOT_BYTES = 11;
const TAG_BYTES = 8;
const ID_BYTES = HEADER_BYTES + SLOT_BYTES + TAG_BYTES;
const KEY_BYTES = 32;

const HAS_PROFILE = 1;
const HAS_MODEL = 2;
const HAS_EXPERIMENT = 4;

/** Wire codes: append only, never renumber (ids in flight and stored impressions use them). */
const SURFACES: readonly Surface[] = [Surface.HOME, Surface.TOP_PICKS, Surface.MORE_LIKE_THIS, Surface.ONBOARDING];
const ROW_KINDS: readonly RowKind[] = [
  RowKind.CONTINUE_WATCHING,
  RowKind.TOP_PICKS,
  RowKind.BECAUSE_YOU_WATCHED,
  RowKind.VIEWERS_LIKE_YOU,
  RowKind.TRENDING,
  RowKind.GENRE,
  RowKind.NEW,
  RowKind.POPULAR,
  RowKind.MORE_LIKE_THIS,
];
const SURFACE_CODE = new Map(SURFACES.map((s, i) => [s, i]));
const ROW_KIND_CODE = new Map(ROW_KINDS.map((k, i) => [k, i]));

/** Who was served, on which surface, by what: the same for every title of one response. */
export interface ServedHeader {
  /** ms since the epoch. */
  readonly servedAt: number;
  readonly surface: Surface;
  /** Lower-case UUID, or null (More like this without a session). */
  readonly profileId: string | null;
  /** The serving model's id, or null when none had been trained (the SQL fallback served). */
  readonly modelId: number | null;
  readonly experimentId: number | null;
  /** The arm's index within the experiment (0-based), or null outside experiments. */
  readonly arm: number | null;
}

/** Where one title sat in the response. */
export interface ServedSlot {
  readonly movieId: number;
  readonly rowKind: RowKind;
  /** 0-based row on the page (0 for a plain list). */
  readonly rowPosition: number;
  /** 0-based position in the row. */
  readonly itemPosition: number;
  /** Probability that the policy put this title in this slot: 1 unless the slot was explored. */
  readonly propensity: number;
}

/** Everything a serving id says. */
export type ServedRecommendation = ServedHeader & ServedSlot;

/** A serving id that is malformed, or whose tag does not match (forged or from another deployment). */
export class InvalidServingIdError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "InvalidServingIdError";
  }
}

function writeUint48(buf: Buffer, value: number, at: number): void {
  buf.writeUInt16BE(Math.floor(value / 2 ** 32), at);
  buf.writeUInt32BE(value % 2 ** 32, at + 2);
}

function uuidBytes(uuid: string, into: Buffer, at: number): void {
  const hex = uuid.replace(/-/g, "");
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`not a UUID: ${uuid}`);
  into.write(hex, at, 16, "hex");
}

function uuidText(buf: Buffer, at: number): string {
  const hex = buf.toString("hex", at, at + 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** One response's ids: the header encoded and its key derived once, on the first id asked for. */
export class ServedResponse {
  private key: Buffer | null = null;
  private readonly header: Buffer;
  /** responseKey followed by room for one slot: the input of each title's tag. */
  private scratch: Buffer | null = null;

  constructor(
    private readonly signer: ServingIdSigner,
    readonly served: ServedHeader,
  ) {
    this.header = encodeHeader(served);
  }

  /** The serving id of one slot of this response. */
  idFor(slot: ServedSlot): string {
    if (!this.key) {
      this.key = this.signer.responseKey(this.header);
      this.scratch = Buffer.alloc(KEY_BYTES + SLOT_BYTES);
      this.key.copy(this.scratch, 0);
    }
    const scratch = this.scratch!;
    encodeSlot(slot, scratch, KEY_BYTES);
    const id = Buffer.allocUnsafe(ID_BYTES);
    this.header.copy(id, 0);
    scratch.copy(id, HEADER_BYTES, KEY_BYTES);
    hash("sha256", scratch, "buffer").copy(id, HEADER_BYTES + SLOT_BYTES, 0, TAG_BYTES);
    return id.toString("base64url");
  }
}

function encodeHeader(h: ServedHeader): Buffer {
  const buf = Buffer.alloc(HEADER_BYTES);
  buf[0] = VERSION;
  writeUint48(buf, Math.max(0, Math.round(h.servedAt)), 1);
  buf[7] = SURFACE_CODE.get(h.surface)!;
  buf[8] = (h.profileId ? HAS_PROFILE : 0) | (h.modelId !== null ? HAS_MODEL : 0) | (h.experimentId !== null ? HAS_EXPERIMENT : 0);
  if (h.profileId) uuidBytes(h.profileId, buf, 9);
  buf.writeUInt32BE(h.modelId ?? 0, 25);
  buf.writeUInt32BE(h.experimentId ?? 0, 29);
  buf[33] = h.arm ?? 0;
  return buf;
}

function encodeSlot(s: ServedSlot, buf: Buffer, at: number): void {
  buf.writeUInt32BE(s.movieId, at);
  buf[at + 4] = ROW_KIND_CODE.get(s.rowKind)!;
  buf[at + 5] = Math.min(255, s.rowPosition);
  buf[at + 6] = Math.min(255, s.itemPosition);
  buf.writeFloatBE(s.propensity, at + 7);
}

/** Signs and verifies serving ids with a key derived from the session secret (shared by every API process). */
export class ServingIdSigner {
  private readonly key: Buffer;

  constructor(sessionSecret: string) {
    this.key = createHmac("sha256", sessionSecret).update("marquee:serving-ids:v1").digest();
  }

  /** The ids of one response, derived lazily. */
  response(served: ServedHeader): ServedResponse {
    return new ServedResponse(this, served);
  }

  responseKey(header: Buffer): Buffer {
    return createHmac("sha256", this.key).update(header).digest();
  }

  /**
   * What an id says, after checking its tag. `keys` caches response keys by header across the
   * ids of one batch (they mostly come from a few responses). Throws InvalidServingIdError.
   */
  verify(id: string, keys?: Map<string, Buffer>): ServedRecommendation {
    if (typeof id !== "string" || id.length !== Math.ceil((ID_BYTES * 4) / 3) || !/^[A-Za-z0-9_-]+$/.test(id)) {
      throw new InvalidServingIdError("is not a serving id (a recommendationId as the API returned it)");
    }
    const buf = Buffer.from(id, "base64url");
    if (buf.length !== ID_BYTES || buf[0] !== VERSION) throw new InvalidServingIdError("is not a serving id of this version");
    const headerKey = buf.toString("latin1", 0, HEADER_BYTES);
    let key = keys?.get(headerKey);
    if (!key) {
      key = this.responseKey(buf.subarray(0, HEADER_BYTES));
      keys?.set(headerKey, key);
    }
    const input = Buffer.concat([key, buf.subarray(HEADER_BYTES, HEADER_BYTES + SLOT_BYTES)]);
    const tag = hash("sha256", input, "buffer").subarray(0, TAG_BYTES);
    if (!timingSafeEqual(tag, buf.subarray(HEADER_BYTES + SLOT_BYTES))) {
      throw new InvalidServingIdError("was not issued by this server (its signature does not match)");
    }
    const flags = buf[8];
    const surface = SURFACES[buf[7]];
    const rowKind = ROW_KINDS[buf[HEADER_BYTES + 4]];
    if (surface === undefined || rowKind === undefined) throw new InvalidServingIdError("names an unknown surface or row kind");
    return {
      servedAt: buf.readUInt16BE(1) * 2 ** 32 + buf.readUInt32BE(3),
      surface,
      profileId: flags & HAS_PROFILE ? uuidText(buf, 9) : null,
      modelId: flags & HAS_MODEL ? buf.readUInt32BE(25) : null,
      experimentId: flags & HAS_EXPERIMENT ? buf.readUInt32BE(29) : null,
      arm: flags & HAS_EXPERIMENT ? buf[33] : null,
      movieId: buf.readUInt32BE(HEADER_BYTES),
      rowKind,
      rowPosition: buf[HEADER_BYTES + 5],
      itemPosition: buf[HEADER_BYTES + 6],
      propensity: buf.readFloatBE(HEADER_BYTES + 7),
    };
  }
}
