// One read of report_events per change for all live streams of this process. Each stream used
// to read the database itself on every change, so fifty coordinators online made fifty reads
// per event (issue 11's third attack: 500 streams held /healthz for 2–3.5 s). The feed reads
// once, with each report as coordinators see it, and keeps the newest events; a stream takes
// its own from them by scope (triage.scope.ts `inScope`). A replay within what the feed may keep
// is read into the feed once for every stream that asks (a reconnect storm of sixty streams
// with `Last-Event-ID: 0` made sixty replays of 1,000 events each); a stream further behind
// (a reader slower than `keep` events) reads the database itself, as before.
import type { EventBus } from '../../live/bus';
import type { Logger } from '../../logger';
import type { Queryable } from '../reports/reports.repo';
import type { Viewer } from '../triage/triage.scope';
import { eventsAfter, type LiveEvent } from './live.repo';

/** The feed reads for someone who sees every report; streams narrow it to their own scope. */
const EVERYONE: Viewer = { id: 0, role: 'admin', teamId: null };
/**
 * How long the feed keeps listening and what it holds after its last stream left: streams that
 * all close and reconnect at once (a network blip, or sixty an attacker closes and opens as fast
 * as it can) find their replay still here instead of reading it again each time.
 */
const LINGER_MS = 30_000;

export class LiveFeed {
  /** Events after `floor`, up to and including `head`, all of them, in order. */
  private events: LiveEvent[] = [];
  private floor: number | undefined;
  private head = 0;
  private readonly streams = new Set<() => void>();
  private unsubscribe: (() => void) | undefined;
  private reading: Promise<void> | undefined;
  private backfill: Promise<void> | undefined;
  private dirty = false;
  /** Bumped when the last stream leaves: a read still in flight then belongs to nobody. */
  private generation = 0;
  private lingering: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Queryable,
    private readonly bus: EventBus,
    private readonly logger: Logger,
    private readonly opts: { keep: number; batch: number; lingerMs?: number } = { keep: 1000, batch: 200 },
  ) {}

  /**
   * A stream that has sent everything up to `from` joins; `changed` is called whenever the
   * feed has read new events. Returns the stream's leave().
   */
  join(from: number, changed: () => void): () => void {
    clearTimeout(this.lingering);
    this.lingering = undefined;
    if (this.floor === undefined) {
      this.events = [];
      this.floor = from;
      this.head = from;
      this.unsubscribe = this.bus.subscribe(() => this.refresh());
      // Whatever was committed between the stream's replay window and now was signalled before
      // anyone here listened. Later streams need no such read: the feed has listened since.
      this.refresh();
    }
    // A stream that knows of events the feed has not read (their signal came before the feed
    // listened, or was lost) has the feed read them.
    else if (from > this.head) this.refresh();
    this.streams.add(changed);
    return () => {
      this.streams.delete(changed);
      if (this.streams.size > 0 || this.lingering) return;
      this.lingering = setTimeout(() => this.close(), this.opts.lingerMs ?? LINGER_MS);
      this.lingering.unref();
    };
  }

  /** Stops listening and forgets what it held (LINGER_MS after the last stream left). */
  close(): void {
    clearTimeout(this.lingering);
    this.lingering = undefined;
    if (this.streams.size > 0) return;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.events = [];
    this.floor = undefined;
    this.generation++;
  }

  /**
   * Makes the feed hold the events after `from` as well, when they are within `keep` of its
   * head: streams replaying the same window share one read of it.
   */
  async cover(from: number): Promise<void> {
    for (let tries = 0; tries < 3; tries++) {
      if (this.floor === undefined || from >= this.floor || this.head - from > this.opts.keep) return;
      this.backfill ??= this.readBack(from, this.floor, this.generation).finally(() => (this.backfill = undefined));
      await this.backfill; // begun for a later `from`, it may not reach this one: look again
    }
  }

  /** At most `limit` events after `after`, or null when the feed no longer holds all of them. */
  after(after: number, limit: number): LiveEvent[] | null {
    if (this.floor === undefined || after < this.floor) return null;
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.events[mid]!.id <= after) lo = mid + 1;
      else hi = mid;
    }
    return this.events.slice(lo, lo + limit);
  }

  private refresh(): void {
    if (this.reading) {
      this.dirty = true;
      return;
    }
    this.dirty = false;
    const generation = this.generation;
    this.reading = this.readAll(generation)
      .catch((err: unknown) => this.logger.warn({ err }, 'Reading live events failed'))
      .finally(() => {
        this.reading = undefined;
        if (this.dirty && this.floor !== undefined) this.refresh();
      });
  }

  /** Reads the events after `from` up to `floor` and puts them before the ones it holds. */
  private async readBack(from: number, floor: number, generation: number): Promise<void> {
    const older: LiveEvent[] = [];
    for (let after = from; after < floor;) {
      const batch = await eventsAfter(this.db, after, this.opts.batch, EVERYONE);
      const part = batch.filter((event) => event.id <= floor);
      older.push(...part);
      if (part.length < this.opts.batch) break;
      after = part[part.length - 1]!.id;
    }
    // Nobody left, or the feed dropped older events meanwhile: what was read does not join up.
    if (generation !== this.generation || this.floor !== floor) return;
    this.events.unshift(...older);
    this.floor = from;
  }

  private async readAll(generation: number): Promise<void> {
    for (;;) {
      const batch = await eventsAfter(this.db, this.head, this.opts.batch, EVERYONE);
      if (generation !== this.generation || batch.length === 0) return;
      this.events.push(...batch);
      this.head = batch[batch.length - 1]!.id;
      const over = this.events.length - this.opts.keep;
      if (over > 0) this.floor = this.events.splice(0, over)[over - 1]!.id;
      for (const changed of this.streams) changed();
      if (batch.length < this.opts.batch) return;
    }
  }
}
