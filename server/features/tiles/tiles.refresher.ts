// Folds new and changed reports into the cluster cells every few seconds. Tiles already add
// the pending changes themselves, so this only keeps that pending set small.
import type pg from 'pg';
import type { Logger } from '../../logger';
import { refreshCells } from './tiles.repo';

const BATCH = 200_000;

export function startCellRefresher(pool: pg.Pool, logger: Logger, intervalMs = 2000): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const run = async () => {
    try {
      // A batch that came back full means more are waiting.
      while ((await refreshCells(pool)) >= BATCH);
    } catch (err) {
      logger.warn({ err }, 'Refreshing map clusters failed; will retry');
    }
  };
  const timer = setInterval(() => {
    running ??= run().finally(() => (running = undefined));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
