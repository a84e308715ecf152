import { InvalidServingIdError, ServingIdSigner, type ServedHeader, type ServedSlot } from "./serving-ids";
import { RowKind } from "./row-kind";
import { Surface } from "./surface";

const header: ServedHeader = {
  servedAt: Date.UTC(2026, 11, 1, 12, 30, 15, 123),
  surface: Surface.HOME,
  profileId: "00000000-0000-4000-8000-00000000002a",
  modelId: 17,
  experimentId: 3,
  arm: 1,
};
const slot: ServedSlot = { movieId: 1682, rowKind: RowKind.BECAUSE_YOU_WATCHED, rowPosition: 2, itemPosition: 19, propensity: 0.25 };

describe("serving ids", () => {
  const signer = new ServingIdSigner("a test secret of 16+ characters");

  it("say who was served what, where and by what, and nothing can be changed without the key", () => {
    const id = signer.response(header).idFor(slot);
    expect(id).toMatch(/^[A-Za-z0-9_-]{71}$/);
    expect(signer.verify(id)).toEqual({ ...header, ...slot });
    const bytes = Buffer.from(id, "base64url");
    for (let i = 0; i < bytes.length; i++) {
      const tampered = Buffer.from(bytes);
      tampered[i] ^= 1;
      expect(() => signer.verify(tampered.toString("base64url"))).toThrow(InvalidServingIdError);
    }
    expect(() => new ServingIdSigner("another secret, another server").verify(id)).toThrow(/not issued by this server/);
  });

  it("carry the absence of a profile, a model and an experiment", () => {
    const bare = { ...header, profileId: null, modelId: null, experimentId: null, arm: null, surface: Surface.MORE_LIKE_THIS };
    const id = signer.response(bare).idFor({ ...slot, rowKind: RowKind.MORE_LIKE_THIS, propensity: 1 });
    expect(signer.verify(id)).toMatchObject({ profileId: null, modelId: null, experimentId: null, arm: null, surface: Surface.MORE_LIKE_THIS, propensity: 1 });
  });

  it("differ per slot within one response, and verify with the response key cached per batch", () => {
    const response = signer.response(header);
    const ids = [0, 1, 2].map((itemPosition) => response.idFor({ ...slot, itemPosition }));
    expect(new Set(ids).size).toBe(3);
    const keys = new Map<string, Buffer>();
    expect(ids.map((id) => signer.verify(id, keys).itemPosition)).toEqual([0, 1, 2]);
    expect(keys.size).toBe(1);
  });

  it("refuse what is not an id", () => {
    for (const junk of ["", "x", "a".repeat(71), "!".repeat(71), "a".repeat(72)]) expect(() => signer.verify(junk)).toThrow(InvalidServingIdError);
  });
});
