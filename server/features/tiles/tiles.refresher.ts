// Folds new and changed reports into the cluster cells every few seconds. Tiles already add
// the pending changes themselves, so this only keeps that pending set small.
import type pg from 'pg';
import { startPeriodic, type PeriodicJob } from '../../jobs';
import { prunePublicChanges } from '../../http/conditional';
import type { Logger } from '../../logger';
import { refreshCells } from './tiles.repo';

const BATCH = 200_000;

/**
 * Repairs the default public map's sums if they disagree with the detail rows, which only a
 * fold racing the migration that made them can cause (migrations/0025_public_cells_check.sql).
 */
export async function checkPublicCells(pool: pg.Pool, logger: Logger): Promise<void> {
  const agree = await pool.query<{ ok: boolean }>('SELECT wf_public_cells_agree() AS ok');
  if (agree.rows[0]!.ok) return;
  const refilled = await pool.query<{ done: boolean }>('SELECT wf_refill_public_cells() AS done');
  if (refilled.rows[0]!.done) logger.warn('The public map sums disagreed with the cells; made them again');
}

export function startCellRefresher(pool: pg.Pool, logger: Logger, intervalMs = 2000): PeriodicJob {
  void checkPublicCells(pool, logger).catch((err: unknown) =>
    logger.warn({ err }, 'Checking the public map sums failed; will check at the next start'),
  );
  return startPeriodic(
    intervalMs,
    async () => {
      // A batch that came back full means more are waiting.
      while ((await refreshCells(pool)) >= BATCH);
      // The public data's version needs only its recent rows (migrations/0022_public_changes.sql).
      await prunePublicChanges(pool);
    },
    (err) => logger.warn({ err }, 'Refreshing map clusters failed; will retry'),
  );
}
