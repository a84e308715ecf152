/** When an arm's serving is bad enough to stop its experiment (`MARQUEE_GUARDRAIL_*`). */
export interface GuardrailSettings {
  /** p95 latency of the arm's requests above this (ms) breaks the guardrail. */
  readonly maxP95Ms: number;
  /** Share of the arm's requests that failed above this breaks it (0..1). */
  readonly maxErrorRate: number;
  /** No verdict before this many requests of the arm in the window. */
  readonly minRequests: number;
  /** The window: the arm's last this many requests. */
  readonly window: number;
}

export const DEFAULT_GUARDRAIL_SETTINGS: GuardrailSettings = { maxP95Ms: 2000, maxErrorRate: 0.05, minRequests: 50, window: 500 };

/**
 * One arm's recent requests in this process (a ring of the last `window`): latency and whether
 * it failed. Measured per process, since each process serves its own share of the arm; any one
 * that sees the arm break stops the experiment for all.
 */
export class ArmGuardrail {
  private readonly latencies: Float64Array;
  private readonly failed: Uint8Array;
  private next = 0;
  private size = 0;

  constructor(private readonly settings: GuardrailSettings) {
    this.latencies = new Float64Array(Math.max(1, settings.window));
    this.failed = new Uint8Array(Math.max(1, settings.window));
  }

  /** Records one request; returns why the arm breaks its guardrail now, or null. */
  record(latencyMs: number, failed: boolean): string | null {
    this.latencies[this.next] = latencyMs;
    this.failed[this.next] = failed ? 1 : 0;
    this.next = (this.next + 1) % this.latencies.length;
    this.size = Math.min(this.size + 1, this.latencies.length);
    return this.verdict();
  }

  verdict(): string | null {
    const { minRequests, maxErrorRate, maxP95Ms } = this.settings;
    if (this.size < Math.max(1, minRequests)) return null;
    let failures = 0;
    for (let i = 0; i < this.size; i++) failures += this.failed[i];
    const errorRate = failures / this.size;
    if (errorRate > maxErrorRate) return `error rate ${(errorRate * 100).toFixed(1)} % over its last ${this.size} requests is above ${(maxErrorRate * 100).toFixed(1)} %`;
    const p95 = this.p95();
    if (p95 > maxP95Ms) return `p95 latency ${p95.toFixed(1)} ms over its last ${this.size} requests is above ${maxP95Ms} ms`;
    return null;
  }

  /** The nearest-rank 95th percentile of the window's latencies. */
  p95(): number {
    if (this.size === 0) return 0;
    const sorted = Array.from(this.latencies.subarray(0, this.size)).sort((a, b) => a - b);
    return sorted[Math.min(this.size - 1, Math.ceil(0.95 * this.size) - 1)];
  }
}
