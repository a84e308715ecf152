import { SingleBar } from "cli-progress";

/**
 * A progress bar with rate and ETA on a terminal (stderr), plain phase lines otherwise (CI
 * logs, pipes). `total` and `value` are in the unit named, e.g. bytes of input or events.
 */
export class TerminalProgress {
  private bar?: SingleBar;
  private readonly tty = Boolean(process.stderr.isTTY);
  private started = 0;

  start(label: string, total: number, unit: "MB" | "events"): void {
    this.started = Date.now();
    if (!this.tty) {
      console.error(`${label}...`);
      return;
    }
    const scale = unit === "MB" ? 1 / 1e6 : 1;
    this.bar = new SingleBar({
      format: `${label} [{bar}] {percentage}% | {shown}/{total_shown} ${unit} | {events} events | {rate} events/s | ETA {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 30,
    });
    this.bar.start(total, 0, { shown: "0", total_shown: (total * scale).toFixed(unit === "MB" ? 1 : 0), events: 0, rate: 0 });
    this.scale = scale;
    this.unit = unit;
  }

  private scale = 1;
  private unit: "MB" | "events" = "events";

  update(value: number, events: number): void {
    if (!this.bar) return;
    const seconds = Math.max(0.001, (Date.now() - this.started) / 1000);
    this.bar.update(value, {
      shown: (value * this.scale).toFixed(this.unit === "MB" ? 1 : 0),
      events: events.toLocaleString("en-US"),
      rate: Math.round(events / seconds).toLocaleString("en-US"),
    });
  }

  stop(message?: string): void {
    this.bar?.stop();
    this.bar = undefined;
    if (message) console.error(message);
  }
}
