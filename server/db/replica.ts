// Public reads from a streaming replica (DATABASE_READ_URL), without anyone missing their own
// writes. What goes where (the audit of every public read, issue 17):
//
// - the replica: public lists, one report, nearby, the timeline, tiles, clusters, OGC, Open311
//   reads, stats, exports and the release builds — all of them may be a moment behind the
//   primary (a replica replays within milliseconds when healthy), except for a client that has
//   just written (read-your-writes below);
// - the primary, with the public reads' statement budget (`ReplicaReadPool.primary`): the staff
//   list, staff tiles and clusters (staff act on what they just changed; replica-http.ts scopes
//   every /api/v1/staff and /tiles/staff request to the primary) and the photo gate (a photo of
//   a report that was just hidden must be unreachable at once; the check is one index lookup);
// - the primary's main pool, as before: every write and every read inside a write flow, staff
//   views, sessions, rate limits, /healthz.
//
// Read-your-writes: after a citizen write commits, the answer carries the primary's WAL insert
// position (server/db/replica-http.ts sets a cookie and a header). A read carrying a position
// goes to the replica only once the replica has replayed that far, otherwise to the primary.
// For reads with a position the replica's replay position is asked for at most every
// REPLAY_CACHE_MS (besides the once-a-second round below), and never per read without one. A
// replica that does not answer sends every read to the primary for DOWN_FOR_MS (a warning at
// most every WARN_EVERY_MS), then is tried again.
//
// Bounded staleness (replica-freshness.ts): every SAMPLE_EVERY_MS the pool records the
// primary's WAL position and asks the replica how far it has replayed; a replica more than
// REPLICA_MAX_LAG_S behind gets no public reads (they go to the primary) until it catches up.
//
// Positions are the client's word: one beyond anything the primary has written is forged
// (it would keep its holder on the primary for ever) and counts as the primary's position now.
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import type { Logger } from '../logger';
import { ReplicaFreshness } from './replica-freshness';

export const REPLAY_CACHE_MS = 50;
const DOWN_FOR_MS = 5_000;
const WARN_EVERY_MS = 60_000;
const SAMPLE_EVERY_MS = 1000;
export const REPLICA_MAX_LAG_S_DEFAULT = 5;

/** What the request being served asks of the reads: a position they must include. */
export interface ReadScope {
  after?: bigint;
  /** Staff views read the primary: staff act on what they (or a colleague) just changed. */
  primary?: boolean;
}

/** Set per request by server/db/replica-http.ts; every query started within sees it. */
export const readScope = new AsyncLocalStorage<ReadScope>();

/** A WAL position as PostgreSQL prints it (`16/B374D848`), as a number; undefined if malformed. */
export function parseLsn(text: unknown): bigint | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i.exec(text);
  return m ? (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`) : undefined;
}

export const formatLsn = (lsn: bigint) =>
  `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;

/**
 * The insert position as a replay position. At a page's start PostgreSQL reports the insert
 * position past the page header (24 bytes, 40 on a segment's first page), while a standby's
 * replay position is the end of the last record, before that header: a writer would wait for
 * the next record from anyone (on an idle database, seconds) to be "replayed".
 */
export function recordEnd(lsn: bigint, sizes: { page: bigint; segment: bigint }): bigint {
  if (lsn % sizes.segment === 40n) return lsn - 40n;
  if (lsn % sizes.page === 24n) return lsn - 24n;
  return lsn;
}

/** Connection failures and a standby's cancellations: the same read can run on the primary. */
export function isUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | undefined;
  const code = e?.code ?? '';
  if (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE)$/.test(code)) return true;
  // 08: connection exceptions; 57P01-03: shutting down / cannot connect now; 40001 on a standby:
  // the statement was cancelled by a conflict with recovery.
  if (/^(08...|57P0[1-3]|40001)$/.test(code)) return true;
  return /Connection terminated|timeout exceeded when trying to connect/i.test(e?.message ?? '');
}

type ConnectCallback = (
  err: Error | undefined,
  client: pg.PoolClient | undefined,
  done: (release?: unknown) => void,
) => void;
/** A replayed WAL position, or 'all' for a server that is not a standby. */
type Replayed = bigint | 'all';

/**
 * A pg.Pool that sends each query to the replica or the primary (see above), so that every
 * router keeps taking "a pool" and none of them needs to know about replicas.
 */
export class ReplicaReadPool extends pg.Pool {
  private replayed: { lsn: Replayed; at: number } | undefined;
  private replayQuery: Promise<Replayed | undefined> | undefined;
  private downUntil = 0;
  private lastWarning = -Infinity;
  private lsnNow: Promise<string> | undefined;
  private lsnNext: Promise<string> | undefined;
  private walSizes: Promise<{ page: bigint; segment: bigint }> | undefined;
  private readonly freshness: ReplicaFreshness;
  /** The newest position the primary answered for a write (a client may hold one this new). */
  private lastIssued: bigint | undefined;
  private sampling: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout;
  private lastLagWarning = -Infinity;
  private warnedLag = false;

  constructor(
    /** The replica's pool. */
    readonly replica: pg.Pool,
    /** A pool on the primary with the public reads' statement budget. */
    readonly primary: pg.Pool,
    private readonly logger: Logger,
    opts: { maxLagS?: number } = {},
  ) {
    // Never connects itself: every query goes to one of the two pools.
    super({ max: 1 });
    this.freshness = new ReplicaFreshness((opts.maxLagS ?? REPLICA_MAX_LAG_S_DEFAULT) * 1000);
    // One timer per pool (not per request); it must not keep a finished process alive.
    this.timer = setInterval(() => void this.sample(), SAMPLE_EVERY_MS).unref();
    void this.sample();
  }

  // pg's overloads (text, config, values, callback, Submittable) pass through as they are.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: unknown[]): any {
    const call = (pool: pg.Pool) => (pool as unknown as { query(...a: unknown[]): unknown }).query(...args);
    const submittable = typeof (args[0] as { submit?: unknown } | null)?.submit === 'function';
    // Answered synchronously (a stream, a callback): decided on what is known already.
    if (submittable || typeof args.at(-1) === 'function') return call(this.chooseNow());
    return this.routed((pool) => call(pool) as Promise<pg.QueryResult>);
  }

  override connect(): Promise<pg.PoolClient>;
  override connect(callback: ConnectCallback): void;
  override connect(callback?: ConnectCallback): Promise<pg.PoolClient> | void {
    const client = this.routed((pool) => pool.connect());
    if (!callback) return client;
    client.then(
      (c) => callback(undefined, c, () => c.release()),
      (err: Error) => callback(err, undefined, () => undefined),
    );
  }

  override async end(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([this.replica.end(), this.primary.end()]);
  }

  /**
   * The primary's WAL insert position now, for the answer to a write that has committed. One
   * query serves every write that finished before it started: callers arriving while one is
   * under way share the next one (it may have started before their commit).
   */
  primaryLsn(): Promise<string> {
    if (!this.lsnNow) return this.fetchPrimaryLsn();
    this.lsnNext ??= this.lsnNow
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        this.lsnNext = undefined;
        return this.fetchPrimaryLsn();
      });
    return this.lsnNext;
  }

  private fetchPrimaryLsn(): Promise<string> {
    // The insert position, not the write position: with synchronous_commit off a commit record
    // can be inserted but not yet written, and the replica must have replayed it.
    const lsn = this.primaryPosition('pg_current_wal_insert_lsn()').then((end) => {
      if (this.lastIssued === undefined || end > this.lastIssued) this.lastIssued = end;
      return formatLsn(end);
    });
    this.lsnNow = lsn;
    const done = () => {
      if (this.lsnNow === lsn) this.lsnNow = undefined;
    };
    lsn.then(done, () => {
      done();
      this.walSizes = undefined;
    });
    return lsn;
  }

  /** A position function's answer on the primary, as a replay position (recordEnd). */
  private primaryPosition(fn: 'pg_current_wal_insert_lsn()' | 'pg_current_wal_lsn()'): Promise<bigint> {
    return Promise.all([
      this.primary.query<{ lsn: string }>(`SELECT ${fn}::text AS lsn`),
      (this.walSizes ??= this.primary
        .query<{ page: string; segment: string }>(
          `SELECT current_setting('wal_block_size') AS page,
                  (SELECT setting FROM pg_settings WHERE name = 'wal_segment_size') AS segment`,
        )
        .then((r) => ({ page: BigInt(r.rows[0]!.page), segment: BigInt(r.rows[0]!.segment) }))),
    ]).then(([r, sizes]) => recordEnd(parseLsn(r.rows[0]!.lsn)!, sizes));
  }

  /**
   * One round of the staleness bound: the primary's write position (what has been written:
   * the replica can receive it; recordEnd so that an idle primary past a page header does not
   * look ahead of its replica for ever), then the replica's replay position: asked after, so
   * that a healthy replica has replayed the sample just taken. A round still running (a
   * replica that hangs) is not doubled; the bound ages meanwhile all the same.
   */
  private sample(): Promise<void> {
    this.sampling ??= (async () => {
      const at = Date.now();
      try {
        this.freshness.addPrimary(await this.primaryPosition('pg_current_wal_lsn()'), at);
      } catch {
        // The primary's own trouble shows everywhere else; the bound ages meanwhile.
        this.walSizes = undefined;
      }
      await this.refreshReplay();
      this.reportLag();
    })().finally(() => (this.sampling = undefined));
    return this.sampling;
  }

  /** Whether the replica is recent enough for public reads at all. */
  private replicaFresh(): boolean {
    return this.freshness.isFresh(Date.now());
  }

  private reportLag(): void {
    const now = Date.now();
    // A replica that does not answer has its own warning (markDown).
    if (now < this.downUntil) return;
    const lag = this.freshness.lagMs(now);
    if (lag === undefined) return;
    if (!this.freshness.isFresh(now)) {
      if (now - this.lastLagWarning < WARN_EVERY_MS) return;
      this.lastLagWarning = now;
      this.warnedLag = true;
      this.logger.warn(`read replica is ${Math.round(lag / 1000)} s behind; reading from the primary`);
    } else if (this.warnedLag) {
      this.warnedLag = false;
      this.logger.info('read replica has caught up; public reads go to it again');
    }
  }

  /**
   * A client's position, no later than what the primary has reached: a later one is forged
   * (or garbage) and counts as the primary's position now, which the replica reaches within
   * milliseconds. Only a position newer than anything known costs a question to the primary
   * (shared with the writes'); undefined if the primary did not answer.
   */
  private async clamped(after: bigint): Promise<bigint | undefined> {
    const known = [this.freshness.latestPrimary(), this.lastIssued].reduce<bigint | undefined>(
      (a, b) => (b !== undefined && (a === undefined || b > a) ? b : a),
      undefined,
    );
    if (known !== undefined && after <= known) return after;
    try {
      const now = parseLsn(await this.primaryLsn())!;
      return after < now ? after : now;
    } catch {
      return undefined;
    }
  }

  private async routed<T>(run: (pool: pg.Pool) => Promise<T>): Promise<T> {
    const pool = await this.choose();
    if (pool === this.primary) return run(pool);
    try {
      return await run(pool);
    } catch (err) {
      if (!isUnavailable(err)) throw err;
      this.markDown(err);
      return run(this.primary);
    }
  }

  private async choose(): Promise<pg.Pool> {
    if (Date.now() < this.downUntil || readScope.getStore()?.primary || !this.replicaFresh()) return this.primary;
    const asked = readScope.getStore()?.after;
    if (asked === undefined) return this.replica;
    const after = await this.clamped(asked);
    if (after === undefined) return this.primary;
    const replayed = await this.replayLsn(after);
    return replayed === 'all' || (replayed !== undefined && replayed >= after) ? this.replica : this.primary;
  }

  private chooseNow(): pg.Pool {
    if (Date.now() < this.downUntil || readScope.getStore()?.primary || !this.replicaFresh()) return this.primary;
    const after = readScope.getStore()?.after;
    const lsn = this.replayed?.lsn;
    return after === undefined || lsn === 'all' || (lsn !== undefined && lsn >= after) ? this.replica : this.primary;
  }

  /**
   * How far the replica has replayed: cached for REPLAY_CACHE_MS (positions only grow, so a
   * cached one far enough is good for ever). 'all': the read URL is not a standby (it is the
   * primary itself, or a promoted replica); undefined: the replica did not answer.
   */
  private async replayLsn(after: bigint): Promise<Replayed | undefined> {
    const cached = this.replayed;
    if (cached && (cached.lsn === 'all' || cached.lsn >= after || Date.now() - cached.at < REPLAY_CACHE_MS)) {
      return cached.lsn;
    }
    return this.refreshReplay();
  }

  /** Asks the replica (one question at a time, shared by whoever waits). */
  private refreshReplay(): Promise<Replayed | undefined> {
    this.replayQuery ??= this.replica
      .query<{ lsn: string | null }>('SELECT pg_last_wal_replay_lsn()::text AS lsn')
      .then(
        (r) => {
          const lsn = parseLsn(r.rows[0]?.lsn) ?? 'all';
          this.replayed = { lsn, at: Date.now() };
          this.freshness.setReplayed(lsn);
          return lsn;
        },
        (err) => {
          this.markDown(err);
          return undefined;
        },
      )
      .finally(() => (this.replayQuery = undefined));
    return this.replayQuery;
  }

  private markDown(err: unknown): void {
    const now = Date.now();
    this.downUntil = now + DOWN_FOR_MS;
    if (now - this.lastWarning < WARN_EVERY_MS) return;
    this.lastWarning = now;
    this.logger.warn(
      { err: { message: (err as Error)?.message, code: (err as { code?: string })?.code } },
      `read replica unavailable: public reads go to the primary for now (retried every ${DOWN_FOR_MS / 1000} s)`,
    );
  }
}
