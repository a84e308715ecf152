/**
 * The simulated audience's HTTP client: the operations the web client sends (selectProfile, Home,
 * logImpressions, logInteractions), with its documents, plus the admin reads of the summary.
 * Loopback only: a simulator must never be pointed at someone else's server.
 */
import { isIP } from "node:net";
import type { ServedRow } from "./viewer-session";
import type { PlannedEvent, PlannedImpression } from "./viewer-session";

/**
 * The web client's Home document (web/src/modules/browse/graphql/home.query.ts with its
 * MovieCardFields fragment: the row id and the serving id it sends back with impressions and
 * events included). test/live-audience.test.ts checks it selects what the web's does.
 */
export const HOME_DOCUMENT = `
  query Home($profileId: ID!) {
    home(profileId: $profileId) {
      id
      title
      kind
      items {
        score
        reason
        progress
        recommendationId
        movie {
          ...MovieCardFields
        }
      }
    }
  }

  fragment MovieCardFields on Movie {
    id
    title
    year
    genres
    synopsis
    runtimeMinutes
    maturityRating
    posterUrl
    trailerUrl
  }
`;

const SELECT_PROFILE = `
  mutation SelectProfile($profileId: ID!) {
    selectProfile(profileId: $profileId) {
      token
      profile {
        id
        name
        avatarColor
      }
    }
  }
`;

const LOG_IMPRESSIONS = `
  mutation LogImpressions($inputs: [ImpressionInput!]!) {
    logImpressions(inputs: $inputs) {
      accepted
      duplicates
      expired
    }
  }
`;

const LOG_INTERACTIONS = `
  mutation LogInteractions($inputs: [LogInteractionInput!]!) {
    logInteractions(inputs: $inputs) {
      id
      clientEventId
    }
  }
`;

const ONLINE_METRICS = `
  query OnlineMetrics($since: DateTimeISO, $groupBy: [MetricDimension!]!) {
    onlineMetrics(since: $since, groupBy: $groupBy) {
      arm
      experimentId
      impressions
      viewers
      clicks
      plays
      watchedFull
      ctr
      ctrLow
      ctrHigh
      playRate
      playRateLow
      playRateHigh
      watchThroughRate
    }
  }
`;

export interface OnlineMetricRow {
  arm: string | null;
  experimentId: string | null;
  impressions: number;
  viewers: number;
  clicks: number;
  plays: number;
  watchedFull: number;
  ctr: number;
  ctrLow: number;
  ctrHigh: number;
  playRate: number;
  playRateLow: number;
  playRateHigh: number;
  watchThroughRate: number | null;
}

/** A GraphQL error answer, with the server's code. */
export class MarqueeRequestError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** The URL if its host is a loopback address (127.0.0.0/8, ::1, localhost); a RangeError otherwise. */
export function loopbackUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new RangeError(`--url ${raw} is not a URL (e.g. http://127.0.0.1:4000)`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const loopback = host === "localhost" || (isIP(host) === 4 && host.startsWith("127.")) || host === "::1";
  if (!loopback || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new RangeError(`--url ${raw} is not on this machine: the simulated audience only talks to a Marquee on a loopback address (127.0.0.1, ::1, localhost)`);
  }
  return url;
}

export class MarqueeClient {
  private readonly endpoint: string;
  /** Requests sent and failed, for the summary. */
  requests = 0;
  failures = 0;

  constructor(
    url: string,
    private readonly adminKey?: string,
  ) {
    const base = loopbackUrl(url);
    this.endpoint = new URL("graphql", base.href.endsWith("/") ? base.href : `${base.href}/`).href;
  }

  async request<T>(query: string, variables: Record<string, unknown>, auth: { token?: string; admin?: boolean } = {}): Promise<T> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (auth.token) headers.authorization = `Bearer ${auth.token}`;
    if (auth.admin && this.adminKey) headers["x-admin-key"] = this.adminKey;
    this.requests++;
    try {
      const res = await fetch(this.endpoint, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
      const body = (await res.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
      if (body.errors?.length) throw new MarqueeRequestError(body.errors[0].message, body.errors[0].extensions?.code);
      if (!body.data) throw new MarqueeRequestError(`HTTP ${res.status} without data`, undefined);
      return body.data;
    } catch (error) {
      this.failures++;
      throw error;
    }
  }

  async selectProfile(profileId: string): Promise<string> {
    const data = await this.request<{ selectProfile: { token: string } }>(SELECT_PROFILE, { profileId });
    return data.selectProfile.token;
  }

  async home(profileId: string, token: string): Promise<ServedRow[]> {
    const data = await this.request<{ home: { id: string; kind: string; items: { recommendationId: string; movie: { id: string } }[] }[] }>(HOME_DOCUMENT, { profileId }, { token });
    return data.home.map((row) => ({ id: row.id, kind: row.kind, items: row.items.map((i) => ({ movieId: i.movie.id, recommendationId: i.recommendationId })) }));
  }

  async logImpressions(impressions: readonly PlannedImpression[], token: string): Promise<void> {
    for (let at = 0; at < impressions.length; at += 5000) {
      const inputs = impressions.slice(at, at + 5000).map((i) => ({ ...i, shownAt: i.shownAt.toISOString() }));
      await this.request(LOG_IMPRESSIONS, { inputs }, { token });
    }
  }

  async logInteractions(events: readonly PlannedEvent[], token: string): Promise<void> {
    for (let at = 0; at < events.length; at += 1000) {
      const inputs = events.slice(at, at + 1000).map((e) => ({ ...e, occurredAt: e.occurredAt.toISOString() }));
      await this.request(LOG_INTERACTIONS, { inputs }, { token });
    }
  }

  /** Admin: onlineMetrics since `since` by `groupBy` (needs the admin key when the server enforces auth). */
  async onlineMetrics(since: Date, groupBy: string[]): Promise<OnlineMetricRow[]> {
    const data = await this.request<{ onlineMetrics: OnlineMetricRow[] }>(ONLINE_METRICS, { since: since.toISOString(), groupBy }, { admin: true });
    return data.onlineMetrics;
  }
}
