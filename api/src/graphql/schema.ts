import { lexicographicSortSchema, printSchema, type GraphQLSchema } from "graphql";
import { buildSchema, type ContainerType, type ResolverData } from "type-graphql";
import { AdminResolver } from "../admin/admin.resolver";
import type { AdminService } from "../admin/admin.service";
import { SessionResolver } from "../auth/session.resolver";
import { InteractionResolver } from "../interactions/interaction.resolver";
import type { InteractionService } from "../interactions/interaction.service";
import { ModelResolver } from "../models/model.resolver";
import type { ModelService } from "../models/model.service";
import { MovieResolver } from "../movies/movie.resolver";
import { MyListResolver } from "../my-list/my-list.resolver";
import type { MyListService } from "../my-list/my-list.service";
import type { MovieService } from "../movies/movie.service";
import { ProfileResolver } from "../profiles/profile.resolver";
import type { ProfileService } from "../profiles/profile.service";
import type { AnonymousProfileService } from "../profiles/anonymous-profile.service";
import { ImportResolver } from "../import/import.resolver";
import { ImpressionResolver } from "../impressions/impression.resolver";
import { OffPolicyResolver } from "../experiments/off-policy.resolver";
import type { OffPolicyService } from "../experiments/off-policy.service";
import { OnlineMetricsResolver } from "../online-metrics/online-metrics.resolver";
import type { OnlineMetricsService } from "../online-metrics/online-metrics.service";
import type { ImpressionService } from "../impressions/impression.service";
import type { ImportService } from "../import/import.service";
import { ExperimentResolver } from "../experiments/experiment.resolver";
import type { ExperimentService } from "../experiments/experiment.service";
import { HomeResolver } from "../recommendations/home.resolver";
import type { HomeService } from "../recommendations/home.service";
import { RecommendationResolver } from "../recommendations/recommendation.resolver";
import type { RecommendationProvider } from "../recommendations/recommendation.service";
import type { GraphQLContext } from "./context";

/** The services one API instance runs on (one set per app, so tests can run several apps). */
export interface Services {
  readonly movies: MovieService;
  readonly profiles: ProfileService;
  readonly anonymousProfiles: AnonymousProfileService;
  readonly interactions: InteractionService;
  readonly recommendations: RecommendationProvider;
  readonly home: HomeService;
  readonly models: ModelService;
  readonly imports: ImportService;
  readonly admin: AdminService;
  readonly myList: MyListService;
  readonly impressions: ImpressionService;
  readonly onlineMetrics: OnlineMetricsService;
  readonly experiments: ExperimentService;
  readonly offPolicy: OffPolicyService;
}

/** Every resolver class; the schema is built from exactly these. */
export const RESOLVERS = [MovieResolver, ProfileResolver, InteractionResolver, RecommendationResolver, HomeResolver, ModelResolver, ImportResolver, SessionResolver, AdminResolver, MyListResolver, ImpressionResolver, OnlineMetricsResolver, ExperimentResolver, OffPolicyResolver] as const;

/** A resolver class, as type-graphql asks the container for it. */
type ResolverClass = abstract new (...args: never[]) => object;

/** How each resolver gets its service (constructor injection without a global container). */
function resolverInstances(services: Services): Map<ResolverClass, object> {
  return new Map<ResolverClass, object>([
    [MovieResolver, new MovieResolver(services.movies)],
    [ProfileResolver, new ProfileResolver(services.profiles)],
    [InteractionResolver, new InteractionResolver(services.interactions)],
    [RecommendationResolver, new RecommendationResolver(services.recommendations)],
    [HomeResolver, new HomeResolver(services.home, services.interactions)],
    [ModelResolver, new ModelResolver(services.models)],
    [ImportResolver, new ImportResolver(services.imports)],
    [SessionResolver, new SessionResolver(services.profiles, services.anonymousProfiles)],
    [AdminResolver, new AdminResolver(services.admin)],
    [MyListResolver, new MyListResolver(services.myList)],
    [ImpressionResolver, new ImpressionResolver(services.impressions)],
    [OnlineMetricsResolver, new OnlineMetricsResolver(services.onlineMetrics)],
    [ExperimentResolver, new ExperimentResolver(services.experiments)],
    [OffPolicyResolver, new OffPolicyResolver(services.offPolicy)],
  ]);
}

class ServiceContainer implements ContainerType {
  constructor(private readonly instances: Map<ResolverClass, object>) {}

  get(someClass: ResolverClass, _resolverData: ResolverData<GraphQLContext>): object {
    const instance = this.instances.get(someClass);
    if (!instance) throw new Error(`No instance registered for ${someClass.name}: add it in graphql/schema.ts`);
    return instance;
  }
}

/**
 * Builds the executable schema. Without services (schema emission, the staleness test) the
 * resolvers cannot run, which is fine: only the shape is read.
 */
export function buildMarqueeSchema(services?: Services): Promise<GraphQLSchema> {
  const instances = services ? resolverInstances(services) : new Map<ResolverClass, object>();
  return buildSchema({
    resolvers: [...RESOLVERS],
    container: new ServiceContainer(instances),
    // class-validator decorators on args (first, name...). Objects without decorators pass.
    validate: { forbidUnknownValues: false },
  });
}

/** The committed schema.graphql text: sorted SDL, so the diff of a change is readable. */
export function renderSchema(schema: GraphQLSchema): string {
  return (
    "# Generated from the type-graphql classes by `npm run emit-schema`; do not edit.\n" +
    "# A test fails when this file is stale.\n\n" +
    printSchema(lexicographicSortSchema(schema)) +
    "\n"
  );
}
