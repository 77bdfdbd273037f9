// Group commit for reports without photos: concurrent ones are written in one statement.
//
// Each statement pays its round trip, its statement-level triggers (map cells, public
// changes) and, above all, its commit's WAL flush; a report's own rows cost a fraction of
// that. So while a batch is being written, the reports that arrive wait for it and go out
// together as the next one. An idle server writes a report at once: there is no timer, the
// wait is never longer than the batch before it (docs/BENCHMARKS.md, "Ingest: group commit").
import type pg from 'pg';
import * as repo from './reports.repo';

/** Reports per statement: the arrays stay small, and one batch never holds the table long. */
const MAX_BATCH = 64;
/**
 * Batches written at the same time. Two keep both of PostgreSQL's processes (and the
 * embedded database's worker) busy while Node prepares the next one.
 */
const MAX_IN_FLIGHT = 2;

/** Stored (and read back through the public read model), or its key was already taken. */
export type BatchOutcome = { stored: repo.ReportRow } | { keyTaken: true };

interface Pending {
  entry: repo.BatchedReport;
  resolve: (outcome: BatchOutcome) => void;
  reject: (err: unknown) => void;
}

class ReportBatcher {
  private queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(private readonly pool: pg.Pool) {}

  submit(entry: repo.BatchedReport): Promise<BatchOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ entry, resolve, reject });
      this.kick();
    });
  }

  /** setImmediate: what arrived in the same turn of the event loop goes in the same batch. */
  private kick(): void {
    if (this.scheduled || this.inFlight >= MAX_IN_FLIGHT || !this.queue.length) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.inFlight >= MAX_IN_FLIGHT || !this.queue.length) return;
    // A key twice in one statement would race with itself: the second waits for the next batch,
    // where it finds the key taken and replays the first.
    const batch: Pending[] = [];
    const rest: Pending[] = [];
    const keys = new Set<string>();
    for (const pending of this.queue) {
      const key = pending.entry.idempotency?.key;
      if (batch.length >= MAX_BATCH || (key !== undefined && keys.has(key))) {
        rest.push(pending);
        continue;
      }
      if (key !== undefined) keys.add(key);
      batch.push(pending);
    }
    this.queue = rest;
    this.inFlight++;
    void this.write(batch).finally(() => {
      this.inFlight--;
      this.kick();
    });
    this.kick();
  }

  private async write(batch: Pending[]): Promise<void> {
    let ids: (number | null)[];
    try {
      ids = await repo.insertReports(
        this.pool,
        batch.map((p) => p.entry),
      );
    } catch (err) {
      if (batch.length === 1 || !surelyNotStored(err)) {
        // A lost connection may have lost only the answer to a commit: writing the members
        // again could store a report twice. They fail (503) and their clients retry, with
        // their Idempotency-Key where they sent one.
        for (const p of batch) p.reject(err);
        return;
      }
      // PostgreSQL refused the statement, so nothing of the batch was kept. One bad member
      // must not fail the others: each again on its own, one after the other (not a burst on
      // the pool), and only the bad one gets its error.
      for (const p of batch) await this.write([p]);
      return;
    }
    // The rows are committed from here on: an error now must not write them again.
    try {
      const stored = ids.filter((id): id is number => id !== null);
      const rows = stored.length
        ? await repo.findReportsById(this.pool, stored, 'public', { anyStatus: true })
        : new Map<number, repo.ReportRow>();
      batch.forEach((p, i) => {
        const id = ids[i];
        if (id === null || id === undefined) return p.resolve({ keyTaken: true });
        const row = rows.get(id);
        if (row) p.resolve({ stored: row });
        else p.reject(new Error(`report ${id} was stored but could not be read back`));
      });
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }
}

/**
 * An error PostgreSQL answered the statement with, which rolled it back for certain: bad data
 * (class 22), a constraint (23), a deadlock or serialization failure (40), cancelled (57014).
 */
function surelyNotStored(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^(22|23|40)...$|^57014$/.test(code);
}

const batchers = new WeakMap<pg.Pool, ReportBatcher>();

/** Stores one report without photos in the next group commit on this pool. */
export function storeBatched(pool: pg.Pool, entry: repo.BatchedReport): Promise<BatchOutcome> {
  let batcher = batchers.get(pool);
  if (!batcher) {
    batcher = new ReportBatcher(pool);
    batchers.set(pool, batcher);
  }
  return batcher.submit(entry);
}
