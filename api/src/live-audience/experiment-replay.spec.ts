import { Random } from "../engine/synthetic/random";
import { aaReplications, hashedHalf, replayExperiment, type LoggedSession } from "./experiment-replay";

/** Sessions of `viewers` viewers with their own play rates (clustered, as real viewers are); `lift(profile)` multiplies a viewer's rate. */
function sessions(n: number, viewers: number, seed: number, lift: (profileId: string) => number = () => 1): LoggedSession[] {
  const rng = new Random(seed);
  const rate = Array.from({ length: viewers }, () => 0.08 * rng.gamma(0.8));
  const out: LoggedSession[] = [];
  for (let i = 0; i < n; i++) {
    const v = rng.int(viewers);
    const profileId = `p-${v}`;
    const impressions = 5 + rng.int(16);
    const p = Math.min(1, rate[v] * lift(profileId));
    let plays = 0;
    for (let k = 0; k < impressions; k++) if (rng.float() < p) plays++;
    out.push({ profileId, at: i * 1000, impressions, plays });
  }
  return out;
}

describe("replayExperiment", () => {
  it("looks every peekEvery sessions and keeps each viewer's cumulative outcome once", () => {
    const logged = sessions(1050, 200, 1);
    const result = replayExperiment(logged, hashedHalf("s"), { peekEvery: 100, alpha: 0.05 });
    expect(result.looks.map((l) => l.sessions)).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    // The always-valid p-value never rises between looks.
    for (let i = 1; i < result.looks.length; i++) expect(result.looks[i].sequentialP).toBeLessThanOrEqual(result.looks[i - 1].sequentialP);
    // Final rates are the per-arm sums of plays over impressions.
    const byArm = [0, 0, 0, 0];
    for (const s of logged) {
      const arm = hashedHalf("s")(s.profileId)!;
      byArm[2 * arm] += s.plays;
      byArm[2 * arm + 1] += s.impressions;
    }
    expect(result.final.difference).toBeCloseTo(byArm[2] / byArm[3] - byArm[0] / byArm[1], 12);
  });

  it("leaves viewers outside the experiment out", () => {
    const logged = sessions(500, 100, 2);
    const result = replayExperiment(logged, (p) => (p.endsWith("7") ? null : hashedHalf("x")(p)), { peekEvery: 50, alpha: 0.05 });
    const inside = logged.filter((s) => !s.profileId.endsWith("7")).length;
    expect(result.looks.length).toBe(Math.floor(inside / 50));
  });

  it("declares a real difference (treatment plays twice as often) at p < 0.01, with the right sign", () => {
    const half = hashedHalf("ab");
    const logged = sessions(4000, 600, 3, (p) => (half(p) === 1 ? 2 : 1));
    const result = replayExperiment(logged, half, { peekEvery: 100, alpha: 0.01 });
    expect(result.declaredAt).not.toBeNull();
    expect(result.final.difference).toBeGreaterThan(0);
    expect(result.final.low).toBeGreaterThan(0);
  });
});

describe("aaReplications", () => {
  it("keeps the share of A/A splits that ever declare a difference near alpha however often one peeks, where naive peeking does not", () => {
    const logged = sessions(3000, 500, 4);
    const result = aaReplications(logged, 300, { peekEvery: 100, alpha: 0.05 });
    expect(result.looksPerReplication).toBe(30);
    expect(result.declared / result.replications).toBeLessThanOrEqual(0.065);
    expect(result.naiveDeclared).toBeGreaterThan(2 * result.declared);
    expect(result.naiveDeclared / result.replications).toBeGreaterThan(0.1);
  });
});
