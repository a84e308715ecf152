import { BadUserInputError } from "./errors";

/** Opaque connection cursors: base64url of "<kind>:<value>", so clients never parse them. */
export function encodeCursor(kind: string, value: string | number): string {
  return Buffer.from(`${kind}:${value}`, "utf8").toString("base64url");
}

export function decodeIntCursor(kind: string, cursor: string): number {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const match = new RegExp(`^${kind}:(\\d{1,10})$`).exec(text);
  if (!match) throw new BadUserInputError(`"after" is not a cursor of this list: pass a pageInfo.endCursor returned by it`, { field: "after" });
  return Number(match[1]);
}
