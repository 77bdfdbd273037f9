// Per-client limits on what is expensive or abusable: creating reports, exports, failed
// logins, and the reads that cost the database real work (tiles, clusters, lists, nearby,
// OGC items, Open311 lists). A client is its address as Express sees it (req.ip): the socket's peer, or with
// TRUST_PROXY the address the one trusted proxy put last in X-Forwarded-For; anything a
// client writes there itself is ignored, so rotating that header dodges nothing. IPv6
// addresses count per /56, the block one subscriber usually gets.
//
// Two kinds of limit, shared differently between app processes (docs/DEPLOY.md):
// - counts per window (reports, exports, failed logins, expensive reads, follow requests):
//   on a real PostgreSQL server they count in the database (rate-limit-store.ts), so every
//   process and machine behind a balancer holds one count per client (the expensive reads
//   batched: each process sends its counts every 250 ms, rate-limit-batch.ts); on the embedded
//   database (one process) they count in this process's memory, and a restart forgets them.
// - lines (how many of one client's requests run at once, and how many wait): per process by
//   nature, since what they protect (connections of this process's pool, its event loop) is;
//   with N processes a client may run N times as many at once.
import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, MemoryStore, rateLimit, type Options, type Store } from 'express-rate-limit';
import { RATE_LIMIT_DEFAULTS, type Config } from '../config';
import type { Logger } from '../logger';
import { staffOf } from './auth';
import { AppError } from './errors';
import type { LimitStores } from './rate-limit-store';

export type RateLimitConfig = Pick<
  Config,
  | 'reportRateLimit'
  | 'reportRateWindowS'
  | 'exportRateLimit'
  | 'exportRateWindowS'
  | 'exportConcurrentMax'
  | 'loginRateLimit'
  | 'readRateLimit'
  | 'readRateWindowS'
  | 'readConcurrentMax'
>;

/** How a limited request is answered; the default passes the problem on to the error handler. */
export type LimitedResponder = (req: Request, res: Response, problem: AppError) => void;

const LOGIN_WINDOW_S = 15 * 60;
/** What a client turned away for running too many exports at once is told to wait. */
const EXPORT_BUSY_RETRY_S = 10;
const READ_BUSY_RETRY_S = 5;
const IPV6_SUBNET = 56;

/** A peer address as the limits count it: IPv6 by its /56, which one subscriber gets whole. */
export const addressKey = (address: string) => ipKeyGenerator(address, IPV6_SUBNET);

/** The client's address as the limits count it. */
export function clientAddress(req: Request): string {
  return addressKey(req.ip ?? req.socket.remoteAddress ?? 'unknown');
}

/** Where a route that answers in its own error format (Open311) leaves its responder. */
const RESPONDER = 'limitedResponder';

const retryAfter = (res: Response) => Number(res.getHeader('Retry-After')) || 1;

function windowLimit(
  logger: Logger,
  opts: Pick<Options, 'limit' | 'windowMs'> &
    Partial<Pick<Options, 'skip' | 'skipSuccessfulRequests' | 'skipFailedRequests' | 'requestWasSuccessful' | 'store'>>,
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
    if (req.method === 'HEAD') return next(); // answered from headers alone (GDAL's /vsicurl/ asks first)
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

interface ClientLine {
  running: number;
  waiting: { start: () => void; cancel: () => void }[];
}

/**
 * At most `max` requests of one client run at a time; more wait in that client's own line
 * (up to `queue` of them, for `waitMs`). A map view fires a dozen tile requests at once, so
 * they wait rather than fail; and one client's burst occupies at most `max` database
 * connections, never everyone's.
 */
function clientQueue(opts: {
  max: number;
  queue: number;
  waitMs: number;
  skip: (res: Response) => boolean;
  /** Whose line a request joins: its address unless given. */
  key?: (req: Request, res: Response) => string;
  full: () => AppError;
  timedOut: () => AppError;
}): RequestHandler {
  const lines = new Map<string, ClientLine>();
  const release = (key: string, line: ClientLine) => {
    line.running--;
    const next = line.waiting.shift();
    if (next) next.start();
    else if (line.running === 0) lines.delete(key);
  };
  return (req, res, next) => {
    if (opts.skip(res)) return next();
    const key = opts.key?.(req, res) ?? clientAddress(req);
    let line = lines.get(key);
    if (!line) lines.set(key, (line = { running: 0, waiting: [] }));
    const current = line;
    const run = () => {
      current.running++;
      // 'close' comes once the response is done or the client went away, whichever is first.
      res.once('close', () => release(key, current));
      next();
    };
    if (current.running < opts.max) return run();
    if (current.waiting.length >= opts.queue) return next(opts.full());
    const waiter = {
      start: () => {
        clearTimeout(timer);
        res.off('close', gone);
        run();
      },
      cancel: () => {
        clearTimeout(timer);
        res.off('close', gone);
        const at = current.waiting.indexOf(waiter);
        if (at >= 0) current.waiting.splice(at, 1);
        if (current.running === 0 && current.waiting.length === 0) lines.delete(key);
      },
    };
    const gone = () => waiter.cancel();
    const timer = setTimeout(() => {
      waiter.cancel();
      next(opts.timedOut());
    }, opts.waitMs);
    res.once('close', gone);
    current.waiting.push(waiter);
  };
}

const pass: RequestHandler = (_req, _res, next) => next();

/** What a client's line answers when it is full (429) and when a request waited too long (503). */
const lineRefusals = (what: string) => ({
  full: () =>
    new AppError(
      429,
      'rate_limited',
      'Too many requests at once',
      `Too many ${what} at once from this network address; please try again in ${READ_BUSY_RETRY_S} s.`,
      [],
      { 'Retry-After': String(READ_BUSY_RETRY_S) },
    ),
  timedOut: () =>
    new AppError(
      503,
      'busy',
      'Too many requests at once',
      `This network address has many requests waiting; please try again in ${READ_BUSY_RETRY_S} s.`,
      [],
      { 'Retry-After': String(READ_BUSY_RETRY_S) },
    ),
});

/** The public reads that cost the database work (Express paths), limited per client by `reads`. */
export const EXPENSIVE_READS = [
  '/tiles/public/:z/:x/:y.mvt',
  '/api/v1/clusters',
  '/api/v1/reports',
  '/api/v1/reports/nearby',
  // One report: cheap alone, but 400 at once from one address queued for the connections that
  // reports and /healthz need (over a second on both databases).
  '/api/v1/reports/:id',
  // The story of one report: its history read through the public view.
  '/api/v1/reports/:id/timeline',
  '/ogc/collections/:collectionId/items',
  '/ogc/collections/:collectionId/items/:featureId',
  '/open311/v2/requests.:format',
  '/open311/v2/requests/:id.:format',
  // The public statistics: cached for a minute, but each filter's first read counts every report.
  '/api/v1/stats',
  '/api/v1/stats.csv',
  // The staff queue: a search reads every matching row's text and notes (ILIKE). Twenty at
  // once from one coordinator held every connection and /healthz for 8 s (issue 13's
  // attack); in the account's line it takes its turns like any other read.
  '/api/v1/staff/reports',
  // A volunteer's nearby barriers: a distance query over the public read model.
  '/api/v1/volunteer/reports',
] as const;

/** EXPENSIVE_READS as patterns of concrete paths (`:param` is one path segment or part of one). */
const EXPENSIVE_PATTERNS = EXPENSIVE_READS.map((route) => {
  const parts = route
    .split('/')
    .map((part) => part.split(/:\w+/).map((text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  // As Express matches routes: any case, and a trailing slash allowed.
  return new RegExp(`^${parts.map((pieces) => pieces.join('[^/]+')).join('/')}/?$`, 'i');
});

const isExpensivePath = (path: string) => EXPENSIVE_PATTERNS.some((pattern) => pattern.test(path));

/** Whether an OpenAPI path (`/tiles/public/{z}/…`) is one of EXPENSIVE_READS. */
export function isExpensiveRead(openApiPath: string): boolean {
  return isExpensivePath(openApiPath.replace(/\{[^{}/]+\}/g, 'X'));
}

/**
 * Runs `handlers` for GET and HEAD requests to EXPENSIVE_READS, once per request even where two
 * of the paths match (`/api/v1/reports/nearby` is also `/api/v1/reports/:id`).
 */
export function forExpensiveReads(handlers: RequestHandler[]): RequestHandler {
  // Named: tests/api/front-route.test.ts knows it passes every write by.
  return function expensiveReadsOnly(req, res, next) {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !isExpensivePath(req.path)) return next();
    const step = (i: number) => (err?: unknown) => {
      if (err !== undefined || i === handlers.length) return next(err);
      void handlers[i]!(req, res, step(i + 1));
    };
    step(0)();
  };
}

export interface RateLimits {
  /** POST /api/v1/reports and Open311 POST requests share one count per client. */
  reports(respond?: LimitedResponder): RequestHandler;
  /** /api/v1/exports/*: a few at a time and a count per window. */
  exports: RequestHandler[];
  /**
   * Two logins at a time per client, the rest in its line; and failed logins per client over
   * all accounts (password spraying), successful ones free.
   */
  login: RequestHandler[];
  /** Reads that cost the database work: a few at a time per client, and a count per window. */
  reads: RequestHandler[];
  /** Confirmations: two of one client in the database at a time, the rest wait in its line. */
  confirmations: RequestHandler;
  /**
   * Counts one of `name`'s requests of a client (a route's own count, taken where the route
   * decides, e.g. after validation) and says whether it is within `limit` per `windowMs`.
   */
  counter(name: string, limit: number, windowMs: number): (client: string) => Promise<boolean>;
  /** The store a limit named `name` counts in (shared on PostgreSQL), for express-rate-limit elsewhere. */
  store(name: string): Store | undefined;
}

/** How many of one client's reads may wait for their turn, and for how long. */
const READ_QUEUE = 64;
const READ_WAIT_MS = 10_000;

export function rateLimits(
  config: Partial<RateLimitConfig>,
  logger: Logger,
  opts: {
    /** A browser that logged in here before (a device cookie) is not counted as spraying. */
    knownDevice?: (req: Request) => Promise<boolean>;
    /** Where counts per window are kept: the database's (shared by all processes), else memory. */
    stores?: LimitStores;
  } = {},
): RateLimits {
  const store = (name: string): Store | undefined => opts.stores?.(name);
  const storeOf = (name: string, batched = false): { store?: Store } => {
    const shared = opts.stores?.(name, { batched });
    return shared ? { store: shared } : {};
  };
  const c: RateLimitConfig = {
    reportRateLimit: config.reportRateLimit ?? RATE_LIMIT_DEFAULTS.reportRateLimit,
    reportRateWindowS: config.reportRateWindowS ?? RATE_LIMIT_DEFAULTS.reportRateWindowS,
    exportRateLimit: config.exportRateLimit ?? RATE_LIMIT_DEFAULTS.exportRateLimit,
    exportRateWindowS: config.exportRateWindowS ?? RATE_LIMIT_DEFAULTS.exportRateWindowS,
    exportConcurrentMax: config.exportConcurrentMax ?? RATE_LIMIT_DEFAULTS.exportConcurrentMax,
    loginRateLimit: config.loginRateLimit ?? RATE_LIMIT_DEFAULTS.loginRateLimit,
    readRateLimit: config.readRateLimit ?? RATE_LIMIT_DEFAULTS.readRateLimit,
    readRateWindowS: config.readRateWindowS ?? RATE_LIMIT_DEFAULTS.readRateWindowS,
    readConcurrentMax: config.readConcurrentMax ?? RATE_LIMIT_DEFAULTS.readConcurrentMax,
  };
  const isStaff = (res: Response) => staffOf(res) !== undefined;
  // One counter for every channel: a client's reports count together whichever way they come.
  const reportCount =
    c.reportRateLimit > 0
      ? windowLimit(
          logger,
          {
            limit: c.reportRateLimit,
            windowMs: c.reportRateWindowS * 1000,
            // Staff typing in reports phoned in to a hotline are not one anonymous client.
            skip: (_req, res) => isStaff(res),
            // Only reports that were taken count: a shelter's shared address must not lose its
            // allowance to someone's invalid, keyless or refused requests (cheap to answer).
            skipFailedRequests: true,
            // Nor do retries: an outbox resending a report with its Idempotency-Key gets the
            // first answer again (Idempotent-Replayed), and that report was counted once.
            requestWasSuccessful: (_req: Request, res: Response) =>
              res.statusCode < 400 && !res.get('Idempotent-Replayed'),
            ...storeOf('reports'),
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
        {
          limit: c.exportRateLimit,
          windowMs: c.exportRateWindowS * 1000,
          skip: (req) => req.method === 'HEAD',
          ...storeOf('exports'),
        },
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
          {
            limit: c.loginRateLimit,
            windowMs: LOGIN_WINDOW_S * 1000,
            skipSuccessfulRequests: true,
            // Someone spraying passwords behind a shelter's address must not lock its staff out.
            skip: (req) => opts.knownDevice?.(req) ?? false,
            ...storeOf('login'),
          },
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

  const reads: RequestHandler[] = [];
  if (c.readConcurrentMax > 0) {
    reads.push(
      clientQueue({
        max: c.readConcurrentMax,
        queue: READ_QUEUE,
        waitMs: READ_WAIT_MS,
        skip: () => false,
        // Staff in one office share an address, so each account has a line of its own; but
        // one: a staff session exempt from the line flooded lists of 1,000 reports and held
        // /healthz for ten seconds (issue 11's second attack).
        key: (req, res) => {
          const staff = staffOf(res);
          return staff ? `staff:${staff.user.id}` : clientAddress(req);
        },
        ...lineRefusals('requests'),
      }),
    );
  }
  if (c.readRateLimit > 0) {
    reads.push(
      windowLimit(
        logger,
        {
          limit: c.readRateLimit,
          windowMs: c.readRateWindowS * 1000,
          // HEAD counts: on tiles, clusters and lists Express runs the GET handler for it.
          skip: (_req, res) => isStaff(res),
          // Batched: a map view's dozen tiles at once are not a dozen writes to one row of the
          // primary (rate-limit-batch.ts; a bounded overshoot across processes, exact within one).
          ...storeOf('reads', true),
        },
        (res) =>
          new AppError(
            429,
            'rate_limited',
            'Too many requests',
            `Too many requests from this network address; please try again in ${retryAfter(res)} s.`,
          ),
      ),
    );
  }

  // Each confirmation is a short transaction under the address's lock: a flood of them from one
  // address would otherwise take every connection of the pool while they wait for each other.
  const confirmations = clientQueue({
    max: 2,
    queue: READ_QUEUE,
    waitMs: READ_WAIT_MS,
    skip: () => false,
    ...lineRefusals('confirmations'),
  });

  // Each login checks a password (argon2, ~50 ms on a worker thread): fifty at once from one
  // address held every thread and the pool's connections (auth.service.ts bounds the checks
  // of all addresses together too).
  const loginLine = clientQueue({
    max: 2,
    queue: READ_QUEUE,
    waitMs: READ_WAIT_MS,
    skip: () => false,
    ...lineRefusals('logins'),
  });

  const counter = (name: string, limit: number, windowMs: number) => {
    const counts = store(name) ?? new MemoryStore();
    void counts.init?.({ windowMs } as Options);
    return async (client: string) => (await counts.increment(client)).totalHits <= limit;
  };

  return { reports, exports: exportsLimits, login: [loginLine, login], reads, confirmations, counter, store };
}
