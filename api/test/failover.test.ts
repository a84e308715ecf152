import http from "node:http";
import type { AddressInfo } from "node:net";
import { startApiProcess, type ApiProcess } from "./api-process";
import { createTestDatabase, type TestDatabase } from "./database";
import { insertMovies, insertProfile } from "./factories";

/**
 * Failover under load: two API processes (src/main.ts, as `npm start` runs it) behind a small
 * round-robin proxy on loopback, as a load balancer would sit in front of them. One process is
 * killed with SIGKILL while clients stream logInteractions batches, retrying what was not
 * acknowledged with the same client event ids. Every event ends stored exactly once, and no
 * client sees a failure beyond the requests it retried.
 */

const LOG_MANY = `mutation LogMany($inputs: [LogInteractionInput!]!) { logInteractions(inputs: $inputs) { id clientEventId } }`;
const CLIENTS = 6;
const BATCH = 20;
const MAX_ATTEMPTS = 20;

/** A round-robin HTTP proxy: a backend that refuses a connection is marked down for a while and the request goes to the next one; a reply cut off mid-way is a 502 the client retries. */
interface RoundRobinProxy {
  readonly url: string;
  /** Requests each backend answered (its base URL → count). */
  readonly answered: Map<string, number>;
  close(): Promise<void>;
}

async function startRoundRobinProxy(backends: readonly string[]): Promise<RoundRobinProxy> {
  const downUntil = new Map<string, number>();
  const answered = new Map<string, number>(backends.map((b) => [b, 0]));
  let next = 0;
  const pick = (): string | undefined => {
    for (let i = 0; i < backends.length; i++) {
      const backend = backends[next++ % backends.length];
      if ((downUntil.get(backend) ?? 0) <= Date.now()) return backend;
    }
    return undefined;
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const forward = (attemptsLeft: number) => {
        const backend = pick();
        if (!backend) {
          res.writeHead(503, { "content-type": "application/json" }).end(JSON.stringify({ errors: [{ message: "no backend is up", extensions: { code: "SERVICE_UNAVAILABLE" } }] }));
          return;
        }
        const target = new URL(backend);
        const upstream = http.request(
          { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, connection: "close" }, agent: false },
          (reply) => {
            res.writeHead(reply.statusCode ?? 502, reply.headers);
            reply.pipe(res);
            reply.on("end", () => answered.set(backend, (answered.get(backend) ?? 0) + 1));
            reply.on("error", () => res.destroy());
          },
        );
        upstream.on("error", (error: NodeJS.ErrnoException) => {
          downUntil.set(backend, Date.now() + 5_000);
          // Refused: the request never reached that backend, so sending it to another is safe.
          if (error.code === "ECONNREFUSED" && attemptsLeft > 0) return forward(attemptsLeft - 1);
          if (res.headersSent) return res.destroy();
          res.writeHead(502, { "content-type": "application/json" }).end(JSON.stringify({ errors: [{ message: `upstream failed: ${error.code}`, extensions: { code: "BAD_GATEWAY" } }] }));
        });
        upstream.end(body);
      };
      forward(backends.length - 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    answered,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface Outcome {
  readonly ids: readonly string[];
  /** Attempts the client needed (1: acknowledged at once). */
  readonly attempts: number;
  /** The stored ids the acknowledging answer listed, in order. */
  readonly answer: readonly { id: string; clientEventId: string }[];
}

describe("failover: two API processes behind a round-robin proxy, one killed mid-stream", () => {
  let db: TestDatabase;
  const apis: ApiProcess[] = [];
  let proxy: RoundRobinProxy;
  const profiles: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    await insertMovies(db.dataSource, Array.from({ length: 40 }, (_, i) => ({ id: i + 1, title: `Title ${i + 1}` })));
    for (let i = 0; i < CLIENTS; i++) profiles.push(await insertProfile(db.dataSource, `Viewer ${i}`));
    apis.push(...(await Promise.all([startApiProcess(db.url), startApiProcess(db.url)])));
    proxy = await startRoundRobinProxy(apis.map((api) => api.url));
  }, 120_000);
  afterAll(async () => {
    await proxy?.close();
    for (const api of apis) {
      if (api.child.exitCode === null && api.child.signalCode === null) {
        api.child.kill("SIGTERM");
        await api.exited;
      }
    }
    await db.drop();
  });

  it("every acknowledged event is stored exactly once, and clients see no failure beyond their retries", async () => {
    const outcomes: Outcome[] = [];
    const failures: string[] = [];
    let killed = false;
    let afterKill = 0;

    /** Sends one batch until it is acknowledged, retrying network errors, 5xx and SERVICE_UNAVAILABLE with the same ids. */
    const send = async (profileId: string, ids: readonly string[]): Promise<void> => {
      const inputs = ids.map((clientEventId, i) => ({ profileId, movieId: String(1 + ((clientEventId.length * 7 + i) % 40)), type: "PLAY", clientEventId }));
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        try {
          const res = await fetch(`${proxy.url}/graphql`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ query: LOG_MANY, variables: { inputs } }),
            signal: AbortSignal.timeout(30_000),
          });
          const body = (await res.json()) as { data?: { logInteractions: { id: string; clientEventId: string }[] }; errors?: { extensions?: { code?: string } }[] };
          if (res.ok && body.data && !body.errors) {
            outcomes.push({ ids, attempts: attempt, answer: body.data.logInteractions });
            if (killed) afterKill++;
            return;
          }
          const code = body.errors?.[0]?.extensions?.code;
          if (res.status < 500 && code !== "SERVICE_UNAVAILABLE") {
            failures.push(`${ids[0]}: ${res.status} ${JSON.stringify(body.errors)}`);
            return;
          }
        } catch {
          // Connection reset or an unreadable answer: unknown whether it was stored, so send it again.
        }
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
      failures.push(`${ids[0]}: not acknowledged after ${MAX_ATTEMPTS} attempts`);
    };

    let stop = false;
    const client = async (c: number) => {
      for (let n = 0; !stop; n++) await send(profiles[c], Array.from({ length: BATCH }, (_, i) => `c${c}-b${n}-e${i}`));
    };
    const clients = Array.from({ length: CLIENTS }, (_, c) => client(c));

    const waitFor = async (check: () => boolean, what: string) => {
      for (const deadline = Date.now() + 120_000; !check(); ) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    await waitFor(() => outcomes.length >= 30 && [...proxy.answered.values()].every((n) => n >= 10), "both processes to serve acknowledged batches");
    const victim = apis[0];
    victim.child.kill("SIGKILL");
    killed = true;
    expect((await victim.exited).signal).toBe("SIGKILL");
    await waitFor(() => afterKill >= 30, "batches acknowledged after the kill");
    stop = true;
    await Promise.all(clients);

    expect(failures).toEqual([]);
    // The kill cut requests off mid-way: the clients retried them (and only them).
    const retried = outcomes.filter((o) => o.attempts > 1);
    expect(retried.length).toBeGreaterThan(0);

    const rows: { client_event_id: string; id: string; n: number }[] = await db.dataSource.query(
      `SELECT client_event_id, min(id)::text AS id, count(*)::int AS n FROM interactions GROUP BY client_event_id`,
    );
    const stored = new Map(rows.map((r) => [r.client_event_id, r]));
    const sent = outcomes.flatMap((o) => o.ids);
    expect(new Set(sent).size).toBe(sent.length);
    for (const id of sent) expect([id, stored.get(id)?.n]).toEqual([id, 1]);
    expect(rows.length).toBe(sent.length); // nothing stored that no client sent
    // Each acknowledging answer (retries included) names exactly the stored events.
    for (const outcome of outcomes) {
      expect(outcome.answer.map((e) => e.clientEventId)).toEqual(outcome.ids);
      expect(outcome.answer.map((e) => e.id)).toEqual(outcome.ids.map((id) => stored.get(id)!.id));
    }
  }, 300_000);
});
