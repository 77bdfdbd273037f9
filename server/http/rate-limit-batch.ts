// Batched counts for the high-volume limits (the expensive public reads): each process counts
// hits in memory and answers at once from what the database last said plus what it counted
// since, and every FLUSH_MS sends all its new hits in ONE statement (rate-limit-store.ts has
// the exact store, one statement per hit, for the rare limits: reports, logins, webhooks…).
// A map view fires a dozen tile requests at once; counted exactly they were a dozen writes to
// one row of the primary, queued on its lock, even when a replica served the tiles.
//
// The price is overshoot across processes: a process does not see what the others counted
// since its own last flush. A process flushes at least every FLUSH_MS while it has new hits,
// and at once when one client's unflushed hits reach EARLY_FRACTION of the limit; so each
// other process holds back at most what it counted in one flush interval (and never more
// than about a quarter of the limit), and a client gets at most that much over the limit per
// process. Within one process the count is exact: it refuses at the limit.
import type { ClientRateLimitInfo, IncrementResponse, Options, Store } from 'express-rate-limit';
import type pg from 'pg';
import type { LimitDatabase } from './rate-limit-store';

/** How often a process sends the hits it counted. */
export const FLUSH_MS = 250;
/** A client's unflushed hits that make a process flush at once, as a share of its limit. */
const EARLY_FRACTION = 1 / 4;
/** Clients kept in memory at most; more make the process flush and forget settled ones. */
export const MAX_KEYS = 100_000;

interface Entry {
  /** The client's count in the database, as the last flush returned it. */
  global: number;
  /** Hits counted here and not yet sent. */
  pending: number;
  /** Hits sent in the flush under way. */
  sending: number;
  /** When the window ends (ms): the database's word once a flush returned, a guess before. */
  resetAt: number;
  windowMs: number;
  /** Bumped when the window ends here, so a flush of the old window does not count in the new. */
  generation: number;
}

/** One flush: the keys, the hits of each and its window (the statement's arrays). */
export interface Batch {
  keys: string[];
  deltas: number[];
  windows: number[];
  generations: number[];
}

/** What the database returned for one key. */
export interface Settled {
  key: string;
  hits: number;
  expiresAt: Date;
}

/** The in-memory side, free of timers and databases (tests/unit/rate-limit-batch.test.ts). */
export class LocalCounts {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxKeys = MAX_KEYS,
    private readonly now: () => number = Date.now,
  ) {}

  get size() {
    return this.entries.size;
  }

  /**
   * Counts one hit of `key`. `flushNow` says the batch should go before the next tick (this
   * client's unflushed hits reached a share of its limit, or the map is full).
   */
  hit(key: string, windowMs: number, limit?: number): { totalHits: number; resetTime: Date; flushNow: boolean } {
    const now = this.now();
    let flushNow = false;
    let entry = this.entries.get(key);
    if (!entry) {
      if (this.entries.size >= this.maxKeys) flushNow = this.makeRoom();
      entry = { global: 0, pending: 0, sending: 0, resetAt: now + windowMs, windowMs, generation: 0 };
      this.entries.set(key, entry);
    } else if (entry.resetAt <= now) {
      // A hit after the window ended starts the next one (the hits not yet sent belonged to
      // the old window: the database would start the new one with them, so they are dropped).
      Object.assign(entry, { global: 0, pending: 0, sending: 0, resetAt: now + windowMs, windowMs });
      entry.generation++;
    }
    entry.pending++;
    if (limit !== undefined && entry.pending >= Math.max(1, limit * EARLY_FRACTION)) flushNow = true;
    return { totalHits: entry.global + entry.sending + entry.pending, resetTime: new Date(entry.resetAt), flushNow };
  }

  /** Takes back one unsent hit; false if there was none (the caller decrements in the database). */
  unhit(key: string): boolean {
    const entry = this.entries.get(key);
    if (!entry || entry.pending === 0) return false;
    entry.pending--;
    return true;
  }

  info(key: string): ClientRateLimitInfo | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.resetAt <= this.now()) return undefined;
    return { totalHits: entry.global + entry.sending + entry.pending, resetTime: new Date(entry.resetAt) };
  }

  forget(key: string) {
    this.entries.delete(key);
  }

  /**
   * The hits to send, keys sorted (two processes flushing the same keys lock the rows in one
   * order, so they never deadlock); undefined if there is nothing to send. One batch at a time.
   */
  take(): Batch | undefined {
    const batch: Batch = { keys: [], deltas: [], windows: [], generations: [] };
    for (const [key, entry] of this.entries) if (entry.pending > 0) batch.keys.push(key);
    if (!batch.keys.length) return undefined;
    batch.keys.sort();
    for (const key of batch.keys) {
      const entry = this.entries.get(key)!;
      batch.deltas.push(entry.pending);
      batch.windows.push(entry.windowMs);
      batch.generations.push(entry.generation);
      entry.sending = entry.pending;
      entry.pending = 0;
    }
    return batch;
  }

  /** The database's totals for a batch sent: they become what this process knows. */
  settle(batch: Batch, rows: Settled[]) {
    const byKey = new Map(rows.map((row) => [row.key, row]));
    batch.keys.forEach((key, i) => {
      const entry = this.entries.get(key);
      if (!entry || entry.generation !== batch.generations[i]) return; // forgotten, or a new window
      const row = byKey.get(key);
      entry.sending = 0;
      if (!row) return;
      entry.global = row.hits;
      entry.resetAt = row.expiresAt.getTime();
    });
  }

  /** A batch the database did not take: its hits wait for the next flush (and still count here). */
  fail(batch: Batch) {
    batch.keys.forEach((key, i) => {
      const entry = this.entries.get(key);
      if (!entry || entry.generation !== batch.generations[i]) return;
      entry.pending += entry.sending;
      entry.sending = 0;
    });
  }

  /** Forgets clients whose window ended; true if any client has hits still to send. */
  sweep(): boolean {
    const now = this.now();
    let pending = false;
    for (const [key, entry] of this.entries) {
      if (entry.resetAt <= now && entry.sending === 0) this.entries.delete(key);
      else if (entry.pending > 0) pending = true;
    }
    return pending;
  }

  /** When full: forgets ended windows, then clients with nothing unsent (the database has them). */
  private makeRoom(): boolean {
    this.sweep();
    if (this.entries.size < this.maxKeys) return false;
    for (const [key, entry] of this.entries) {
      if (entry.pending === 0 && entry.sending === 0) this.entries.delete(key);
    }
    // Still full: every client has hits unsent, so the map grows until the flush settles them.
    return this.entries.size >= this.maxKeys;
  }
}

// Adds each client's hits to its row, with the exact store's window rules: a window starts at
// the first hit and lasts windowMs; hits after it ended start the next one.
const FLUSH_SQL = `
  INSERT INTO rate_limit_hits AS h (key, window_start, expires_at, hits)
  SELECT key, now(), now() + make_interval(secs => window_ms::float8 / 1000), delta
  FROM unnest($1::text[], $2::int[], $3::int[]) WITH ORDINALITY AS t(key, delta, window_ms, n)
  ORDER BY n
  ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN h.expires_at <= now() THEN EXCLUDED.hits ELSE h.hits + EXCLUDED.hits END,
    window_start = CASE WHEN h.expires_at <= now() THEN now() ELSE h.window_start END,
    expires_at = CASE WHEN h.expires_at <= now() THEN EXCLUDED.expires_at ELSE h.expires_at END
  RETURNING key, hits, expires_at`;

/** The batched stores of one process: one map and one flush for every batched limit. */
export function batchedStores(pool: pg.Pool, db: LimitDatabase): (name: string) => Store {
  const counts = new LocalCounts();
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> | undefined;
  let again = false;

  const stop = () => {
    clearInterval(timer);
    timer = undefined;
  };
  const flush = (): Promise<void> => {
    if (flushing) {
      again = true;
      return flushing;
    }
    const batch = counts.take();
    if (!batch) return Promise.resolve();
    db.sweep();
    flushing = pool
      .query<{ key: string; hits: number; expires_at: Date }>(FLUSH_SQL, [batch.keys, batch.deltas, batch.windows])
      .then(({ rows }) =>
        counts.settle(
          batch,
          rows.map((r) => ({ key: r.key, hits: r.hits, expiresAt: r.expires_at })),
        ),
      )
      .catch((err: unknown) => {
        // Fail open: the requests went through already; the hits wait for the next flush.
        counts.fail(batch);
        db.warn(err);
      })
      .finally(() => {
        flushing = undefined;
        if (again) {
          again = false;
          void flush();
        }
      });
    return flushing;
  };
  const tick = () => {
    // The pool closing is the app closing: nothing can be sent any more.
    if (pool.ending) return stop();
    if (counts.sweep()) void flush();
    else if (counts.size === 0) stop(); // idle: started again by the next hit
  };

  return (name) => {
    let windowMs = 60_000;
    let limit: number | undefined;
    return {
      localKeys: false,
      init(options: Options) {
        windowMs = options.windowMs;
        limit = typeof options.limit === 'number' ? options.limit : undefined;
      },
      async increment(client): Promise<IncrementResponse> {
        let key: string;
        try {
          key = await db.keyOf(name, client);
        } catch (err) {
          db.warn(err);
          return { totalHits: 0, resetTime: new Date(Date.now() + windowMs) };
        }
        const { flushNow, ...info } = counts.hit(key, windowMs, limit);
        if (!timer && !pool.ending) {
          timer = setInterval(tick, FLUSH_MS);
          // A timer of its own must not keep a process (or a test run) alive.
          timer.unref();
        }
        if (flushNow) void flush();
        return info;
      },
      async decrement(client) {
        const key = await db.keyOf(name, client).catch(() => undefined);
        if (key && !counts.unhit(key)) await db.decrement(key);
      },
      async get(client) {
        const key = await db.keyOf(name, client).catch(() => undefined);
        return key === undefined ? undefined : counts.info(key);
      },
      async resetKey(client) {
        const key = await db.keyOf(name, client);
        counts.forget(key);
        await db.reset(key);
      },
      async shutdown() {
        stop();
        await flush();
      },
    };
  };
}
