// The HTTP half of read-your-writes with a read replica (server/db/replica.ts).
//
// A citizen write that succeeds (a report, a confirmation…) answers with the primary's WAL
// position after its commit, twice: as a short-lived same-origin cookie, which the citizen app
// (a PWA on the same origin) keeps and sends without doing anything, and as the header
// `Wegfrei-Read-After`, which an API client sends back on its next reads (docs/API.md). A read
// that carries either is served from data that includes the write.
//
// Shared caches: an answer to a read that carried a position may hold what others must not be
// served from a cache yet (or may be older than what a cache holds), so it is `private`, and
// every public read answer says `Vary: Wegfrei-Read-After` so a CDN keys on the header. CDNs
// ignore cookies in their keys: docs/DEPLOY.md says to pass requests with the cookie through.
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from '../logger';
import { parseLsn, readScope, type ReplicaReadPool } from './replica';

export const READ_AFTER_HEADER = 'Wegfrei-Read-After';
export const READ_AFTER_COOKIE = 'wegfrei_read_after';
/** Long enough for any healthy replica to catch up; after it the reads go to the replica. */
export const READ_AFTER_MAX_AGE_S = 30;

/**
 * The citizen writes whose result the writer reads next (their report, its counts). A new
 * report (POST /api/v1/reports) takes the same step in its own route (server/app.ts).
 */
export const CITIZEN_WRITES = [
  '/api/v1/reports/:id/confirmations',
  '/api/v1/reports/:id/fix-checks',
  '/api/v1/reports/:id/endorsements',
  '/open311/v2/requests.:format',
];

/** Staff views on routers that otherwise read the public pool (tiles, clusters). */
const STAFF_READS = /^\/(?:api\/v1\/staff|tiles\/staff)\//;

/** The position a request asks its reads to include: the header wins over the cookie. */
export function readAfterOf(req: Request): bigint | undefined {
  const cookie = (req.cookies as Record<string, unknown> | undefined)?.[READ_AFTER_COOKIE];
  return parseLsn(req.get(READ_AFTER_HEADER)) ?? parseLsn(cookie);
}

/** Runs the rest of the request within its read scope, and keeps shared caches right. */
export function readScopeMiddleware(): RequestHandler {
  return (req, res, next) => {
    const after = req.method === 'GET' || req.method === 'HEAD' ? readAfterOf(req) : undefined;
    if (req.method === 'GET' || req.method === 'HEAD') res.vary(READ_AFTER_HEADER);
    if (after !== undefined) privateAnswer(res);
    readScope.run({ after, primary: STAFF_READS.test(req.path) }, () => next());
  };
}

/**
 * On the citizen writes: once the handler answers with success, waits for the primary's
 * position (one query shared by all writes finishing meanwhile) and adds it to the answer.
 * A failure to learn it costs the writer read-your-writes, never their answer.
 */
export function markWritesMiddleware(pool: ReplicaReadPool, logger: Logger): RequestHandler {
  return (req, res, next) => {
    const send = res.send;
    res.send = function (this: Response, body?: unknown) {
      res.send = send;
      if (this.statusCode < 200 || this.statusCode >= 300 || this.headersSent) return send.call(this, body);
      pool.primaryLsn().then(
        (lsn) => {
          this.set(READ_AFTER_HEADER, lsn);
          this.cookie(READ_AFTER_COOKIE, lsn, {
            httpOnly: true,
            sameSite: 'lax',
            secure: req.secure,
            path: '/',
            maxAge: READ_AFTER_MAX_AGE_S * 1000,
          });
          send.call(this, body);
        },
        (err: unknown) => {
          logger.warn({ err: { message: (err as Error)?.message } }, 'could not read the WAL position after a write');
          send.call(this, body);
        },
      );
      return this;
    } as Response['send'];
    next();
  };
}

/** Whatever the route decided about caching, this answer is for this client only. */
function privateAnswer(res: Response): void {
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => Response;
  res.writeHead = ((...args: unknown[]) => {
    const current = String(res.getHeader('Cache-Control') ?? '');
    res.setHeader('Cache-Control', /no-store/.test(current) ? 'private, no-store' : 'private, no-cache');
    return writeHead(...args);
  }) as Response['writeHead'];
}
