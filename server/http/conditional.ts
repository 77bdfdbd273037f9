// Conditional public reads (issue 17): ETag, Last-Modified and 304 for tiles, clusters and the
// public lists, decided from the public data's version (migrations/0022_public_changes.sql)
// before the route computes anything, so that a CDN or a browser revalidating costs one Map
// lookup and a hash, and the database nothing while the version is cached.
import crypto from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { SESSION_COOKIE } from '../features/auth/auth.service';
import type { Queryable } from '../features/reports/reports.repo';
import { READ_AFTER_HEADER, readAfterOf } from '../db/replica-http';
import type { EventBus } from '../live/bus';

/**
 * Lifetimes (docs/DEPLOY.md, "CDN"). Browsers keep nothing without asking (max-age=0): a
 * citizen who has just reported, or a coordinator who has just hidden a report, reloads the
 * map and must see it at once, and asking again is a cheap 304 here. Shared caches (a CDN,
 * nginx's proxy_cache) keep a copy for s-maxage (10 s), so a hidden or rejected report leaves
 * a busy URL within 10 s; CDN-Cache-Control (RFC 9213), which only CDNs read, adds
 * stale-while-revalidate there (worst case 30 s for an idle URL). stale-while-revalidate in
 * Cache-Control would let the browser show a stale map too.
 */
export const PUBLIC_LIST_CACHE = 'public, max-age=0, s-maxage=10';
export const PUBLIC_TILE_CACHE = PUBLIC_LIST_CACHE;
/** What only CDNs read (RFC 9213): the same 10 s, and serving stale while they revalidate. */
export const CDN_CACHE = 'public, max-age=10, stale-while-revalidate=20';
/** A staff session or a reporter's read-your-writes cookie: the answer is theirs alone. */
export const PRIVATE_CACHE = 'private, no-cache';

/** How long a process trusts the version it read without asking again (the bus also clears it). */
const VERSION_TTL_MS = 1000;
/** Rows of public_changes counted for the version: a commit later than this many others is the blind spot. */
const VERSION_WINDOW = 10_000;
/**
 * ETags also turn over every minute: whatever could change an answer without a row in
 * public_changes (an OGC count cached for seconds, a transaction committing behind
 * VERSION_WINDOW others) is at most this stale. One 200 a minute per URL is cheap.
 */
const EPOCH_MS = 60_000;
/** Last-Modified is never later than now minus this: every change stamped before it has committed and is seen. */
const SETTLE_MS = 2000;
/** Bumped when the answers' format changes without a data change (a deploy). */
const FORMAT = '1';

export interface PublicVersion {
  /** Opaque; changes whenever anything public may have changed. */
  tag: string;
  /** When the newest change was made (ms since the epoch; 0 = never). */
  lastChangeMs: number;
}

export interface PublicVersionSource {
  current(): Promise<PublicVersion>;
}

/** Reads the newest id, the recent window's count and the newest time, in one statement. */
export async function readPublicVersion(db: Queryable): Promise<PublicVersion> {
  const { rows } = await db.query<{ head: string; n: number; at: number | null }>(
    `WITH head AS (SELECT coalesce(max(id), 0)::bigint AS id FROM public_changes)
     SELECT head.id::text AS head, count(c.id)::int AS n,
            (extract(epoch FROM max(c.changed_at)) * 1000)::float8 AS at
       FROM head LEFT JOIN public_changes c ON c.id > head.id - $1::bigint
      GROUP BY head.id`,
    [VERSION_WINDOW],
  );
  const row = rows[0]!;
  return { tag: `${row.head}.${row.n}`, lastChangeMs: row.at ?? 0 };
}

/** Keeps only the recent window (and as much again): called by the cell refresher. */
export async function prunePublicChanges(db: Queryable): Promise<void> {
  await db.query(`DELETE FROM public_changes WHERE id <= (SELECT max(id) FROM public_changes) - $1::bigint`, [
    VERSION_WINDOW * 2,
  ]);
}

/**
 * The version, read at most once per VERSION_TTL_MS by one query at a time; a bus signal (a
 * change committed by this or, on PostgreSQL, any process) makes the next request read again.
 * Read from the database the answers come from (a replica's own version).
 */
export function publicVersionSource(db: Queryable, events?: EventBus): PublicVersionSource {
  let generation = 0;
  let cached: { value: PublicVersion; at: number; generation: number } | undefined;
  let reading: Promise<PublicVersion> | undefined;
  events?.subscribe(() => void generation++);
  return {
    current() {
      if (cached && cached.generation === generation && Date.now() - cached.at < VERSION_TTL_MS) {
        return Promise.resolve(cached.value);
      }
      reading ??= (async () => {
        // Stamped before the read: what it sees is at least as new as this moment.
        const at = Date.now();
        const seen = generation;
        try {
          const value = await readPublicVersion(db);
          cached = { value, at, generation: seen };
          return value;
        } finally {
          reading = undefined;
        }
      })();
      return reading;
    },
  };
}

/**
 * Whether the answer depends on who asks: a staff session cookie (whatever its value: staff
 * content must never get a shared ETag or a 304 decided for everyone), or a well-formed
 * read-your-writes position in the header or the cookie (server/db/replica-http.ts: its holder
 * must see their own report at once, not a shared copy without it). Nothing else: a malformed
 * position or an unrelated cookie changes nothing in the answer, and must not let anyone turn
 * shared caching off.
 */
export function isClientSpecific(req: Request): boolean {
  const cookies = (req.cookies ?? {}) as Record<string, unknown>;
  return cookies[SESSION_COOKIE] !== undefined || readAfterOf(req) !== undefined;
}

/** A whole second no later than now − SETTLE_MS and after the last change, so that every change before it is in the answer. */
export function lastModifiedOf(lastChangeMs: number, nowMs: number): number {
  const settled = Math.floor((nowMs - SETTLE_MS) / 1000) * 1000;
  const afterChange = Math.floor(lastChangeMs / 1000) * 1000 + 1000;
  return afterChange <= settled ? afterChange : settled;
}

const opaque = (tag: string) => tag.replace(/^W\//, '');

/**
 * RFC 9110 §13.2.2: If-None-Match decides when present (weak comparison), If-Modified-Since
 * otherwise. A date is accepted only if it is one we could have sent now, and then only if
 * nothing changed at or after it.
 */
function isFresh(req: Request, etag: string, lastChangeMs: number, lastModifiedMs: number): boolean {
  const inm = req.get('If-None-Match');
  if (inm !== undefined) {
    // `*` ("any representation") is never a match: the 304 is decided before the request is
    // validated, and a tile out of range or an unknown filter has no representation at all.
    return inm.split(',').some((t) => opaque(t.trim()) === opaque(etag));
  }
  const ims = Date.parse(req.get('If-Modified-Since') ?? '');
  return !Number.isNaN(ims) && lastChangeMs < ims && ims <= lastModifiedMs;
}

/** Path and query with the parameters sorted (stably: a repeated parameter keeps its order). */
function normalisedUrl(req: Request): string {
  const url = new URL(req.originalUrl, 'http://x');
  const params = [...url.searchParams].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${url.pathname}?${new URLSearchParams(params).toString()}`;
}

export interface ConditionalOptions {
  source: PublicVersionSource;
  cacheControl: string;
  /** Links in the answer start with this (it also adds `Vary: Host` where it comes from the request). */
  baseUrl: (req: Request) => string;
  /** Request headers the answer depends on besides the URL (e.g. Accept-Language for Open311). */
  vary?: string[];
}

/** Validators of this response, for routes that cache by them (tiles keep low zooms' bytes). */
export const publicEtagOf = (res: Response): string | undefined => res.locals.publicEtag as string | undefined;

/**
 * Mount in front of a public GET route. Answers 304 itself, or sets ETag, Last-Modified,
 * Cache-Control and Vary and lets the route build the answer. Errors keep no validators.
 */
export function conditionalRead(opts: ConditionalOptions): RequestHandler {
  return async (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    // Both make the answer private (isClientSpecific): a cache must key on them.
    res.vary(`Cookie, ${READ_AFTER_HEADER}`);
    if (isClientSpecific(req)) {
      res.set('Cache-Control', PRIVATE_CACHE);
      return next();
    }
    let version: PublicVersion;
    try {
      version = await opts.source.current();
    } catch {
      // The route meets the same database and answers for itself (a 503); no validators.
      return next();
    }
    const now = Date.now();
    const base = opts.baseUrl(req);
    const hash = crypto.createHash('sha256');
    for (const part of [FORMAT, version.tag, String(Math.floor(now / EPOCH_MS)), base, normalisedUrl(req)]) {
      hash.update(part).update('\n');
    }
    for (const header of opts.vary ?? []) hash.update(req.get(header) ?? '').update('\n');
    const etag = `W/"${hash.digest('base64url').slice(0, 27)}"`;
    const lastModified = lastModifiedOf(version.lastChangeMs, now);
    if (opts.vary?.length) res.vary(opts.vary.join(', '));
    res.set({
      ETag: etag,
      'Last-Modified': new Date(lastModified).toUTCString(),
      'Cache-Control': opts.cacheControl,
      'CDN-Cache-Control': CDN_CACHE,
    });
    if (isFresh(req, etag, version.lastChangeMs, lastModified)) return void res.status(304).end();
    // Decided here: Express's own check (res.send) must not answer 304 by a looser rule.
    delete req.headers['if-none-match'];
    delete req.headers['if-modified-since'];
    res.locals.publicEtag = etag;
    dropValidatorsOnError(res);
    next();
  };
}

/** A 4xx or 5xx is not the resource: it must not be revalidated into a 304 or kept by a CDN. */
function dropValidatorsOnError(res: Response): void {
  const writeHead = res.writeHead.bind(res) as (...a: unknown[]) => Response;
  res.writeHead = function (this: Response, ...args: unknown[]) {
    const status = typeof args[0] === 'number' ? args[0] : this.statusCode;
    if (status >= 400) {
      this.removeHeader('ETag');
      this.removeHeader('Last-Modified');
      this.removeHeader('CDN-Cache-Control');
      this.setHeader('Cache-Control', 'no-store');
    }
    return writeHead(...args);
  } as typeof res.writeHead;
}
