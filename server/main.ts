// Read config, open the database, migrate, listen; shut down gracefully on SIGTERM/SIGINT.
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { loadConfig } from './config';
import { openDatabase } from './db/database';
import { migrate } from './db/migrate';
import { inProcessBus, postgresBus } from './live/bus';
import { createLogger } from './logger';
import { bootstrapAdmin } from './features/auth/auth.service';
import { removeOrphanPhotos } from './features/photos/photos.service';
import { localPhotoStorage } from './features/photos/photos.storage';
import { reconcileHelpGrid } from './features/reports/reports.service';
import { startCellRefresher } from './features/tiles/tiles.refresher';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const db = await openDatabase(config, logger);
  const applied = await migrate(db.pool, logger);
  logger.info({ applied: applied.length }, 'Database schema is up to date');
  const moved = await reconcileHelpGrid(db.pool, config.helpGridM);
  if (moved) logger.info({ moved, helpGridM: config.helpGridM }, 'Help requests moved to the new public grid');
  const storage = localPhotoStorage(config.dataDir);
  await removeOrphanPhotos(db.pool, storage, logger);

  const admin = await bootstrapAdmin(db.pool, config.bootstrapAdmin);
  if (admin) logger.info({ email: admin.email }, 'Created the first admin account');
  const events = config.databaseUrl ? postgresBus(config.databaseUrl, db.pool, logger) : inProcessBus();
  const refresher = startCellRefresher(db.pool, logger);
  const app = createApp({ config, pool: db.pool, events, databaseKind: db.kind, storage, logger });
  const server = app.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const { port } = server.address() as AddressInfo;
  const url = config.publicUrl ?? `http://${config.host}:${port}`;
  logger.info({ url, database: db.kind, dataDir: config.dataDir }, `Wegfrei is listening on ${url}`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Shutting down: finishing requests in flight');
    const force = setTimeout(() => {
      logger.error('Requests did not finish within 20 s; exiting');
      process.exit(1);
    }, 20_000);
    force.unref();
    server.close(() => {
      refresher
        .stop()
        .then(() => events.close())
        .then(() => db.close())
        .then(() => {
          logger.info('Stopped cleanly');
          process.exit(0);
        })
        .catch((err: unknown) => {
          logger.error({ err }, 'Database did not close cleanly');
          process.exit(1);
        });
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  // The logger may not exist yet; this is the one place the server writes to stderr itself.
  process.stderr.write(`Wegfrei could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
