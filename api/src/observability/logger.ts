import type { IncomingMessage, ServerResponse } from "node:http";
import pino, { type Logger } from "pino";
import { pinoHttp, type HttpLogger } from "pino-http";
import { requestIdOf } from "../graphql/context";

/** JSON logs on stdout, one object a line (`LOG_LEVEL`: trace..fatal, silent). */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: "marquee-api" }, redact: ["req.headers.authorization", "req.headers.cookie", 'req.headers["x-admin-key"]'] });
}

/**
 * Request logging with request ids: a client's sane `x-request-id` is kept, else one is made;
 * it is echoed in the response header and is `req.id` for the GraphQL context.
 */
export function requestLogger(logger: Logger): HttpLogger {
  return pinoHttp({
    logger,
    genReqId(req: IncomingMessage, res: ServerResponse) {
      const id = requestIdOf(req);
      res.setHeader("x-request-id", id);
      return id;
    },
    // Health probes and metric scrapes every few seconds would drown the log.
    autoLogging: { ignore: (req) => req.url === "/healthz" || req.url === "/readyz" || req.url === "/metrics" },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? "error" : res.statusCode >= 400 ? "warn" : "info"),
  });
}
