import type { ApolloServerPlugin } from "@apollo/server";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { GraphQLContext } from "../graphql/context";
import type { ModelServer } from "../models/model-server";

/** Mutations whose result lists (or is) the events they stored. */
const INGESTING_FIELDS = new Set(["logInteraction", "logInteractions", "chooseFavorites"]);

/**
 * The Prometheus metrics of one API instance, on their own registry (tests run several apps in
 * one process, so the global default registry would collide).
 */
export class MarqueeMetrics {
  readonly registry = new Registry();
  private readonly requestSeconds = new Histogram({
    name: "marquee_graphql_request_duration_seconds",
    help: "GraphQL request latency by operation name and outcome.",
    labelNames: ["operation", "outcome"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly eventsIngested = new Counter({
    name: "marquee_events_ingested_total",
    help: "Interaction events acknowledged (committed) through the API, by mutation.",
    labelNames: ["mutation"] as const,
    registers: [this.registry],
  });
  readonly impressionsStored = new Counter({
    name: "marquee_impressions_total",
    help: "Impressions stored (new, not duplicates) through logImpressions, by row kind.",
    labelNames: ["row_kind"] as const,
    registers: [this.registry],
  });
  readonly attributedEvents = new Counter({
    name: "marquee_attributed_events_total",
    help: "Events stored with a recommendationId (from a recommended card), by row kind and event type.",
    labelNames: ["row_kind", "type"] as const,
    registers: [this.registry],
  });
  private readonly modelVersion = new Gauge({
    name: "marquee_model_version",
    help: "Id of the model serving this process (0 before the first).",
    registers: [this.registry],
  });
  private readonly trainingSeconds = new Histogram({
    name: "marquee_model_training_duration_seconds",
    help: "Training time of the models this process switched to.",
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800],
    registers: [this.registry],
  });
  private readonly onSwitch: () => void;

  constructor(private readonly models: ModelServer) {
    collectDefaultMetrics({ register: this.registry, prefix: "marquee_" });
    // Computed at scrape time, so the age is current without a timer.
    new Gauge({
      name: "marquee_model_age_seconds",
      help: "Seconds since the serving model was trained (-1 before the first).",
      registers: [this.registry],
      collect() {
        const record = models.current?.record;
        const trained = record?.trainedAt ?? record?.createdAt;
        this.set(trained ? (Date.now() - new Date(trained).getTime()) / 1000 : -1);
      },
    });
    this.onSwitch = () => this.observeModel(true);
    models.on("switched", this.onSwitch);
    this.observeModel(false);
  }

  private observeModel(switched: boolean): void {
    const record = this.models.current?.record;
    this.modelVersion.set(record ? Number(record.id) : 0);
    if (switched && record?.trainingSeconds != null) this.trainingSeconds.observe(record.trainingSeconds);
  }

  /** Apollo plugin: latency per operation, events per ingesting mutation. */
  plugin(): ApolloServerPlugin<GraphQLContext> {
    const requestSeconds = this.requestSeconds;
    // Operation names come from clients: cap the label set so a client cannot grow it without bound.
    const seen = new Set<string>();
    const labelFor = (name: string): string => {
      const label = name.slice(0, 64);
      if (seen.has(label)) return label;
      if (seen.size >= 200) return "other";
      seen.add(label);
      return label;
    };
    const eventsIngested = this.eventsIngested;
    return {
      async requestDidStart() {
        const started = process.hrtime.bigint();
        return {
          async executionDidStart({ operation }) {
            // Only mutations ingest events; hooking every field of a query would slow it down.
            if (operation.operation !== "mutation") return;
            return {
              willResolveField({ info, args }) {
                if (info.parentType.name !== "Mutation" || !INGESTING_FIELDS.has(info.fieldName)) return;
                // chooseFavorites returns recommendations, not events: count its input instead.
                const favorites = Array.isArray(args.movieIds) ? args.movieIds.length : 0;
                return (error, result) => {
                  if (error) return;
                  const events =
                    info.fieldName === "logInteraction" ? 1 : info.fieldName === "chooseFavorites" ? favorites : Array.isArray(result) ? result.length : 0;
                  if (events > 0) eventsIngested.inc({ mutation: info.fieldName }, events);
                };
              },
            };
          },
          async willSendResponse({ operationName, operation, errors }) {
            const seconds = Number(process.hrtime.bigint() - started) / 1e9;
            const name = operationName ?? operation?.name?.value ?? (operation ? `anonymous ${operation.operation}` : "invalid");
            requestSeconds.observe({ operation: labelFor(name), outcome: errors?.length ? "error" : "ok" }, seconds);
          },
        };
      },
    };
  }

  detach(): void {
    this.models.off("switched", this.onSwitch);
  }
}
