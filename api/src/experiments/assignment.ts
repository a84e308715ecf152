import { createHash } from "node:crypto";

/**
 * Which arm a viewer is in: a pure function of (the experiment's salt, the profile id), so it is
 * sticky, needs no write per request and comes out the same on every API process. SHA-256 of
 * `salt:profileId`; its first 4 bytes decide whether the viewer is in the experiment at all
 * (bucket of 10,000 against trafficPercent), the next 4 bytes which arm (bucket of 10,000
 * against the arms' cumulative shares). Independent bytes keep a viewer's arm unrelated to its
 * traffic bucket, so raising trafficPercent later adds viewers without moving any.
 */
export function assignArm(salt: string, profileId: string, trafficPercent: number, shares: readonly number[]): number | null {
  const digest = createHash("sha256").update(`${salt}:${profileId}`).digest();
  if (digest.readUInt32BE(0) % 10_000 >= trafficPercent * 100) return null;
  const bucket = digest.readUInt32BE(4) % 10_000;
  let upTo = 0;
  for (let arm = 0; arm < shares.length; arm++) {
    upTo += shares[arm] * 100;
    if (bucket < upTo) return arm;
  }
  return null;
}
