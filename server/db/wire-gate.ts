// Who has the embedded database: PGlite is one session, so the wire server (wire.ts) lets one
// connection's query run at a time, and a connection in a transaction keeps the database
// until it ends the transaction. A transaction left idle is ended, as PostgreSQL's
// idle_in_transaction_session_timeout does, and sooner when another connection is waiting.
//
// The public reads' connection is in the background (its application_name, READS_APPLICATION_NAME):
// it lets waiting foreground statements go first, and waits a moment after one, so the next
// statement of the same report runs before the next read. A report is several statements
// (address, key, insert, read-back); taking turns one for one, each waited behind a read of up
// to half a second when one address ran expensive reads (issue 11's last attack: reports 2–4 s).
// A read is put off for at most BACKGROUND_MAX_DEFER_MS, so writes cannot starve the map.
import type { PGlite } from '@electric-sql/pglite';

/** The application_name of the public reads' pool (database.ts): its statements give way. */
export const READS_APPLICATION_NAME = 'wegfrei-reads';
/** How long after a foreground statement a background one still waits for the next. */
const FOREGROUND_GRACE_MS = 10;
/** The longest a background statement gives way to foreground ones. */
const BACKGROUND_MAX_DEFER_MS = 500;

export interface IdleLimits {
  /** A transaction idle this long, with no one else waiting, is rolled back and its connection ended. */
  idleInTransactionMs: number;
  /** The same once another connection waits for the database. */
  idleInTransactionContendedMs: number;
}

export class Gate {
  private busy = false;
  private owner: number | null = null;
  private idleSince = 0;
  private waiters: (() => void)[] = [];
  private idleTimer: NodeJS.Timeout | undefined;
  private graceTimer: NodeJS.Timeout | undefined;
  /** Foreground statements waiting for their turn, and when the last one ended. */
  private foregroundWaiting = 0;
  private foregroundEndedAt = 0;
  /** Connections ended for idling: whatever they still had queued is refused. */
  private readonly ended = new Set<number>();

  constructor(
    private readonly db: PGlite,
    private readonly limits: IdleLimits,
    /** Told first, to send the client its error and close; the rollback follows. */
    private readonly onIdleEnded: (connection: number) => void,
  ) {}

  async run<T>(connection: number, work: () => Promise<T>, background = false): Promise<T> {
    const since = Date.now();
    if (!background) this.foregroundWaiting++;
    try {
      while (
        this.busy ||
        (this.owner !== null && this.owner !== connection) ||
        (background && this.owner !== connection && this.givesWay(since))
      ) {
        const turn = new Promise<void>((resolve) => this.waiters.push(resolve));
        this.armIdleTimer();
        await turn;
      }
    } finally {
      if (!background) this.foregroundWaiting--;
    }
    if (this.ended.has(connection)) throw new Error('connection ended for idling in a transaction');
    clearTimeout(this.idleTimer);
    this.busy = true;
    try {
      return await work();
    } finally {
      this.owner = this.db.isInTransaction() ? connection : null;
      this.busy = false;
      if (!background) this.foregroundEndedAt = Date.now();
      this.idleSince = Date.now();
      this.wakeAll();
      this.armIdleTimer();
    }
  }

  /** A connection that went away must not keep its transaction open for everyone else. */
  async release(connection: number): Promise<void> {
    this.ended.delete(connection);
    if (this.owner !== connection) return;
    await this.run(connection, () => this.db.exec('ROLLBACK').then(() => undefined));
  }

  stop(): void {
    clearTimeout(this.idleTimer);
    clearTimeout(this.graceTimer);
  }

  /** Whether a background statement waiting since `since` lets the foreground go first. */
  private givesWay(since: number): boolean {
    const now = Date.now();
    if (now - since >= BACKGROUND_MAX_DEFER_MS) return false;
    if (this.foregroundWaiting > 0) return true;
    const graceLeft = this.foregroundEndedAt + FOREGROUND_GRACE_MS - now;
    if (graceLeft <= 0) return false;
    // Nobody else may wake it when the grace ends: a timer does.
    clearTimeout(this.graceTimer);
    this.graceTimer = setTimeout(() => this.wakeAll(), graceLeft);
    this.graceTimer.unref();
    return true;
  }

  private wakeAll(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Due from when the owner last finished a query; shorter while anyone waits. */
  private armIdleTimer(): void {
    clearTimeout(this.idleTimer);
    if (this.owner === null || this.busy) return;
    const owner = this.owner;
    const limit = this.waiters.length ? this.limits.idleInTransactionContendedMs : this.limits.idleInTransactionMs;
    this.idleTimer = setTimeout(
      () => void this.endIdle(owner).catch(() => undefined),
      Math.max(0, this.idleSince + limit - Date.now()),
    );
    // An idle transaction is no reason to keep the process alive.
    this.idleTimer.unref();
  }

  private async endIdle(connection: number): Promise<void> {
    if (this.owner !== connection || this.busy) return;
    this.ended.add(connection);
    this.onIdleEnded(connection);
    this.busy = true;
    try {
      await this.db.exec('ROLLBACK');
    } finally {
      this.owner = null;
      this.busy = false;
      this.wakeAll();
    }
  }
}
