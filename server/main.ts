// Read config, open the database, migrate, listen; shut down gracefully on SIGTERM/SIGINT.
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { announceReady, isClusterPrimary, runPrimary, workerId } from './cluster';
import { loadConfig } from './config';
import { armFailpoints } from './failpoints';
import { openDatabase, readPoolSize } from './db/database';
import { migrate } from './db/migrate';
import { inProcessBus, postgresBus } from './live/bus';
import { createLogger } from './logger';
import { createHttpServer } from './http/slow-clients';
import { warmHttpPath, warmUpHost } from './http/warm-up';
import { bootstrapAdmin } from './features/auth/auth.service';
import { startInboxRetention } from './features/inbound/inbound.retention';
import { ANDROID_WEBHOOK_PATH } from './features/inbound/android-gateway.routes';
import { TELEGRAM_WEBHOOK_PATH } from './features/inbound/telegram.routes';
import { TWILIO_WEBHOOK_PATH } from './features/inbound/twilio.routes';
import { removeOrphanPhotos, startOrphanSweep } from './features/photos/photos.service';
import { photoStorageFrom } from './features/photos/photos.storage';
import { checkBucket } from './features/photos/photos.storage-s3';
import { reconcileHelpGrid } from './features/reports/reports.service';
import { startCellRefresher } from './features/tiles/tiles.refresher';
import { warmTileReads } from './features/tiles/tiles.service';
import { createFollow, startFollowJobs, vapidSubject } from './features/follow/follow.service';
import { createMailer } from './mail/mailer';
import { createReleases, startReleaseSchedule } from './features/releases/releases.service';

/** Far above what browsers open (6 per host) or a shelter's NAT needs; far below the fd limit. */
const MAX_CONNECTIONS_PER_ADDRESS = 512;

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  // WEB_CONCURRENCY > 1: this process forks the workers (each runs the rest of main) and serves nothing.
  if (isClusterPrimary(config)) return runPrimary(config, logger);
  armFailpoints(config.failpoints);
  if (config.failpoints.length) logger.warn({ failpoints: config.failpoints }, 'Failpoints are armed (tests only)');
  const db = await openDatabase(config, logger);
  const applied = await migrate(db.pool, logger);
  logger.info({ applied: applied.length }, 'Database schema is up to date');
  const grid = await reconcileHelpGrid(db.pool, config.helpGridM);
  if (grid?.fromM && grid.kept) {
    logger.warn(
      grid,
      'HELP_GRID_M changed: help requests received from now on are published on the new grid; ' +
        'the earlier ones keep the cells they were published in (a second cell would narrow them)',
    );
  }
  const storage = photoStorageFrom(config);
  // A bucket that is missing, unreachable or refuses the keys stops the start with the setting
  // to fix, rather than a 503 on the first photo.
  if (config.photoStore === 's3' && config.s3) await checkBucket(config.s3);
  logger.info(
    { photoStore: storage.kind, bucket: config.photoStore === 's3' ? config.s3?.bucket : undefined },
    storage.kind === 's3' ? 'Photos are kept in the S3 bucket' : 'Photos are kept under DATA_DIR',
  );
  // Nothing of this process is in flight yet; on the embedded database no other process can be,
  // unless the photos are in a bucket (the migration script may be writing to it).
  const alone = db.kind === 'embedded' && storage.kind === 'local';
  await removeOrphanPhotos(db.pool, storage, logger, alone ? 0 : config.photoOrphanGraceS * 1000);
  const sweep = startOrphanSweep(db.pool, storage, logger);
  const retention = startInboxRetention(db.pool, logger);

  const admin = await bootstrapAdmin(db.pool, config.bootstrapAdmin);
  if (admin) logger.info({ email: admin.email }, 'Created the first admin account');
  const events = config.databaseUrl ? postgresBus(config.databaseUrl, db.pool, logger) : inProcessBus();
  const refresher = startCellRefresher(db.pool, logger);
  const releases = createReleases({
    pool: db.readPool,
    dir: config.releasesDir,
    keep: config.releasesKeep,
    licence: { id: config.dataLicense, attribution: config.dataAttribution },
    logger,
  });
  /** The address listened on, known once listening (links before that have none). */
  let listenUrl: string | undefined = undefined;
  const mailer = createMailer({ smtpUrl: config.smtpUrl, mailFrom: config.mailFrom, logger });
  const follow = createFollow({
    pool: db.pool,
    mailer,
    logger,
    // Without PUBLIC_URL (never in production: server/config.ts) links name the address listened
    // on, so `npm start` on a laptop can follow a report; the log says so below.
    publicUrl: () => config.publicUrl ?? listenUrl,
    vapid: config.vapid,
    vapidSubject: vapidSubject(config),
    pushAllowPrivate: config.pushAllowPrivate,
  });
  const following = startFollowJobs(follow, logger);
  const app = createApp({
    releases,
    mailer,
    follow,
    config,
    pool: db.pool,
    readPool: db.readPool,
    events,
    databaseKind: db.kind,
    storage,
    logger,
  });
  // A tile that fails here (a statement timeout on a cold cache, a replica away) fails again
  // for whoever asks for it; the server starts all the same.
  await warmTileReads(db.readPool, db.kind === 'postgres' ? readPoolSize(config.databasePoolMax) : 1).catch(
    (err: unknown) => logger.warn({ err }, 'Warming the tile reads failed'),
  );
  await warmHttpPath(app, warmUpHost(config), logger);
  // Timeouts for headers, whole requests and idle keep-alive: server/http/slow-clients.ts.
  const server = createHttpServer(app, {
    // Behind TRUST_PROXY every connection is the proxy's: the proxy caps per client there.
    maxConnectionsPerAddress: config.trustProxy ? undefined : MAX_CONNECTIONS_PER_ADDRESS,
  }).listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  announceReady();
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  listenUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const url = config.publicUrl ?? listenUrl;
  logger.info(
    { url, database: db.kind, dataDir: config.dataDir, worker: workerId() },
    `Wegfrei is listening on ${url}`,
  );
  if (!config.publicUrl) {
    logger.warn(
      `PUBLIC_URL is not set: follow messages (e-mail, push) link to ${listenUrl}; set PUBLIC_URL to the address people use`,
    );
  }
  // A new admin's first question after setting a gateway's variables: is it on, and at which URL?
  const webhooks = [
    config.twilio && `Twilio ${url}${TWILIO_WEBHOOK_PATH}`,
    config.androidSms && `SMS Gateway for Android ${url}${ANDROID_WEBHOOK_PATH}`,
    config.telegram && `Telegram ${url}${TELEGRAM_WEBHOOK_PATH}`,
  ].filter((w): w is string => Boolean(w));
  if (webhooks.length) logger.info({ webhooks }, `Webhooks for messages: ${webhooks.join('; ')}`);
  if (webhooks.length && !config.publicUrl) {
    logger.warn(
      'PUBLIC_URL is not set: links in replies follow the address each webhook was called at (a phone gateway on the ' +
        "LAN gets a LAN link) and Twilio's signature is checked against it; set PUBLIC_URL to the address people use",
    );
  }
  // Links in a scheduled release start with PUBLIC_URL (or the address listened on).
  const releaseSchedule = startReleaseSchedule(releases, {
    intervalHours: config.releaseIntervalHours,
    baseUrl: url,
    logger,
  });

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
    // No new connections; requests in flight run to their end. Live streams end now (their
    // clients reconnect elsewhere and replay), and each keep-alive connection is closed as
    // soon as it falls idle, so nothing holds the process open.
    server.close(() => {
      clearInterval(idle);
      Promise.all([refresher.stop(), sweep.stop(), retention.stop(), releaseSchedule.stop(), following.stop()])
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
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    events.close().catch((err: unknown) => logger.warn({ err }, 'Live updates did not close cleanly'));
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
