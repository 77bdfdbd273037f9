import type pg from 'pg';
import type { Logger } from '../../logger';
import type { PhotoStorage } from './photos.storage';

/** Files written this long ago with no row are left by a crash between write and commit. */
const ORPHAN_GRACE_MS = 60 * 60 * 1000;

/**
 * A photo's files are written before the row that references them is committed, so a crash
 * in between can leave files without a row; this removes them (run at start-up).
 */
export async function removeOrphanPhotos(pool: pg.Pool, storage: PhotoStorage, logger: Logger): Promise<number> {
  const before = new Date(Date.now() - ORPHAN_GRACE_MS);
  await storage.removeTempFilesBefore(before);
  let removed = 0;
  let batch: string[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const { rows } = await pool.query<{ hash: string }>(
      'SELECT DISTINCT hash FROM photos WHERE hash = ANY($1::text[])',
      [batch],
    );
    const referenced = new Set(rows.map((r) => r.hash));
    for (const hash of batch) {
      if (referenced.has(hash)) continue;
      await storage.remove(hash);
      removed++;
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

/** After a failed insert: drop the files it wrote unless another report uses the same photo. */
export async function removeUnreferencedPhotos(pool: pg.Pool, storage: PhotoStorage, hashes: string[]): Promise<void> {
  if (!hashes.length) return;
  const { rows } = await pool.query<{ hash: string }>('SELECT DISTINCT hash FROM photos WHERE hash = ANY($1::text[])', [
    hashes,
  ]);
  const referenced = new Set(rows.map((r) => r.hash));
  for (const hash of hashes) if (!referenced.has(hash)) await storage.remove(hash);
}
