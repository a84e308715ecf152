import type { DataSource, EntityManager } from "typeorm";
import { isMissingPartition, type TimePartitions } from "../database/time-partitions";
import { BadUserInputError, NotFoundError, atIndex } from "../common/errors";
import { pgArray } from "../database/pg-array";
import { parseMovieId, parseProfileId } from "../common/ids";
import { MAX_POSITION_SECONDS, storableFraction, storableSeconds } from "../common/real";
import type { EventWeights } from "./event-weights";
import { INTERACTION_TYPES, InteractionType } from "./interaction-type";
import { Interaction } from "./interaction.entity";
import { upsertScoreDeltas, rebuildInteractionScores, type RebuildResult } from "./interaction-score.repository";
import type { LogInteractionInput } from "./log-interaction.input";
import { listAddedTitles } from "../my-list/my-list.repository";
import { aggregateScoreDeltas } from "./score-aggregation";
import { checkServedTo, decodeServingId } from "../impressions/attribution";
import { settleImpressionOutcomes } from "../impressions/impression.repository";
import type { RowKind } from "../recommendations/row-kind";
import type { ServedRecommendation, ServingIdSigner } from "../recommendations/serving-ids";

export interface InteractionServiceOptions {
  readonly weights: EventWeights;
  /** Largest accepted batch (1,000). */
  readonly maxBatchSize: number;
  /** How far in the future occurredAt may be (client clock skew), ms. */
  readonly maxClockSkewMs: number;
  /** Decodes the recommendationId an event may carry. */
  readonly servingIds: ServingIdSigner;
  /** A click or play counts for an impression within this long after it was shown, ms. */
  readonly attributionWindowMs: number;
  /** Makes the monthly partitions of event times that have none (InteractionPartitions). */
  readonly partitions?: Pick<TimePartitions, "ensure">;
  /** Told, after each commit, the row kind and type of every new event that came from a recommended card (Prometheus). */
  readonly onAttributed?: (events: readonly { rowKind: RowKind; type: InteractionType }[]) => void;
}

/** A validated event, ready for SQL. */
interface PendingEvent {
  readonly profileId: string;
  readonly movieId: number;
  readonly type: InteractionType;
  readonly weight: number;
  readonly progress: number | null;
  readonly positionSeconds: number | null;
  readonly occurredAt: Date;
  readonly clientEventId: string | null;
  /** What the recommendationId the event carried says (null: not from a recommended card). */
  readonly served: ServedRecommendation | null;
}

interface InteractionRow {
  id: string;
  profile_id: string;
  movie_id: number;
  type: InteractionType;
  weight: number;
  progress: number | null;
  position_seconds: number | null;
  occurred_at: Date;
  received_at: Date;
  client_event_id: string | null;
  rec_served_at: Date | null;
  rec_row_kind: RowKind | null;
  rec_row_position: number | null;
}

interface QueuedEvent {
  readonly event: PendingEvent;
  resolve(stored: Interaction): void;
  reject(error: unknown): void;
}

/** Coalesced writes of single events running at once (each holds one pooled connection). */
const MAX_WRITES_IN_FLIGHT = 4;

const RETURNED_COLUMNS = "id, profile_id, movie_id, type, weight, progress, position_seconds, occurred_at, received_at, client_event_id, rec_served_at, rec_row_kind, rec_row_position";
const MAX_CLIENT_EVENT_ID = 128;

function interactionFromRow(row: InteractionRow): Interaction {
  const interaction = new Interaction();
  interaction.id = String(row.id);
  interaction.profileId = row.profile_id;
  interaction.movieId = Number(row.movie_id);
  interaction.type = row.type;
  interaction.weight = Number(row.weight);
  interaction.progress = row.progress === null ? null : Number(row.progress);
  interaction.positionSeconds = row.position_seconds === null ? null : Number(row.position_seconds);
  interaction.occurredAt = row.occurred_at;
  interaction.receivedAt = row.received_at;
  interaction.clientEventId = row.client_event_id;
  return interaction;
}

/** A resent event's claim of its client event id, with the stored event (all null when it is gone). */
interface ClaimRow extends Omit<InteractionRow, "id"> {
  id: string | null;
  key_profile_id: string;
  key_client_event_id: string;
  claimed_id: string;
}

/**
 * Validates and stores events. A call is one transaction: the events (one statement that claims
 * their client event ids in interaction_client_ids and inserts those that claimed one, or had
 * none) and their score-matrix upsert (one multi-row statement)
 * commit together or not at all. Nothing is written until every element has passed.
 */
export class InteractionService {
  /** Single events waiting for the next coalesced write. */
  private queue: QueuedEvent[] = [];
  private writesInFlight = 0;
  private flushScheduled = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: InteractionServiceOptions,
  ) {}

  get weights(): EventWeights {
    return this.options.weights;
  }

  /**
   * Stores one event. Concurrent calls are coalesced: events that arrive while earlier writes
   * are in flight go to Postgres together, in one transaction (one multi-row INSERT and one
   * upsert), so a burst of single calls costs a few statements instead of several per event.
   * Each call still resolves only after the commit that holds its event, and fails alone: an
   * event whose profile or movie is unknown is refused without touching its neighbours.
   */
  async log(input: LogInteractionInput): Promise<Interaction> {
    const event = this.validate(input, undefined, Date.now());
    return new Promise<Interaction>((resolve, reject) => {
      this.queue.push({ event, resolve, reject });
      this.scheduleFlush();
    });
  }

  async logBatch(inputs: readonly LogInteractionInput[]): Promise<Interaction[]> {
    if (inputs.length > this.options.maxBatchSize) {
      throw new BadUserInputError(
        `A batch holds at most ${this.options.maxBatchSize} events; this one has ${inputs.length}. Split it and send the parts in order.`,
        { field: "inputs" },
      );
    }
    if (inputs.length === 0) return [];
    return this.storeBatch(inputs);
  }

  /** Recomputes interaction_scores from interactions with the weights in event_weights. */
  rebuildScores(): Promise<RebuildResult> {
    return rebuildInteractionScores(this.dataSource);
  }

  private validate(input: LogInteractionInput, index: number | undefined, now: number): PendingEvent {
    const at = atIndex(index);
    const profileId = parseProfileId(String(input.profileId), { index });
    const movieId = parseMovieId(input.movieId, { index });
    if (!INTERACTION_TYPES.includes(input.type)) {
      throw new BadUserInputError(`${at}type "${String(input.type)}" is not one of ${INTERACTION_TYPES.join(", ")}`, { index, field: "type" });
    }
    const rawProgress = input.progress ?? null;
    if (rawProgress !== null && !(Number.isFinite(rawProgress) && rawProgress >= 0 && rawProgress <= 1)) {
      throw new BadUserInputError(`${at}progress must be a fraction between 0 and 1 (got ${rawProgress}); send position/duration`, { index, field: "progress" });
    }
    const progress = rawProgress === null ? null : storableFraction(rawProgress);
    const rawPosition = input.positionSeconds ?? null;
    if (rawPosition !== null && !(Number.isFinite(rawPosition) && rawPosition >= 0 && rawPosition <= MAX_POSITION_SECONDS)) {
      throw new BadUserInputError(`${at}positionSeconds must be between 0 and ${MAX_POSITION_SECONDS} (got ${rawPosition})`, { index, field: "positionSeconds" });
    }
    const positionSeconds = rawPosition === null ? null : storableSeconds(rawPosition);
    const occurredAt = input.occurredAt ?? new Date(now);
    if (Number.isNaN(occurredAt.getTime())) {
      throw new BadUserInputError(`${at}occurredAt is not a valid time`, { index, field: "occurredAt" });
    }
    if (occurredAt.getTime() > now + this.options.maxClockSkewMs) {
      throw new BadUserInputError(
        `${at}occurredAt ${occurredAt.toISOString()} is in the future (server time ${new Date(now).toISOString()}, ` +
          `${Math.round(this.options.maxClockSkewMs / 1000)} s of clock skew allowed): send the client's time of the event, or omit it`,
        { index, field: "occurredAt" },
      );
    }
    const clientEventId = input.clientEventId ?? null;
    if (clientEventId !== null && (clientEventId.length === 0 || clientEventId.length > MAX_CLIENT_EVENT_ID)) {
      throw new BadUserInputError(`${at}clientEventId must be 1..${MAX_CLIENT_EVENT_ID} characters`, { index, field: "clientEventId" });
    }
    let served: ServedRecommendation | null = null;
    if (input.recommendationId !== null && input.recommendationId !== undefined) {
      served = decodeServingId(this.options.servingIds, input.recommendationId, { index });
      if (served.movieId !== movieId) {
        throw new BadUserInputError(`${at}recommendationId was served for movie ${served.movieId}, not ${movieId}: send the id of the card the event is about`, {
          index,
          field: "recommendationId",
        });
      }
      checkServedTo(served, profileId, { index });
    }
    return { profileId, movieId, type: input.type, weight: this.options.weights[input.type], progress, positionSeconds, occurredAt, clientEventId, served };
  }

  /** Which of the events' profiles and movies exist: one indexed read for the whole set. */
  private async knownReferences(events: readonly PendingEvent[]): Promise<{ profiles: Set<string>; movies: Set<number> }> {
    const [row] = (await this.dataSource.query(
      `SELECT (SELECT coalesce(array_agg(id::text), '{}') FROM profiles WHERE id = ANY($1::uuid[])) AS profiles,
              (SELECT coalesce(array_agg(id), '{}') FROM movies WHERE id = ANY($2::int[])) AS movies`,
      [[...new Set(events.map((e) => e.profileId))], [...new Set(events.map((e) => e.movieId))]],
    )) as { profiles: string[]; movies: number[] }[];
    return { profiles: new Set(row.profiles), movies: new Set(row.movies.map(Number)) };
  }

  /** The NOT_FOUND error for an event whose profile or movie does not exist, else null. */
  private missingReference(event: PendingEvent, known: { profiles: Set<string>; movies: Set<number> }, index: number | undefined): NotFoundError | null {
    if (!known.profiles.has(event.profileId)) {
      return new NotFoundError(`${atIndex(index)}no profile has id ${event.profileId}: create it with createProfile, or list them with profiles`, {
        index,
        field: "profileId",
      });
    }
    if (!known.movies.has(event.movieId)) {
      return new NotFoundError(`${atIndex(index)}no movie has id ${event.movieId}: ids come from the movies query`, { index, field: "movieId" });
    }
    return null;
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.queue.length === 0 || this.writesInFlight >= MAX_WRITES_IN_FLIGHT) return;
    this.flushScheduled = true;
    // Let the events of this turn of the event loop join the same write.
    setImmediate(() => {
      this.flushScheduled = false;
      while (this.queue.length > 0 && this.writesInFlight < MAX_WRITES_IN_FLIGHT) {
        const items = this.queue.splice(0, this.options.maxBatchSize);
        this.writesInFlight += 1;
        void this.writeCoalesced(items).finally(() => {
          this.writesInFlight -= 1;
          this.scheduleFlush();
        });
      }
    });
  }

  private async writeCoalesced(items: readonly QueuedEvent[]): Promise<void> {
    let failure: unknown;
    try {
      const stored = await this.writeTransaction(items.map((item) => item.event));
      items.forEach((item, i) => item.resolve(stored[i]));
      return;
    } catch (error) {
      failure = error;
    }
    if (items.length === 1 && !isMissingReference(failure)) {
      items[0].reject(failure);
      return;
    }
    // Nothing was stored. An unknown profile or movie (the foreign keys refused it) fails alone
    // with its NOT_FOUND; the others are written again, together, else one by one.
    let accepted: readonly QueuedEvent[] = items;
    if (isMissingReference(failure)) {
      try {
        const known = await this.knownReferences(items.map((item) => item.event));
        accepted = items.filter((item) => {
          const missing = this.missingReference(item.event, known, undefined);
          if (missing) item.reject(missing);
          return !missing;
        });
      } catch (error) {
        items.forEach((item) => item.reject(error));
        return;
      }
      if (accepted.length === 0) return;
      try {
        const stored = await this.writeTransaction(accepted.map((item) => item.event));
        accepted.forEach((item, i) => item.resolve(stored[i]));
        return;
      } catch (error) {
        if (accepted.length === 1) {
          accepted[0].reject(referenceError(error));
          return;
        }
      }
    }
    // One event spoiled the shared transaction: let each succeed or fail alone.
    for (const item of accepted) {
      try {
        item.resolve((await this.writeTransaction([item.event]))[0]);
      } catch (single) {
        item.reject(referenceError(single));
      }
    }
  }

  /**
   * The events and their score upsert in one transaction. The foreign keys are the check that
   * every profile and movie exists (no read before the write); a violation (23503) rolls it all back
   * and is rethrown as it is, for the caller to name the offending event.
   */
  private async writeTransaction(events: readonly PendingEvent[]): Promise<Interaction[]> {
    const { stored, inserted } = await this.insertTransaction(events).catch(async (error: unknown) => {
      if (!isMissingPartition(error) || !this.options.partitions) throw error;
      // An event of a month no partition was made for (queued offline for long): nothing was
      // stored; make the month's partition and write the events again.
      await this.options.partitions.ensure(events.map((e) => e.occurredAt.getTime()));
      return this.insertTransaction(events);
    });
    const attributed = inserted.filter((row) => row.rec_row_kind !== null);
    if (attributed.length > 0) this.options.onAttributed?.(attributed.map((row) => ({ rowKind: row.rec_row_kind!, type: row.type })));
    return stored;
  }

  private insertTransaction(events: readonly PendingEvent[]): Promise<{ stored: Interaction[]; inserted: InteractionRow[] }> {
    return this.dataSource.transaction((manager) => this.insert(manager, events));
  }

  /** A client's batch: every element valid and known, or nothing is written. */
  private async storeBatch(inputs: readonly LogInteractionInput[]): Promise<Interaction[]> {
    const now = Date.now();
    const events = inputs.map((input, i) => this.validate(input, i, now));
    try {
      return await this.writeTransaction(events);
    } catch (error) {
      if (!isMissingReference(error)) throw error;
      // Rolled back: name the first element whose profile or movie does not exist.
      const known = await this.knownReferences(events);
      events.forEach((event, i) => {
        const missing = this.missingReference(event, known, i);
        if (missing) throw missing;
      });
      throw referenceError(error);
    }
  }

  /** Stores the events (`depth`: 1 when storing anew the events of stale claims). */
  private async insert(manager: EntityManager, events: readonly PendingEvent[], depth = 0): Promise<{ stored: Interaction[]; inserted: InteractionRow[] }> {
    const column = <T>(pick: (e: PendingEvent) => T): T[] => events.map(pick);
    // Each event takes its id up front; an event with a client event id is stored only if it
    // claims that id in interaction_client_ids (the partitioned log cannot hold a unique key
    // without its partition key). A resend, earlier or in this very batch, claims nothing.
    const inserted: InteractionRow[] = await manager.query(
      `WITH input AS MATERIALIZED (
         SELECT nextval('interactions_id_seq') AS id, u.*
         FROM unnest($1::uuid[], $2::int[], $3::interaction_type[], $4::real[], $5::real[], $6::real[], $7::timestamptz[], $8::text[],
                     $9::timestamptz[], $10::surface[], $11::row_kind[], $12::smallint[], $13::smallint[], $14::int[], $15::int[], $16::smallint[], $17::real[])
              WITH ORDINALITY AS u (profile_id, movie_id, type, weight, progress, position_seconds, occurred_at, client_event_id,
                                    rec_served_at, rec_surface, rec_row_kind, rec_row_position, rec_item_position, rec_model_id, rec_experiment_id, rec_arm, rec_propensity, ord)),
       claimed AS (
         INSERT INTO interaction_client_ids (profile_id, client_event_id, interaction_id, occurred_at)
         SELECT profile_id, client_event_id, id, occurred_at FROM input WHERE client_event_id IS NOT NULL ORDER BY ord
         ON CONFLICT DO NOTHING
         RETURNING interaction_id)
       INSERT INTO interactions (id, profile_id, movie_id, type, weight, progress, position_seconds, occurred_at, client_event_id,
                                 rec_served_at, rec_surface, rec_row_kind, rec_row_position, rec_item_position, rec_model_id, rec_experiment_id, rec_arm, rec_propensity)
       SELECT id, profile_id, movie_id, type, weight, progress, position_seconds, occurred_at, client_event_id,
              rec_served_at, rec_surface, rec_row_kind, rec_row_position, rec_item_position, rec_model_id, rec_experiment_id, rec_arm, rec_propensity
       FROM input WHERE client_event_id IS NULL OR id IN (SELECT interaction_id FROM claimed)
       ORDER BY ord
       RETURNING ${RETURNED_COLUMNS}`,
      [
        pgArray(column((e) => e.profileId), true),
        pgArray(column((e) => e.movieId)),
        pgArray(column((e) => e.type), true),
        pgArray(column((e) => e.weight)),
        pgArray(column((e) => e.progress)),
        pgArray(column((e) => e.positionSeconds)),
        pgArray(column((e) => e.occurredAt)),
        pgArray(column((e) => e.clientEventId)),
        pgArray(column((e) => (e.served ? new Date(e.served.servedAt) : null))),
        pgArray(column((e) => e.served?.surface ?? null)),
        pgArray(column((e) => e.served?.rowKind ?? null)),
        pgArray(column((e) => e.served?.rowPosition ?? null)),
        pgArray(column((e) => e.served?.itemPosition ?? null)),
        pgArray(column((e) => e.served?.modelId ?? null)),
        pgArray(column((e) => e.served?.experimentId ?? null)),
        pgArray(column((e) => e.served?.arm ?? null)),
        pgArray(column((e) => e.served?.propensity ?? null)),
      ],
    );

    // RETURNING yields the inserted rows in input order; skipped rows (client event id already
    // stored, earlier or in this very batch) are absent. Walk both lists together, checking.
    const results: (Interaction | undefined)[] = new Array(events.length);
    const duplicates: number[] = [];
    let next = 0;
    events.forEach((event, i) => {
      const row = inserted[next];
      const matches =
        row !== undefined &&
        row.profile_id === event.profileId &&
        Number(row.movie_id) === event.movieId &&
        row.type === event.type &&
        row.client_event_id === event.clientEventId;
      if (matches) {
        results[i] = interactionFromRow(row);
        next += 1;
      } else if (event.clientEventId !== null) {
        duplicates.push(i);
      } else {
        throw new Error(`Stored events came back out of order at input ${i}; the transaction is rolled back`);
      }
    });
    if (next !== inserted.length) throw new Error("Stored events did not match the batch; the transaction is rolled back");

    let restored: InteractionRow[] = [];
    if (duplicates.length > 0) {
      // The stored event of each resent client event id (visible now: a concurrent claim was waited for).
      const existing: ClaimRow[] = await manager.query(
        `SELECT c.profile_id AS key_profile_id, c.client_event_id AS key_client_event_id, c.interaction_id AS claimed_id,
                ${RETURNED_COLUMNS.split(", ").map((name) => `i.${name}`).join(", ")}
         FROM interaction_client_ids c LEFT JOIN interactions i ON i.id = c.interaction_id AND i.occurred_at = c.occurred_at
         WHERE (c.profile_id, c.client_event_id) IN (SELECT * FROM unnest($1::uuid[], $2::text[]))`,
        [duplicates.map((i) => events[i].profileId), duplicates.map((i) => events[i].clientEventId)],
      );
      const byKey = new Map(existing.map((row) => [`${row.key_profile_id}|${row.key_client_event_id}`, row]));
      const stale: number[] = [];
      for (const i of duplicates) {
        const row = byKey.get(`${events[i].profileId}|${events[i].clientEventId}`);
        if (!row) throw new Error(`Event ${i} was neither stored nor found by its client event id`);
        if (row.id === null) stale.push(i);
        else results[i] = interactionFromRow({ ...row, id: row.id });
      }
      if (stale.length > 0) {
        // A claim whose event is gone (deleted with its movie, or by hand; retention forgets the
        // claims of the months it drops): forget it and store the event anew. Conditional on the
        // claimed id, so a concurrent resend that re-claimed it first wins and this one dedupes.
        if (depth > 0) throw new Error("A client event id was claimed again by an event that is gone; the transaction is rolled back");
        const claims = stale.map((i) => byKey.get(`${events[i].profileId}|${events[i].clientEventId}`)!);
        await manager.query(
          `DELETE FROM interaction_client_ids c USING unnest($1::uuid[], $2::text[], $3::bigint[]) AS k (profile_id, client_event_id, interaction_id)
           WHERE c.profile_id = k.profile_id AND c.client_event_id = k.client_event_id AND c.interaction_id = k.interaction_id`,
          [claims.map((c) => c.key_profile_id), claims.map((c) => c.key_client_event_id), claims.map((c) => c.claimed_id)],
        );
        const again = await this.insert(manager, stale.map((i) => events[i]), depth + 1);
        stale.forEach((i, j) => (results[i] = again.stored[j]));
        restored = again.inserted;
      }
    }

    // An ADD_TO_LIST event also puts the title on My List, in the same transaction.
    await listAddedTitles(
      manager,
      inserted.filter((row) => row.type === InteractionType.ADD_TO_LIST).map((row) => ({ profileId: row.profile_id, movieId: Number(row.movie_id), occurredAt: row.occurred_at })),
    );
    // An event from a recommended card settles its impression's click, play or finish.
    await settleImpressionOutcomes(
      manager,
      inserted
        .filter((row) => row.rec_served_at !== null)
        .map((row) => ({
          profileId: row.profile_id,
          movieId: Number(row.movie_id),
          type: row.type,
          occurredAt: row.occurred_at,
          servedAt: row.rec_served_at!,
          rowPosition: row.rec_row_position!,
        })),
      this.options.attributionWindowMs,
    );
    await upsertScoreDeltas(
      manager,
      aggregateScoreDeltas(
        inserted.map((row) => ({
          id: String(row.id),
          profileId: row.profile_id,
          movieId: Number(row.movie_id),
          type: row.type,
          weight: Number(row.weight),
          progress: row.progress === null ? null : Number(row.progress),
          occurredAt: row.occurred_at,
        })),
      ),
    );
    return { stored: results as Interaction[], inserted: [...inserted, ...restored] };
  }
}

/** A foreign key refused the write: a profile or movie of the events does not exist (any more). */
function isMissingReference(error: unknown): boolean {
  return (error as { code?: string } | undefined)?.code === "23503";
}

/** What the client is told when the foreign keys refused a write whose events all looked known a moment before. */
function referenceError(error: unknown): unknown {
  return isMissingReference(error) ? new NotFoundError("A profile or movie of these events was deleted meanwhile; nothing was stored") : error;
}
