/**
 * How fast can this stack answer a response of the home page's size at all? (`npm run
 * bench:home-ceiling -w api`). The schema the API serves, executed by graphql-js in-process
 * (no HTTP, no database, no engine): `home` returns a fixed page of rows built from the seed
 * catalog (8 rows x 20 titles, as the demo viewer's), the same query bench:home sends; then
 * JSON.stringify of the result, as Apollo does before writing it. Next to it, the trivial
 * `{ __typename }` through the same executor. The ratio bounds what `home` can reach against the
 * trivial query on the real server, whatever the engine costs. Writes "home-ceiling" in BENCHMARKS.md.
 */
import "reflect-metadata";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { execute, parse, validate } from "graphql";
import type { Viewer } from "../src/auth/viewer";
import { buildMarqueeSchema, type Services } from "../src/graphql/schema";
import type { GraphQLContext } from "../src/graphql/context";
import { Movie } from "../src/movies/movie.entity";
import { HomeRow } from "../src/recommendations/home-row.type";
import { RowKind } from "../src/recommendations/row-kind";
import { BENCHMARKS_FILE, describeMachine, percentile, table, writeSection } from "./report";

const HOME_QUERY = `query Home($profileId: ID!) { home(profileId: $profileId) { kind title items { score reason movie { id title year genres } } } }`;
const ROWS = 8;
const PER_ROW = 20;

interface CatalogEntry {
  id: number;
  title: string;
  year: number | null;
  genres: string[];
  synopsis: string;
  runtimeMinutes: number | null;
  maturityRating: string | null;
}

function page(): HomeRow[] {
  const catalog = JSON.parse(readFileSync(path.resolve(__dirname, "../../seeds/catalog.json"), "utf8")) as CatalogEntry[];
  const kinds = [RowKind.CONTINUE_WATCHING, RowKind.TOP_PICKS, RowKind.BECAUSE_YOU_WATCHED, RowKind.BECAUSE_YOU_WATCHED, RowKind.VIEWERS_LIKE_YOU, RowKind.TRENDING, RowKind.GENRE, RowKind.NEW];
  return kinds.slice(0, ROWS).map((kind, r) =>
    Object.assign(new HomeRow(), {
      title: `Row ${r + 1}`,
      kind,
      items: catalog.slice(r * PER_ROW, (r + 1) * PER_ROW).map((entry, i) => ({
        movie: Object.assign(new Movie(), { ...entry, posterUrl: null, trailerUrl: null, addedAt: new Date(0) }),
        score: 1 - i / PER_ROW,
        reason: `Because you watched ${catalog[(r * 7 + i) % catalog.length].title}`,
      })),
    }),
  );
}

async function timeIt(runs: number, work: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < Math.min(200, runs); i++) await work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    await work();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return samples;
}

/** The trivial query's unthrottled requests/s on the real server, from bench:home's home-5M section, if it was run. */
function trivialServedRate(): number | undefined {
  if (!existsSync(BENCHMARKS_FILE)) return undefined;
  const text = readFileSync(BENCHMARKS_FILE, "utf8");
  const section = text.slice(text.indexOf("<!-- bench:home-5M -->"), text.indexOf("<!-- /bench:home-5M -->"));
  const match = /\| `\{ __typename \}` \| unthrottled \| (\d+) \|/.exec(section);
  return match ? Number(match[1]) : undefined;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: "string", default: "3000" }, "no-write": { type: "boolean", default: false } } });
  const runs = Number(values.runs);
  const rows = page();
  const services = { home: { home: async () => rows } } as unknown as Services;
  const schema = await buildMarqueeSchema(services);
  const viewer: Viewer = { tokenRejected: false, admin: false, adminKeyRejected: false, enforced: false };
  const contextValue: GraphQLContext = { requestId: "bench", viewer, clientIp: "127.0.0.1", issueSession: () => "" };
  const homeDocument = parse(HOME_QUERY);
  const trivialDocument = parse(`{ __typename }`);
  if (validate(schema, homeDocument).length > 0) throw new Error("the home query does not validate against the schema");
  const variableValues = { profileId: "00000000-0000-4000-8000-000000000001" };

  const run = async (document: typeof homeDocument, vars?: Record<string, unknown>) => {
    const result = await execute({ schema, document, contextValue, variableValues: vars });
    if (result.errors) throw new Error(result.errors[0].message);
    return JSON.stringify(result);
  };
  const bytes = (await run(homeDocument, variableValues)).length;
  const trivial = await timeIt(runs, () => run(trivialDocument));
  const home = await timeIt(runs, () => run(homeDocument, variableValues));
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const ratio = mean(trivial) / mean(home);
  const served = trivialServedRate();
  const body = [
    `The API's schema executed in-process by graphql-js (validation and parsing excluded: Apollo caches them), then JSON.stringify: ` +
      `\`home\` answering a fixed page of ${ROWS} rows x ${PER_ROW} titles (${(bytes / 1024).toFixed(1)} KiB of JSON, the fields bench:home asks for) ` +
      `with no engine, database or HTTP behind it, against \`{ __typename }\`. ${runs} runs each after warm-up.`,
    "",
    table(
      ["operation", "mean ms", "p50 ms", "p99 ms", "per second (one core)"],
      [
        ["`{ __typename }`", mean(trivial).toFixed(3), percentile(trivial, 50).toFixed(3), percentile(trivial, 99).toFixed(3), (1000 / mean(trivial)).toFixed(0)],
        ["`home` (fixed page)", mean(home).toFixed(3), percentile(home, 50).toFixed(3), percentile(home, 99).toFixed(3), (1000 / mean(home)).toFixed(0)],
      ],
    ),
    "",
    `Execution alone: home / trivial throughput **${ratio.toFixed(3)}**.` +
      (served
        ? ` On the server both also pay HTTP and Apollo's pipeline: the trivial query's whole cost there is 1 / ${served} requests/s = ${(1000 / served).toFixed(2)} ms ` +
          `(bench:home's home-5M section), so even with an engine that cost nothing, home / trivial could reach at most about ` +
          `${(1000 / served).toFixed(2)} / ${(1000 / served + mean(home)).toFixed(2)} = **${(1000 / served / (1000 / served + mean(home))).toFixed(2)}** on that machine.`
        : ""),
  ].join("\n");
  console.log(body);
  if (!values["no-write"]) {
    writeSection("home-ceiling", "Home query: what GraphQL execution alone allows", "npm run bench:home-ceiling -w api", describeMachine(), body);
    console.log("wrote the home-ceiling section of BENCHMARKS.md");
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
