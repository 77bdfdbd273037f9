// The request id, `req.log` for what a request logs on its way, and one access line when the
// response is done.
//
// In place of pino-http, which for every request built a child logger (serialising the request
// at once), two arrays and three listeners, even with access lines off (LOG_LEVEL=warn): at
// 2,000 reports a second that was a tenth of the server's CPU (docs/BENCHMARKS.md, "Ingest").
// Here the child logger is made only when something logs for the request, and the access line's
// fields only when its level is on. The lines keep pino-http's shape: `req` {id, method, url},
// `res` {statusCode}, `responseTime` in ms, "request completed" or "request errored".
import crypto from 'node:crypto';
import http from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logger';
import { redactUrl } from './log-redaction';

declare module 'http' {
  interface IncomingMessage {
    /** X-Request-Id: the client's when well-formed, else a fresh UUID; also in problem bodies. */
    id: string;
    /** The server's logger bound to this request's id, method and redacted URL. */
    log: Logger;
  }
}

/** A client's own request id is kept only when it cannot smuggle anything into a log line. */
const REQUEST_ID = /^[\w-]{1,64}$/;

type Level = 'info' | 'warn' | 'error';

/** A 503 (database away, photos busy) is expected and already logged once as a warning. */
const levelOf = (status: number): Level => (status === 503 ? 'warn' : status >= 500 ? 'error' : 'info');

/** What `req.log` is made from, on first use. */
interface LogContext {
  logger: Logger;
  id: string;
  method: string;
  originalUrl: string;
  child?: Logger;
}
// Symbol.for: one key however often this module is loaded in the process (Jest loads it again
// for each test file, while node:http's prototype is shared).
const LOG_CONTEXT = Symbol.for('wegfrei.log-context');
type WithContext = http.IncomingMessage & { [LOG_CONTEXT]?: LogContext };

/**
 * `req.log` is one getter on the prototype of every request, reading a plain property. A
 * getter defined on each request instead (a closure per request) gave every request a hidden
 * class of its own: V8 then looked up each of req's properties the slow way everywhere, and
 * kept every request and its response alive through that class until a full collection
 * (1,844 of them in a heap snapshot at 2,000 reports a second, 128 in flight), so each minor
 * collection copied megabytes (docs/BENCHMARKS.md, "Towards 2,000 reports a second").
 */
Object.defineProperty(http.IncomingMessage.prototype, 'log', {
  configurable: true,
  get(this: WithContext): Logger | undefined {
    // Undefined on any other IncomingMessage (a client's response, a request of another server).
    const context = this[LOG_CONTEXT];
    if (!context) return undefined;
    // No headers, and the query's values only where harmless (server/http/log-redaction.ts).
    const { id, method, originalUrl } = context;
    return (context.child ??= context.logger.child({ req: { id, method, url: redactUrl(originalUrl) } }));
  },
  // An app without this middleware (a test's bare app) may set its own: it becomes that
  // request's own property, as assigning it was before there was a getter.
  set(this: http.IncomingMessage, logger: Logger) {
    Object.defineProperty(this, 'log', { value: logger, writable: true, configurable: true, enumerable: true });
  },
});

export function accessLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = performance.now();
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
    res.setHeader('X-Request-Id', id);
    req.id = id;
    // originalUrl: routers mounted on a prefix rewrite req.url on the way.
    (req as WithContext)[LOG_CONTEXT] = { logger, id, method: req.method, originalUrl: req.originalUrl };
    // 'close' comes after 'finish', and also when the client went away before the end.
    res.once('close', () => {
      const status = res.statusCode;
      const level = levelOf(status);
      if (!logger.isLevelEnabled(level)) return;
      req.log[level](
        { res: { statusCode: status }, responseTime: Math.round(performance.now() - started) },
        level === 'error' ? 'request errored' : 'request completed',
      );
    });
    next();
  };
}
