import type { Logger } from "pino";
import { NoAnonymousSessionError, RateLimitedError } from "../common/errors";
import type { KeyedLimit } from "../rate-limits/rate-limits";
import type { Profile } from "./profile.entity";
import type { ProfileService } from "./profile.service";

export interface AnonymousProfileSettings {
  /** Days an anonymous profile lives unless claimed (`MARQUEE_ANONYMOUS_TTL_DAYS`, default 30). */
  readonly ttlDays: number;
  /** anonymousSession's per-IP limit; undefined: no limit. */
  readonly limit?: KeyedLimit;
  /** How often expired anonymous profiles are deleted (default hourly; also once at start). */
  readonly sweepEveryMs?: number;
  readonly logger?: Logger;
}

/**
 * Visitors without a profile: anonymousSession makes an ephemeral profile (flagged anonymous,
 * hidden from `profiles`, expiring), claimProfile names it in place, and a sweep deletes the
 * expired ones with everything they logged. Every API process sweeps; deleting the same rows
 * twice is harmless (SKIP LOCKED keeps two sweeps off each other's batches).
 */
export class AnonymousProfileService {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly profiles: ProfileService,
    private readonly settings: AnonymousProfileSettings,
  ) {}

  /** A new anonymous profile for the caller at `clientIp`, within its per-IP limit. */
  async start(clientIp: string): Promise<Profile> {
    const { limit } = this.settings;
    if (limit) {
      const decision = await limit.hit(clientIp);
      if (!decision.allowed) {
        throw new RateLimitedError(
          `Too many anonymous sessions from this address (limit: ${limit.perMinute} a minute). Retry after ${decision.retryAfterSeconds} s, or pick a profile.`,
          decision.retryAfterSeconds,
        );
      }
    }
    return this.profiles.createAnonymous(this.settings.ttlDays);
  }

  /** Names the session's anonymous profile `name`, keeping its id. */
  async claim(sessionProfileId: string | undefined, name: string): Promise<Profile> {
    if (sessionProfileId === undefined) {
      throw new NoAnonymousSessionError("claimProfile needs an anonymous session: call anonymousSession first (its cookie or bearer token names the profile to claim).");
    }
    const claimed = await this.profiles.claim(sessionProfileId, name);
    if (!claimed) {
      throw new NoAnonymousSessionError(
        "This session's profile is not anonymous (already claimed, a named profile, or expired): only an anonymousSession's profile can be claimed.",
      );
    }
    return claimed;
  }

  /** Deletes the expired anonymous profiles now; returns how many went. */
  async sweep(): Promise<number> {
    const deleted = await this.profiles.deleteExpiredAnonymous();
    if (deleted > 0) this.settings.logger?.info({ deleted }, "Deleted expired anonymous profiles with their events, scores, impressions and My List");
    return deleted;
  }

  /** Sweeps now and then every `sweepEveryMs`; failures are logged and retried at the next tick. */
  startSweeping(): void {
    if (this.timer) return;
    const tick = () => void this.sweep().catch((error: unknown) => this.settings.logger?.warn({ err: error }, "Anonymous profile sweep failed; retrying at the next one"));
    tick();
    this.timer = setInterval(tick, this.settings.sweepEveryMs ?? 3_600_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
