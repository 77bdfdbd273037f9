// Request counts in PostgreSQL, shared by every app process (migrations/0021_rate_limits.sql):
// an express-rate-limit Store, so the limits in rate-limit.ts (and the gateway and address
// search limits) count one client once however many processes or machines serve it. Used
// on a real PostgreSQL server only; the embedded database is one process, where the memory
// store is exact and free.
//
// Two ways of counting into the one table:
// - exact (here), for the rare, small limits (reports, logins, follow requests, webhooks, the
//   geocoder): each hit is one statement on the pool (INSERT … ON CONFLICT DO UPDATE …
//   RETURNING hits), a connection taken for that statement alone and never held while
//   anything waits on the client;
// - batched (rate-limit-batch.ts), for the high-volume reads: hits counted in memory and sent
//   every 250 ms in one statement, at the price of a bounded overshoot across processes.
// Windows that ended are deleted now and then by whichever process counts next.
import crypto from 'node:crypto';
import type { ClientRateLimitInfo, IncrementResponse, Options, Store } from 'express-rate-limit';
import type pg from 'pg';
import type { Logger } from '../logger';
import { batchedStores } from './rate-limit-batch';

/**
 * A store per limit: `name` keeps one limit's counts apart from another's for the same client.
 * `batched` for limits of many requests a second (rate-limit-batch.ts), exact otherwise.
 */
export type LimitStores = (name: string, opts?: { batched?: boolean }) => Store;

/** What both kinds of store share: client keys, the warning, the sweep, and single-key writes. */
export interface LimitDatabase {
  keyOf: (name: string, client: string) => Promise<string>;
  /** Says (at most once a minute) that counting failed and requests go through uncounted. */
  warn: (err: unknown) => void;
  /** Deletes the windows that ended, at most once a minute. */
  sweep: () => void;
  decrement: (key: string) => Promise<void>;
  reset: (key: string) => Promise<void>;
}

/** How often the ended windows are deleted (by any one process; more often does no harm). */
const SWEEP_EVERY_MS = 60_000;
/** At most one warning a minute while the database cannot count, not one per request. */
const WARN_EVERY_MS = 60_000;

// Clients are keyed by an HMAC of their address under the database's own address key (made
// once per database by migrations/0008, and used for confirmations the same way), so the
// table names no address, and every process computes the same key for one client.
const KEY_SQL = `SELECT value FROM settings WHERE name = 'confirmation_address_key'`;

// A window starts at the client's first hit and lasts windowMs (the memory store's rule); a
// hit after it ended starts the next one.
const INCREMENT_SQL = `
  INSERT INTO rate_limit_hits AS h (key, window_start, expires_at, hits)
  VALUES ($1, now(), now() + make_interval(secs => $2::float8 / 1000), 1)
  ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN h.expires_at <= now() THEN 1 ELSE h.hits + 1 END,
    window_start = CASE WHEN h.expires_at <= now() THEN now() ELSE h.window_start END,
    expires_at = CASE WHEN h.expires_at <= now() THEN EXCLUDED.expires_at ELSE h.expires_at END
  RETURNING hits, expires_at`;
const DECREMENT_SQL = `UPDATE rate_limit_hits SET hits = hits - 1 WHERE key = $1 AND hits > 0 AND expires_at > now()`;
const GET_SQL = `SELECT hits, expires_at FROM rate_limit_hits WHERE key = $1 AND expires_at > now()`;
const RESET_SQL = `DELETE FROM rate_limit_hits WHERE key = $1`;
const SWEEP_SQL = `DELETE FROM rate_limit_hits WHERE expires_at < now()`;

export function postgresLimitStores(pool: pg.Pool, logger: Logger): LimitStores {
  let secret: Promise<Buffer> | undefined;
  const addressSecret = () => {
    secret ??= pool.query<{ value: string }>(KEY_SQL).then(({ rows }) => {
      if (!rows[0]) throw new Error('settings.confirmation_address_key is missing (migrations/0008)');
      return Buffer.from(rows[0].value, 'hex');
    });
    // A failed read (database away) is tried again at the next hit.
    void secret.catch(() => (secret = undefined));
    return secret;
  };
  let warnedAt = 0;
  let sweptAt = Date.now();
  const db: LimitDatabase = {
    keyOf: async (name, client) =>
      `${name}:${crypto
        .createHmac('sha256', await addressSecret())
        .update(client)
        .digest('base64url')}`,
    warn: (err) => {
      if (Date.now() - warnedAt < WARN_EVERY_MS) return;
      warnedAt = Date.now();
      logger.warn({ err }, 'Rate limits could not count in the database; letting requests through uncounted');
    },
    sweep: () => {
      if (Date.now() - sweptAt < SWEEP_EVERY_MS) return;
      sweptAt = Date.now();
      pool.query(SWEEP_SQL).catch(db.warn);
    },
    decrement: async (key) => {
      try {
        await pool.query(DECREMENT_SQL, [key]);
      } catch (err) {
        db.warn(err); // A hit left counted: at worst the client waits for the window a little sooner.
      }
    },
    reset: async (key) => {
      await pool.query(RESET_SQL, [key]);
    },
  };
  let batched: ((name: string) => Store) | undefined;

  return (name, opts) => {
    if (opts?.batched) return (batched ??= batchedStores(pool, db))(name);
    let windowMs = 60_000;
    const info = (row: { hits: number; expires_at: Date }): ClientRateLimitInfo => ({
      totalHits: row.hits,
      resetTime: row.expires_at,
    });
    return {
      localKeys: false,
      init(options: Options) {
        windowMs = options.windowMs;
      },
      async increment(client): Promise<IncrementResponse> {
        db.sweep();
        try {
          const { rows } = await pool.query<{ hits: number; expires_at: Date }>(INCREMENT_SQL, [
            await db.keyOf(name, client),
            windowMs,
          ]);
          return info(rows[0]!);
        } catch (err) {
          // Fail open: a database that cannot count this hit (overloaded, failing over) must
          // not turn every request into a 500; the request goes on uncounted, and we say so.
          db.warn(err);
          return { totalHits: 0, resetTime: new Date(Date.now() + windowMs) };
        }
      },
      async decrement(client) {
        const key = await db.keyOf(name, client).catch(db.warn);
        if (key) await db.decrement(key);
      },
      async get(client) {
        try {
          const { rows } = await pool.query<{ hits: number; expires_at: Date }>(GET_SQL, [
            await db.keyOf(name, client),
          ]);
          return rows[0] ? info(rows[0]) : undefined;
        } catch (err) {
          db.warn(err);
          return undefined;
        }
      },
      async resetKey(client) {
        await db.reset(await db.keyOf(name, client));
      },
    };
  };
}
