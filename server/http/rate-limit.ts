// Per-client limits on what is expensive or abusable: creating reports, exports, failed
// logins. A client is its address as Express sees it (req.ip): the socket's peer, or with
// TRUST_PROXY the address the one trusted proxy put last in X-Forwarded-For; anything a
// client writes there itself is ignored, so rotating that header dodges nothing. IPv6
// addresses count per /56, the block one subscriber usually gets.
//
// Counters live in this process's memory: a restart forgets them, and several processes
// behind one balancer each count their own share.
import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit, type Options } from 'express-rate-limit';
import { RATE_LIMIT_DEFAULTS, type Config } from '../config';
import type { Logger } from '../logger';
import { staffOf } from './auth';
import { AppError } from './errors';

export type RateLimitConfig = Pick<
  Config,
  | 'reportRateLimit'
  | 'reportRateWindowS'
  | 'exportRateLimit'
  | 'exportRateWindowS'
  | 'exportConcurrentMax'
  | 'loginRateLimit'
>;

/** How a limited request is answered; the default passes the problem on to the error handler. */
export type LimitedResponder = (req: Request, res: Response, problem: AppError) => void;

const LOGIN_WINDOW_S = 15 * 60;
/** What a client turned away for running too many exports at once is told to wait. */
const EXPORT_BUSY_RETRY_S = 10;
const IPV6_SUBNET = 56;

/** The client's address as the limits count it. */
export function clientAddress(req: Request): string {
  return ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown', IPV6_SUBNET);
}

/** Where a route that answers in its own error format (Open311) leaves its responder. */
const RESPONDER = 'limitedResponder';

const retryAfter = (res: Response) => Number(res.getHeader('Retry-After')) || 1;

function windowLimit(
  logger: Logger,
  opts: Pick<Options, 'limit' | 'windowMs'> & Partial<Pick<Options, 'skip' | 'skipSuccessfulRequests'>>,
  problem: (res: Response) => AppError,
): RequestHandler {
  return rateLimit({
    ...opts,
    keyGenerator: (req) => clientAddress(req),
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    // Called with Retry-After already set.
    handler: (req, res, next) => {
      const respond = res.locals[RESPONDER] as LimitedResponder | undefined;
      if (respond) respond(req, res, problem(res));
      else next(problem(res));
    },
    // X-Forwarded-For is present but untrusted when no proxy is configured: on purpose.
    validate: { xForwardedForHeader: false, forwardedHeader: false },
    logger: {
      error: (err, msg) => logger.error({ err }, msg ?? 'rate limit'),
      warn: (err, msg) => logger.warn({ err }, msg ?? 'rate limit'),
    },
  });
}

/** At most `max` requests of one client in flight at a time (an export runs for seconds). */
function concurrencyLimit(max: number, problem: () => AppError): RequestHandler {
  const running = new Map<string, number>();
  return (req, res, next) => {
    const key = clientAddress(req);
    const now = running.get(key) ?? 0;
    if (now >= max) return next(problem());
    running.set(key, now + 1);
    // 'close' comes once the response is done or the client went away, whichever is first.
    res.once('close', () => {
      const left = (running.get(key) ?? 1) - 1;
      if (left > 0) running.set(key, left);
      else running.delete(key);
    });
    next();
  };
}

const pass: RequestHandler = (_req, _res, next) => next();

export interface RateLimits {
  /** POST /api/v1/reports and Open311 POST requests share one count per client. */
  reports(respond?: LimitedResponder): RequestHandler;
  /** /api/v1/exports/*: a few at a time and a count per window. */
  exports: RequestHandler[];
  /** Failed logins per client over all accounts (password spraying); successful ones are free. */
  login: RequestHandler;
}

export function rateLimits(config: Partial<RateLimitConfig>, logger: Logger): RateLimits {
  const c: RateLimitConfig = {
    reportRateLimit: config.reportRateLimit ?? RATE_LIMIT_DEFAULTS.reportRateLimit,
    reportRateWindowS: config.reportRateWindowS ?? RATE_LIMIT_DEFAULTS.reportRateWindowS,
    exportRateLimit: config.exportRateLimit ?? RATE_LIMIT_DEFAULTS.exportRateLimit,
    exportRateWindowS: config.exportRateWindowS ?? RATE_LIMIT_DEFAULTS.exportRateWindowS,
    exportConcurrentMax: config.exportConcurrentMax ?? RATE_LIMIT_DEFAULTS.exportConcurrentMax,
    loginRateLimit: config.loginRateLimit ?? RATE_LIMIT_DEFAULTS.loginRateLimit,
  };
  // One counter for every channel: a client's reports count together whichever way they come.
  const reportCount =
    c.reportRateLimit > 0
      ? windowLimit(
          logger,
          {
            limit: c.reportRateLimit,
            windowMs: c.reportRateWindowS * 1000,
            // Staff typing in reports phoned in to a hotline are not one anonymous client.
            skip: (_req, res) => staffOf(res) !== undefined,
          },
          (res) =>
            new AppError(
              429,
              'rate_limited',
              'Too many reports',
              `Too many reports from this network address; please try again in ${retryAfter(res)} s.`,
            ),
        )
      : undefined;
  const reports = (respond?: LimitedResponder): RequestHandler =>
    reportCount
      ? (req, res, next) => {
          res.locals[RESPONDER] = respond;
          return reportCount(req, res, next);
        }
      : pass;

  const exportsLimits: RequestHandler[] = [];
  if (c.exportConcurrentMax > 0) {
    exportsLimits.push(
      concurrencyLimit(
        c.exportConcurrentMax,
        () =>
          new AppError(
            429,
            'rate_limited',
            'Too many exports at once',
            `At most ${c.exportConcurrentMax} exports at a time from one network address; wait for one to finish.`,
            [],
            { 'Retry-After': String(EXPORT_BUSY_RETRY_S) },
          ),
      ),
    );
  }
  if (c.exportRateLimit > 0) {
    exportsLimits.push(
      windowLimit(
        logger,
        { limit: c.exportRateLimit, windowMs: c.exportRateWindowS * 1000 },
        (res) =>
          new AppError(
            429,
            'rate_limited',
            'Too many exports',
            `Too many exports from this network address; please try again in ${retryAfter(res)} s.`,
          ),
      ),
    );
  }

  const login =
    c.loginRateLimit > 0
      ? windowLimit(
          logger,
          { limit: c.loginRateLimit, windowMs: LOGIN_WINDOW_S * 1000, skipSuccessfulRequests: true },
          (res) =>
            new AppError(
              429,
              'login_throttled',
              'Too many failed logins',
              `Too many failed logins from this network address; try again in ${retryAfter(res)} s.`,
              [{ field: 'password', detail: `too many failed attempts; wait ${retryAfter(res)} s` }],
            ),
        )
      : pass;

  return { reports, exports: exportsLimits, login };
}
