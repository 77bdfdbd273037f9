// How far behind the primary a read replica is, in time (server/db/replica.ts). A replica
// that stops replaying (its WAL receiver down, replay paused, a long query holding it back up
// to max_standby_streaming_delay) would go on serving reports hidden or rejected on the
// primary; DESIGN.md wants a hidden report out of every public channel at once, so public
// reads may use the replica only while it is at most REPLICA_MAX_LAG_S behind.
//
// Time, not bytes: every second the pool records the primary's WAL position with the moment
// it asked. Once the replica has replayed a recorded position, everything committed before
// that moment is on the replica, so its lag is at most "now minus that moment". That bound
// grows by itself while nothing new is learnt (a replica that hangs instead of answering is
// stale after REPLICA_MAX_LAG_S like one that answers "paused").

/** A WAL position of the primary and when it was asked for (ms). */
interface Sample {
  lsn: bigint;
  at: number;
}

export class ReplicaFreshness {
  private readonly samples: Sample[] = [];
  /** The latest moment whose commits the replica is known to have replayed; only grows. */
  private coveredAt: number | undefined;
  /** The first sample's moment: the replica is at least "now minus this" behind while coveredAt is unknown. */
  private firstAt: number | undefined;
  private replayed: bigint | 'all' | undefined;

  constructor(
    readonly maxLagMs: number,
    /** Samples kept: positions the replica has not reached yet, while it catches up. */
    private readonly keep = 120,
  ) {}

  /** The primary was at `lsn` (or further) at `at`, stamped when the question was sent. */
  addPrimary(lsn: bigint, at: number): void {
    this.firstAt ??= at;
    this.samples.push({ lsn, at });
    if (this.samples.length > this.keep) this.samples.shift();
    this.update();
  }

  /** The replica's replay position; 'all': it is not a standby (the primary, a promoted replica). */
  setReplayed(lsn: bigint | 'all'): void {
    this.replayed = lsn;
    this.update();
  }

  /** The newest position the primary is known to have reached (what no client can be ahead of). */
  latestPrimary(): bigint | undefined {
    return this.samples.at(-1)?.lsn;
  }

  /**
   * How far behind the replica is at most (ms), 0 if it is not a standby; undefined before the
   * first sample (nothing known: the replica is not trusted yet). While it has reached no
   * sample at all, a lower bound.
   */
  lagMs(now: number): number | undefined {
    if (this.replayed === 'all') return 0;
    if (this.coveredAt !== undefined) return Math.max(0, now - this.coveredAt);
    return this.firstAt === undefined ? undefined : Math.max(0, now - this.firstAt);
  }

  isFresh(now: number): boolean {
    if (this.replayed === 'all') return true;
    return this.coveredAt !== undefined && now - this.coveredAt <= this.maxLagMs;
  }

  private update(): void {
    const replayed = this.replayed;
    if (replayed === undefined || replayed === 'all') return;
    for (let i = this.samples.length - 1; i >= 0; i--) {
      const sample = this.samples[i]!;
      if (sample.lsn <= replayed) {
        if (this.coveredAt === undefined || sample.at > this.coveredAt) this.coveredAt = sample.at;
        break;
      }
    }
  }
}
