import { ArmGuardrail } from "./guardrail";

describe("ArmGuardrail", () => {
  const settings = { maxP95Ms: 100, maxErrorRate: 0.1, minRequests: 20, window: 40 };

  it("gives no verdict before minRequests, then judges p95 latency", () => {
    const g = new ArmGuardrail(settings);
    for (let i = 0; i < 19; i++) expect(g.record(500, false)).toBeNull();
    expect(g.record(500, false)).toMatch(/p95 latency 500\.0 ms over its last 20 requests is above 100 ms/);
  });

  it("lets 5 % of slow requests through (p95) but not 10 %", () => {
    const g = new ArmGuardrail(settings);
    for (let i = 0; i < 38; i++) g.record(10, false);
    expect(g.record(1000, false)).toBeNull();
    expect(g.record(1000, false)).toBeNull(); // 2 of 40 = 5 %
    expect(g.record(1000, false)).toMatch(/p95/); // the ring dropped a fast one: 3 of 40
  });

  it("judges the error rate over the window", () => {
    const g = new ArmGuardrail(settings);
    for (let i = 0; i < 36; i++) g.record(1, false);
    for (let i = 0; i < 4; i++) expect(g.record(1, true)).toBeNull(); // 4 of 40 = 10 %: not above
    expect(g.record(1, true)).toMatch(/error rate 12\.5 %/);
  });
});
