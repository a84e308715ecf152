import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError, Kind, visit, type DocumentNode } from "graphql";

/**
 * Refuses text that Postgres cannot store: a NUL character (U+0000) in any string argument,
 * inline in the document or in the variables. Postgres `text` never holds NUL, so such a value
 * used to reach a query and come back as an internal error (22021 "invalid byte sequence");
 * no field of this API means anything by it, so it is the client's mistake: BAD_USER_INPUT.
 */
export function textInputPlugin<T extends object>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          const where = nulInVariables(request.variables, "variables") ?? nulInDocument(document);
          if (where) {
            throw new GraphQLError(`${where} contains a NUL character (\\u0000), which no text field accepts: remove it.`, {
              extensions: { code: "BAD_USER_INPUT", http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}

/** The path of the first string holding NUL (keys included), or undefined. */
function nulInVariables(value: unknown, path: string): string | undefined {
  if (typeof value === "string") return value.includes("\u0000") ? path : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulInVariables(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes("\u0000")) return `${path} (a key)`;
      const found = nulInVariables(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

function nulInDocument(document: DocumentNode): string | undefined {
  let found: string | undefined;
  visit(document, {
    [Kind.STRING](node) {
      if (!found && node.value.includes("\u0000")) found = "A string in the document";
    },
  });
  return found;
}
