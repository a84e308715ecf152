import { atIndex, BadUserInputError } from "../common/errors";
import { actingProfile, type Viewer } from "../auth/viewer";
import type { RowKind } from "../recommendations/row-kind";
import type { ServingIdSigner } from "../recommendations/serving-ids";
import { checkServedTo, decodeServingId } from "./attribution";
import { isMissingPartition } from "../database/time-partitions";
import type { ImpressionPartitions } from "./impression-partitions";
import type { ImpressionInput, ImpressionReceipt } from "./impression.input";
import type { ImpressionRepository, ImpressionRow } from "./impression.repository";

export interface ImpressionServiceOptions {
  /** Largest accepted batch (5,000). */
  readonly maxBatchSize: number;
  readonly retentionDays: number;
  /** How far in the future shownAt may be (client clock skew), ms. */
  readonly maxClockSkewMs: number;
  /** Told, after each commit, how many new impressions of each row kind were stored (Prometheus). */
  readonly onStored?: (byRowKind: ReadonlyMap<RowKind, number>) => void;
}

const MAX_CLIENT_EVENT_ID = 128;
const DAY_MS = 86_400_000;


/**
 * Validates and stores impressions: a batch is all valid or nothing is stored. Each id must be
 * one this server issued, to this profile (or to no profile: More like this without a session);
 * ids older than the retention are counted as expired and dropped.
 */
export class ImpressionService {
  constructor(
    private readonly repo: ImpressionRepository,
    private readonly partitions: ImpressionPartitions,
    private readonly signer: ServingIdSigner,
    private readonly options: ImpressionServiceOptions,
  ) {}

  async log(viewer: Viewer, inputs: readonly ImpressionInput[]): Promise<ImpressionReceipt> {
    if (inputs.length > this.options.maxBatchSize) {
      throw new BadUserInputError(`A batch holds at most ${this.options.maxBatchSize} impressions; this one has ${inputs.length}. Split it.`, { field: "inputs" });
    }
    const now = Date.now();
    const oldest = now - this.options.retentionDays * DAY_MS;
    const keys = new Map<string, Buffer>();
    const rows: ImpressionRow[] = [];
    let expired = 0;
    inputs.forEach((input, index) => {
      if (viewer.enforced && !viewer.admin && viewer.profileId === undefined) actingProfile(viewer, null, { index }); // UNAUTHENTICATED
      const served = decodeServingId(this.signer, input.recommendationId, { index }, keys);
      // The id names its viewer: a session logs only its own (the admin key, or the open
      // development mode without a session, any). An id served to no one goes to the caller's profile.
      if (viewer.profileId !== undefined && !viewer.admin) checkServedTo(served, viewer.profileId, { index });
      const profileId = served.profileId ?? actingProfile(viewer, null, { index });
      const shownAt = input.shownAt ?? new Date(now);
      if (Number.isNaN(shownAt.getTime())) throw new BadUserInputError(`${atIndex(index)}shownAt is not a valid time`, { index, field: "shownAt" });
      if (shownAt.getTime() > now + this.options.maxClockSkewMs) {
        throw new BadUserInputError(`${atIndex(index)}shownAt ${shownAt.toISOString()} is in the future (server time ${new Date(now).toISOString()}): send the client's time, or omit it`, {
          index,
          field: "shownAt",
        });
      }
      const clientEventId = input.clientEventId ?? null;
      if (clientEventId !== null && (clientEventId.length === 0 || clientEventId.length > MAX_CLIENT_EVENT_ID)) {
        throw new BadUserInputError(`${atIndex(index)}clientEventId must be 1..${MAX_CLIENT_EVENT_ID} characters`, { index, field: "clientEventId" });
      }
      if (served.servedAt < oldest) {
        expired++;
        return;
      }
      rows.push({
        profileId,
        movieId: served.movieId,
        servedAt: new Date(served.servedAt),
        // Shown before it was served is clock skew: it was shown when it arrived at the earliest.
        shownAt: shownAt.getTime() < served.servedAt ? new Date(served.servedAt) : shownAt,
        surface: served.surface,
        rowKind: served.rowKind,
        rowPosition: served.rowPosition,
        itemPosition: served.itemPosition,
        modelId: served.modelId,
        experimentId: served.experimentId,
        arm: served.arm,
        propensity: served.propensity,
        clientEventId,
      });
    });
    const stored = rows.length === 0 ? new Map<RowKind, number>() : await this.store(rows);
    if (stored.size > 0) this.options.onStored?.(stored);
    const accepted = [...stored.values()].reduce((a, b) => a + b, 0);
    return { accepted, duplicates: rows.length - accepted, expired };
  }

  private async store(rows: readonly ImpressionRow[]): Promise<Map<RowKind, number>> {
    try {
      return await this.repo.insert(rows);
    } catch (error) {
      if (!isMissingPartition(error)) throw error;
      // An id served on a day the server made no partition for (a clock far off, a long pause).
      await this.partitions.ensure(rows.map((r) => r.servedAt.getTime()));
      return this.repo.insert(rows);
    }
  }
}
