import type pg from 'pg';
import { startPeriodic, type PeriodicJob } from '../../jobs';
import type { Logger } from '../../logger';
import { PUT_MEMORY_MS, type PhotoStorage } from './photos.storage';

/** Files written (or put again) this long ago with no row are left by a crash or a failed insert. */
const ORPHAN_GRACE_MS = PUT_MEMORY_MS;

/**
 * A photo's files are written before the row that references them is committed, so a crash
 * or a failed insert can leave files without a row; this removes them (at start-up and every
 * hour; in S3 mode it is the only cleanup, see photos.storage-s3.ts).
 * Files younger than `graceMs` are left alone: a request in flight, here or in another app
 * process, may be about to commit a report that uses them. Before this process listens, and
 * with no other process on the same photos, nothing is in flight and the grace can be 0.
 */
export async function removeOrphanPhotos(
  pool: pg.Pool,
  storage: PhotoStorage,
  logger: Logger,
  graceMs = ORPHAN_GRACE_MS,
): Promise<number> {
  const before = new Date(Date.now() - graceMs);
  await storage.removeTempFilesBefore(before);
  let removed = 0;
  let batch: string[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const { rows } = await pool.query<{ hash: string }>(
      'SELECT DISTINCT hash FROM photo_references WHERE hash = ANY($1::text[])',
      [batch],
    );
    const referenced = new Set(rows.map((r) => r.hash));
    for (const hash of batch) {
      if (referenced.has(hash)) continue;
      // Put again meanwhile (another upload of the same bytes, maybe in another process): kept.
      if (await storage.removeIfOlderThan(hash, before)) removed++;
    }
    batch = [];
  };
  for await (const file of storage.list()) {
    if (file.writtenAt >= before) continue;
    batch.push(file.hash);
    if (batch.length >= 500) await flush();
  }
  await flush();
  if (removed) logger.warn({ removed }, 'Removed photo files that no report references');
  return removed;
}

/** The hourly sweep, always with the full grace: this process has requests in flight now. */
export function startOrphanSweep(pool: pg.Pool, storage: PhotoStorage, logger: Logger): PeriodicJob {
  return startPeriodic(
    ORPHAN_GRACE_MS,
    () => removeOrphanPhotos(pool, storage, logger),
    (err) => logger.warn({ err }, 'Sweeping orphan photo files failed; will retry'),
  );
}

/**
 * After a failed insert: drop the files it wrote, unless a committed report uses the same
 * photo or another upload put it meanwhile (its report may be about to commit; see discard).
 * The S3 store never drops here: across processes only the sweep can tell (photos.storage-s3.ts).
 */
export async function removeUnreferencedPhotos(pool: pg.Pool, storage: PhotoStorage, hashes: string[]): Promise<void> {
  for (const hash of hashes) {
    await storage.discard(hash, async () => {
      const { rowCount } = await pool.query('SELECT 1 FROM photo_references WHERE hash = $1 LIMIT 1', [hash]);
      return Boolean(rowCount);
    });
  }
}
