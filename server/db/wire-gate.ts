// Who has the embedded database: PGlite is one session, so the wire server (wire.ts) lets one
// connection's query run at a time, and a connection in a transaction keeps the database
// until it ends the transaction. A transaction left idle is ended, as PostgreSQL's
// idle_in_transaction_session_timeout does, and sooner when another connection is waiting.
import type { PGlite } from '@electric-sql/pglite';

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
  /** Connections ended for idling: whatever they still had queued is refused. */
  private readonly ended = new Set<number>();

  constructor(
    private readonly db: PGlite,
    private readonly limits: IdleLimits,
    /** Told first, to send the client its error and close; the rollback follows. */
    private readonly onIdleEnded: (connection: number) => void,
  ) {}

  async run<T>(connection: number, work: () => Promise<T>): Promise<T> {
    while (this.busy || (this.owner !== null && this.owner !== connection)) {
      const turn = new Promise<void>((resolve) => this.waiters.push(resolve));
      this.armIdleTimer();
      await turn;
    }
    if (this.ended.has(connection)) throw new Error('connection ended for idling in a transaction');
    clearTimeout(this.idleTimer);
    this.busy = true;
    try {
      return await work();
    } finally {
      this.owner = this.db.isInTransaction() ? connection : null;
      this.busy = false;
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
