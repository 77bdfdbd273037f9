// Folds new and changed reports into the cluster cells every few seconds. Tiles already add
// the pending changes themselves, so this only keeps that pending set small.
import type pg from 'pg';
import { startPeriodic, type PeriodicJob } from '../../jobs';
import { prunePublicChanges } from '../../http/conditional';
import type { Logger } from '../../logger';
import { refreshCells } from './tiles.repo';

const BATCH = 200_000;

export function startCellRefresher(pool: pg.Pool, logger: Logger, intervalMs = 2000): PeriodicJob {
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
