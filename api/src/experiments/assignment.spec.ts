import { randomUUID } from "node:crypto";
import { assignArm } from "./assignment";

describe("assignArm", () => {
  const viewers = Array.from({ length: 20_000 }, () => randomUUID());

  it("is sticky: the same viewer and salt give the same arm", () => {
    for (const v of viewers.slice(0, 100)) expect(assignArm("s1", v, 100, [50, 50])).toBe(assignArm("s1", v, 100, [50, 50]));
  });

  it("splits viewers by the arms' shares and the traffic share", () => {
    const counts = [0, 0, 0];
    let outside = 0;
    for (const v of viewers) {
      const arm = assignArm("salt", v, 40, [20, 30, 50]);
      if (arm === null) outside++;
      else counts[arm]++;
    }
    // 20,000 viewers: 40 % in (sd 0.35 points); within the 8,000 in, 20/30/50 % (sd < 0.6 points).
    expect(outside / viewers.length).toBeGreaterThan(0.58);
    expect(outside / viewers.length).toBeLessThan(0.62);
    const inside = viewers.length - outside;
    [0.2, 0.3, 0.5].forEach((share, arm) => expect(Math.abs(counts[arm] / inside - share)).toBeLessThan(0.025));
  });

  it("re-randomises with a new salt, and more traffic adds viewers without moving any", () => {
    let same = 0;
    for (const v of viewers.slice(0, 2000)) if (assignArm("a", v, 100, [50, 50]) === assignArm("b", v, 100, [50, 50])) same++;
    expect(same / 2000).toBeGreaterThan(0.45);
    expect(same / 2000).toBeLessThan(0.55);
    for (const v of viewers.slice(0, 2000)) {
      const at10 = assignArm("a", v, 10, [50, 50]);
      if (at10 !== null) expect(assignArm("a", v, 60, [50, 50])).toBe(at10);
    }
  });
});
