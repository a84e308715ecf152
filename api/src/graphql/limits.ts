import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError, Kind, visit, type ASTNode, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode, type ValidationRule } from "graphql";
import { getComplexity, type ComplexityEstimator } from "graphql-query-complexity";

/**
 * Selections nested deeper than `maxDepth` fail validation (GRAPHQL_VALIDATION_FAILED) before
 * anything runs. Introspection fields (`__schema`...) are not counted. Ours rather than
 * graphql-depth-limit: that one does its work while graphql builds the visitors, outside
 * graphql's guard, so a document with 100+ violations turned into a 500.
 */
export function depthRule(maxDepth: number): ValidationRule {
  return (context) => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    // Depth of a node's selections; stops one level past the limit, so fragment cycles end too.
    const depthOf = (node: ASTNode | undefined, depth: number): number => {
      if (!node || depth > maxDepth) return depth;
      switch (node.kind) {
        case Kind.FIELD:
          if (node.name.value.startsWith("__") || !node.selectionSet) return depth;
          return Math.max(depth, ...node.selectionSet.selections.map((selection) => depthOf(selection, depth + 1)));
        case Kind.FRAGMENT_SPREAD:
          return depthOf(fragments.get(node.name.value), depth);
        case Kind.INLINE_FRAGMENT:
        case Kind.FRAGMENT_DEFINITION:
        case Kind.OPERATION_DEFINITION:
          return Math.max(depth, ...node.selectionSet.selections.map((selection) => depthOf(selection, depth)));
        default:
          return depth;
      }
    };
    return {
      OperationDefinition(operation) {
        const depth = depthOf(operation, 0);
        if (depth > maxDepth) {
          const name = operation.name ? `Operation ${operation.name.value}` : "The operation";
          context.reportError(new GraphQLError(`${name} nests deeper than the maximum depth of ${maxDepth}: flatten the selection.`, { nodes: [operation] }));
        }
      },
    };
  };
}

/**
 * A field costs 1 plus its children; a field with a `first` argument (a page) multiplies its
 * children by the page size, so `movies(first: 100)` costs about 100 times its node.
 */
const pageSizeEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const first = typeof args.first === "number" && args.first > 0 ? args.first : 1;
  return 1 + childComplexity * first;
};

/**
 * The variables an operation's cost can depend on: those given to a `first` argument (the page
 * size estimator reads it) or to @skip/@include. Any other variable (a 1,000-element list of
 * events, say) cannot change the estimate.
 */
function costVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  visit(document, {
    Argument(node, _key, parent) {
      const isDirective = (parent as ASTNode | undefined)?.kind === Kind.DIRECTIVE;
      if (node.name.value !== "first" && !(isDirective && node.name.value === "if")) return;
      visit(node.value, { Variable: (variable) => void names.add(variable.name.value) });
    },
  });
  return [...names].sort();
}

interface CostMemo {
  readonly variables: readonly string[];
  /** Estimated cost by the JSON of the operation name and cost variables' values. */
  readonly costs: Map<string, number>;
}

/** Distinct cost-variable values remembered per document (a bound on memory for `first: $n` with many n). */
const COSTS_PER_DOCUMENT = 64;

/**
 * Refuses operations whose estimated cost exceeds `maxComplexity`, before execution. The
 * estimate is remembered per parsed document (Apollo reuses the DocumentNode of a query it has
 * seen) and the values of the variables it depends on, so a big input variable is not coerced a
 * second time on every request only to be ignored by the estimator; execution coerces it once.
 */
export function complexityPlugin<T extends object>(schema: GraphQLSchema, maxComplexity: number): ApolloServerPlugin<T> {
  const memos = new WeakMap<DocumentNode, CostMemo>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          let memo = memos.get(document);
          if (!memo) {
            memo = { variables: costVariables(document), costs: new Map() };
            memos.set(document, memo);
          }
          const variables = request.variables ?? {};
          // An absent variable (its default applies) and an explicit null are different keys.
          const key = JSON.stringify([request.operationName ?? null, ...memo.variables.map((name) => (name in variables ? [variables[name]] : []))]);
          let complexity = memo.costs.get(key);
          if (complexity === undefined) {
            try {
              complexity = getComplexity({
                schema,
                query: document,
                operationName: request.operationName,
                variables: request.variables,
                estimators: [pageSizeEstimator],
              });
            } catch {
              // Bad variables: execution reports them with the usual typed error.
              return;
            }
            if (memo.costs.size >= COSTS_PER_DOCUMENT) memo.costs.delete(memo.costs.keys().next().value!);
            memo.costs.set(key, complexity);
          }
          if (complexity > maxComplexity) {
            throw new GraphQLError(
              `This operation is too expensive: estimated cost ${complexity}, limit ${maxComplexity}. Ask for smaller pages (first) or fewer fields, or split it.`,
              { extensions: { code: "QUERY_TOO_COMPLEX", complexity, maxComplexity, http: { status: 400 } } },
            );
          }
        },
      };
    },
  };
}

/** Error codes of a database that cannot be reached or is shutting down (the request may be retried). */
const UNAVAILABLE_SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300", "08000", "08001", "08003", "08004", "08006"]);
const UNAVAILABLE_SYSCALL_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND"]);

/** True for errors meaning "the database is down or restarting", as opposed to a bad query. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === "string" && (UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_SYSCALL_CODES.has(code))) return true;
    if (typeof message === "string" && /Connection terminated|connection timeout|Client has encountered a connection error|the database system is (starting up|shutting down)/i.test(message)) {
      return true;
    }
    // TypeORM wraps pg's error (driverError); graphql wraps non-Error values (thrownValue, e.g. a
    // socket error from another realm under jest).
    const wrapper = current as { driverError?: unknown; cause?: unknown; thrownValue?: unknown; originalError?: unknown };
    current = wrapper.driverError ?? wrapper.thrownValue ?? wrapper.originalError ?? wrapper.cause;
  }
  return false;
}

export interface SelectionLimits {
  /** Most aliases in the operation, counted once per place it lands in the response (fragments expanded). */
  readonly maxAliases: number;
  /** Most selections of one response name (or spreads of one fragment) in a single selection set. */
  readonly maxRepeatedFields: number;
}

interface SelectionCount {
  aliases: number;
  /** The worst repetition seen, and of what. */
  repeated: number;
  repeatedName: string;
}

/**
 * Counts aliases and repeated selections of the operation about to run (OWASP's GraphQL sheet:
 * an alias multiplies a resolver within one request, a repeated field or fragment multiplies the
 * work of validating and merging). Fragments are counted where they are spread, each computed
 * once (a chain of fragments spreading each other twice stays linear); cycles are left to graphql's
 * NoFragmentCycles rule.
 */
function countSelections(operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): SelectionCount {
  const worst = { repeated: 0, repeatedName: "" };
  const fragmentAliases = new Map<string, number>();
  const aliasesIn = (selectionSet: SelectionSetNode | undefined, visiting: Set<string>): number => {
    if (!selectionSet) return 0;
    const seen = new Map<string, number>();
    let aliases = 0;
    for (const selection of selectionSet.selections) {
      let key: string | undefined;
      if (selection.kind === Kind.FIELD) {
        key = (selection.alias ?? selection.name).value;
        if (selection.alias) aliases++;
        aliases += aliasesIn(selection.selectionSet, visiting);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        key = `...${name}`;
        if (!fragmentAliases.has(name) && !visiting.has(name)) {
          visiting.add(name);
          fragmentAliases.set(name, aliasesIn(fragments.get(name)?.selectionSet, visiting));
          visiting.delete(name);
        }
        aliases += fragmentAliases.get(name) ?? 0;
      } else {
        aliases += aliasesIn(selection.selectionSet, visiting);
      }
      if (key === undefined) continue; // an inline fragment: its own selections were counted above
      const times = (seen.get(key) ?? 0) + 1;
      seen.set(key, times);
      if (times > worst.repeated) Object.assign(worst, { repeated: times, repeatedName: key });
    }
    return aliases;
  };
  const aliases = aliasesIn(operation.selectionSet, new Set());
  return { aliases, ...worst };
}

/** Codes of the limits below; Apollo labels every validation error GRAPHQL_VALIDATION_FAILED, formatError restores these. */
export const SELECTION_LIMIT_CODES = new Set(["TOO_MANY_ALIASES", "TOO_MANY_REPEATED_FIELDS"]);

/**
 * Refuses operations with more aliases or repeated selections than allowed. It runs on entering
 * the document, before graphql's own rules walk the selections (OverlappingFieldsCanBeMerged
 * gives up on a huge repetition with a bare "Validation aborted."), so the caller learns which
 * limit it hit. The document's size, and so this walk, is bounded by the parser's token limit
 * (`parseOptions.maxTokens`).
 */
export function selectionLimitsRule(limits: SelectionLimits): ValidationRule {
  return (context) => ({
    Document(document) {
      const fragments = new Map<string, FragmentDefinitionNode>();
      for (const definition of document.definitions) {
        if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
      }
      for (const operation of document.definitions) {
        if (operation.kind !== Kind.OPERATION_DEFINITION) continue;
        const { aliases, repeated, repeatedName } = countSelections(operation, fragments);
        if (aliases > limits.maxAliases) {
          context.reportError(
            new GraphQLError(
              `This operation uses ${aliases} aliases; the limit is ${limits.maxAliases}. Ask for a list field once instead of aliasing one field many times, or split the work into several requests.`,
              { nodes: [operation], extensions: { code: "TOO_MANY_ALIASES", aliases, maxAliases: limits.maxAliases } },
            ),
          );
        }
        if (repeated > limits.maxRepeatedFields) {
          context.reportError(
            new GraphQLError(`This operation selects ${repeatedName} ${repeated} times in one selection set; the limit is ${limits.maxRepeatedFields}. Select it once.`, {
              nodes: [operation],
              extensions: { code: "TOO_MANY_REPEATED_FIELDS", field: repeatedName, repeated, maxRepeatedFields: limits.maxRepeatedFields },
            }),
          );
        }
      }
    },
  });
}

/** The code of one of the selection limits, when `error` (as formatError sees it) is one. */
export function selectionLimitCode(error: unknown): string | undefined {
  const original = error instanceof GraphQLError ? error.originalError : undefined;
  const code = original instanceof GraphQLError ? original.extensions.code : undefined;
  return typeof code === "string" && SELECTION_LIMIT_CODES.has(code) ? code : undefined;
}
