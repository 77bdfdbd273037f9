// WEGFREI's own process manager for one machine: with WEB_CONCURRENCY=N (N > 1) the primary
// process prepares the database once, then forks N workers (node:cluster) that share one port
// and each run server/main.ts as a single process would. Only with a real PostgreSQL server
// (config.ts refuses the embedded database: it lives inside one process).
//
// What workers share, and what each keeps, is in docs/DEPLOY.md. In short: everything that
// must hold across processes is in PostgreSQL (counts per window, live events over
// LISTEN/NOTIFY, follow deliveries claimed with SKIP LOCKED, login attempts); the background
// loops are safe to run in every worker, as they are on every machine behind a balancer:
// - cluster cells: refresh_report_cells() deletes the deltas it folds, so two runs never fold
//   one delta twice (the second waits on the first's rows and finds them gone);
// - follow senders: deliveries are claimed with FOR UPDATE SKIP LOCKED and a lease;
// - inbox retention, follow forgetting, expired bot conversations: DELETE … RETURNING, each row
//   taken by one statement only;
// - orphan photo sweep: only files older than PHOTO_ORPHAN_GRACE_S and unreferenced go;
// - scheduled releases: a lock file in RELEASES_DIR lets one process build at a time.
// Migrations and the first admin are done here, before forking: two workers would race to
// create the same admin (the migrations hold an advisory lock anyway).
import cluster, { type Worker } from 'node:cluster';
import type { Config } from './config';
import { openDatabase } from './db/database';
import { migrate } from './db/migrate';
import { bootstrapAdmin } from './features/auth/auth.service';
import type { Logger } from './logger';

/**
 * A worker that died is forked again after this pause, doubled for each one in a row that
 * dies before it is ready (up to the maximum): a crash loop stays a slow one.
 */
const RESTART_DELAY_MS = 1000;
const RESTART_DELAY_MAX_MS = 30_000;
/** Workers stop on their own within 20 s (main.ts); past this the primary stops waiting. */
const STOP_TIMEOUT_MS = 25_000;

/** Whether this process is the primary of a cluster (forks workers and serves nothing itself). */
export const isClusterPrimary = (config: Pick<Config, 'webConcurrency'>): boolean =>
  config.webConcurrency > 1 && cluster.isPrimary;

const READY_MESSAGE = 'wegfrei:worker-ready';

/** A worker tells the primary it listens on the app's port (nothing in a single process). */
export const announceReady = (): void => {
  if (cluster.isWorker) process.send?.({ type: READY_MESSAGE });
};

/** Which worker this is, for log lines; undefined in a single process. */
export const workerId = (): number | undefined => (cluster.isWorker ? cluster.worker?.id : undefined);

export async function runPrimary(config: Config, logger: Logger): Promise<void> {
  const db = await openDatabase(config, logger);
  try {
    const applied = await migrate(db.pool, logger);
    logger.info({ applied: applied.length }, 'Database schema is up to date');
    const admin = await bootstrapAdmin(db.pool, config.bootstrapAdmin);
    if (admin) logger.info({ email: admin.email }, 'Created the first admin account');
  } finally {
    await db.close();
  }

  let stopping = false;
  let servedOnce = false;
  let restartDelay = RESTART_DELAY_MS;
  const ready = new WeakSet<Worker>();
  const fork = () => {
    const worker = cluster.fork();
    worker.once('exit', (code, signal) => {
      if (stopping) return;
      const died = { worker: worker.id, pid: worker.process.pid, code, signal };
      // Before any worker was ready this is the start failing (a setting, the bucket): as a
      // single process would, the app stops with an error, so that an orchestrator's
      // restart-on-failure sees it, instead of forking the same failure for ever.
      if (!servedOnce) {
        logger.error(died, 'A worker could not start; stopping');
        shutdown('start-up failure', 1);
        return;
      }
      restartDelay = ready.has(worker) ? RESTART_DELAY_MS : Math.min(restartDelay * 2, RESTART_DELAY_MAX_MS);
      logger.error({ ...died, restartInMs: restartDelay }, 'A worker died; starting another');
      // Not unref'd: when every worker died at once, this timer is what keeps the primary
      // alive to fork them again.
      setTimeout(() => {
        if (!stopping) fork();
      }, restartDelay);
    });
  };
  // Ready means listening on the app's port, which a worker says itself (announceReady):
  // cluster's own 'listening' also fires for the start-up warm-up's private port.
  cluster.on('message', (worker: Worker, message: unknown) => {
    if ((message as { type?: string } | null)?.type === READY_MESSAGE) {
      servedOnce = true;
      ready.add(worker);
      logger.info({ worker: worker.id, pid: worker.process.pid }, 'Worker ready');
    }
  });
  /** Stops every worker; exits with `exitCode`, or 1 if a worker did not stop cleanly. */
  function shutdown(reason: NodeJS.Signals | 'start-up failure', exitCode = 0) {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    logger.info({ reason, workers: workers.length }, 'Shutting down: stopping the workers');
    const force = setTimeout(() => {
      logger.error('Workers did not stop within 25 s; exiting');
      process.exit(1);
    }, STOP_TIMEOUT_MS);
    force.unref();
    // Each worker finishes its requests in flight and exits (main.ts); its exit code is ours.
    let failed = exitCode !== 0;
    void Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.isDead()) return resolve();
            worker.once('exit', (code) => {
              if (code !== 0) failed = true;
              resolve();
            });
            worker.process.kill('SIGTERM');
          }),
      ),
    ).then(() => {
      if (reason === 'start-up failure') logger.error('Stopped: a worker could not start (its error is above)');
      else logger.info(failed ? 'Workers stopped, not all cleanly' : 'Stopped cleanly');
      process.exit(failed ? 1 : 0);
    });
  }
  logger.info({ workers: config.webConcurrency }, `Starting ${config.webConcurrency} workers`);
  for (let i = 0; i < config.webConcurrency; i++) fork();
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
