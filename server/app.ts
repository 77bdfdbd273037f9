// createApp(deps) → the Express app, without listening (tests use it directly).
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import type pg from 'pg';
import { RATE_LIMIT_DEFAULTS, type Config } from './config';
import type { DatabaseKind } from './db/database';
import { ReplicaReadPool } from './db/replica';
import { CITIZEN_WRITES, markWritesMiddleware, readScopeMiddleware } from './db/replica-http';
import { accessLog } from './http/access-log';
import { loadStaffSession } from './http/auth';
import { publicCors } from './http/cors';
import { conditionalRead, PUBLIC_LIST_CACHE, PUBLIC_TILE_CACHE, publicVersionSource } from './http/conditional';
import { notFoundHandler, problemHandler } from './http/errors';
import { publicOrigin } from './http/host';
import { fairShare } from './http/fair-share';
import { inputLimits } from './http/input-limits';
import { forExpensiveReads, rateLimits, type RateLimitConfig } from './http/rate-limit';
import { postgresLimitStores } from './http/rate-limit-store';
import { slowClientGuard } from './http/slow-clients';
import type { EventBus } from './live/bus';
import type { Logger } from './logger';
import { createMailer, type Mailer } from './mail/mailer';
import { FOLLOW_REQUESTS_PER_CLIENT_HOUR, followRouter } from './features/follow/follow.routes';
import { createFollow, vapidSubject, wakeFollowers, type Follow } from './features/follow/follow.service';
import { authRouter } from './features/auth/auth.routes';
import { DEVICE_COOKIE, isKnownDevice } from './features/auth/auth.service';
import { categoriesRouter } from './features/categories/categories.routes';
import { createTaxonomy } from './features/categories/categories.service';
import { exportsRouter } from './features/exports/exports.routes';
import { geocoderRouter } from './features/geocoder/geocoder.routes';
import { ogcRouter } from './features/ogc/ogc.routes';
import { openapiRouter } from './features/openapi/openapi.routes';
import { deploymentsRouter } from './features/deployments/deployments.routes';
import { liveRouter } from './features/live/live.routes';
import { overviewRouter } from './features/overview/overview.routes';
import { pagesRouter } from './features/pages/pages.routes';
import { inboxRouter } from './features/inbound/inbox.routes';
import { Replies } from './features/inbound/replies';
import { androidReplies } from './features/inbound/android-gateway.client';
import { androidGatewayRouter } from './features/inbound/android-gateway.routes';
import { statusReplies } from './features/inbound/status-replies';
import { twilioReplies } from './features/inbound/twilio.client';
import { twilioRouter } from './features/inbound/twilio.routes';
import { TelegramClient } from './features/inbound/telegram.client';
import { telegramRouter } from './features/inbound/telegram.routes';
import { moderationRouter } from './features/moderation/moderation.routes';
import { photosRouter } from './features/photos/photos.routes';
import type { PhotoStorage } from './features/photos/photos.storage';
import { newReportHandlers, reportsRouter } from './features/reports/reports.routes';
import { feedbackRouter } from './features/feedback/feedback.routes';
import { tilesRouter } from './features/tiles/tiles.routes';
import { EMBEDDED_CLUSTER_SINCE_REPORTS, MAX_CLUSTER_SINCE_REPORTS } from './features/tiles/tiles.service';
import { triageRouter } from './features/triage/triage.routes';
import { sendErrors } from './features/open311/open311.format';
import { open311ErrorHandler, open311Router } from './features/open311/open311.routes';
import { apiKeysRouter } from './features/apikeys/apikeys.routes';
import { usersRouter } from './features/users/users.routes';
import { volunteersRouter } from './features/volunteers/volunteers.routes';
import { releasesRouter } from './features/releases/releases.routes';
import { statsRouter } from './features/stats/stats.routes';
import { createReleases, type Releases } from './features/releases/releases.service';

export interface AppDeps {
  config: Pick<Config, 'publicUrl' | 'tileUrl' | 'tileAttribution' | 'helpGridM' | 'trustProxy' | 'sessionTtlHours'> &
    Partial<Pick<Config, 'open311MediaAllowPrivate' | 'dataLicense' | 'dataAttribution' | 'sessionMaxHours'>> &
    Partial<Pick<Config, 'allowedHosts' | 'barrierModeration' | 'geocoderUrl' | 'geocoderRate'>> &
    Partial<Pick<Config, 'clientIdleTimeoutS' | 'clientMinBytesPerS' | 'clientMinReadBytesPerS'>> &
    Partial<Pick<Config, 'requestRateLimit' | 'requestBurst'>> &
    Partial<Pick<Config, 'releasesDir' | 'releasesKeep'>> &
    Partial<Pick<Config, 'volunteerAgreement'>> &
    Partial<Pick<Config, 'twilio' | 'androidSms'>> &
    Partial<Pick<Config, 'smtpUrl' | 'mailFrom' | 'vapid' | 'vapidSubject' | 'pushAllowPrivate'>> &
    /** Tests: the Bot API's deadlines (server/features/inbound/telegram.client.ts). */
    { telegram?: Config['telegram'] & { callTimeoutMs?: number; downloadTimeoutMs?: number } } &
    /** The defaults of server/config.ts when left out. */
    Partial<RateLimitConfig> & {
      /** Tests: read exports in pages of this many ids on any database (server/features/exports). */
      exportPageIds?: number;
      /** Tests: the clusters' bound on reports counted for `since` (server/features/tiles). */
      tileSinceMaxReports?: number;
    };
  pool: pg.Pool;
  /** The public reads' pool (server/db/database.ts); `pool` when left out. */
  readPool?: pg.Pool;
  events: EventBus;
  databaseKind: DatabaseKind;
  storage: PhotoStorage;
  logger: Logger;
  clientDir?: string;
  /** Outgoing e-mail (server/mail/mailer.ts); made from config.smtpUrl/mailFrom when left out. */
  mailer?: Mailer;
  /** Following reports and its sender (main.ts makes it to schedule it too); made here otherwise. */
  follow?: Follow;
  /** Releases and their builds (main.ts makes them to schedule them too); made here otherwise. */
  releases?: Releases;
}

/** About 0.2 s of the embedded database's time per page of an export (docs/BENCHMARKS.md: ~25,000 features/s). */
const EMBEDDED_EXPORT_PAGE_IDS = 5000;
/** An export of ten million reports takes minutes; one that takes longer is stuck. */
const EXPORT_STATEMENT_TIMEOUT_MS = 15 * 60_000;
/**
 * One statement of a CQL2-filtered OGC read (issue 14's attack; docs/SECURITY.md). On the
 * embedded database (no statement_timeout) it is what others wait at most behind one; on
 * PostgreSQL the reads have their own connections, but three 2 KB filters of one address
 * took both cores for 4–5 s (parallel workers) and a citizen's report with them.
 */
export const FILTER_BUDGET_MS = { embedded: 300, postgres: 500 } as const;

/**
 * The basemap tiles' origin as a CSP source. A `{s}` subdomain placeholder (a.tile…, b.tile…)
 * becomes a `*.` wildcard, the only form CSP has for it; a placeholder deeper in the host
 * cannot be expressed, and such tiles stay blocked.
 */
export function tileSource(tileUrl: string): string | undefined {
  const m = /^(https?:)\/\/([^/?#]+)/i.exec(tileUrl);
  if (!m) return undefined;
  const [first, ...rest] = m[2]!.split('.');
  const wildcard = first!.includes('{');
  // `*.org` would let any site through; a placeholder beyond the first label cannot be written.
  if (rest.some((label) => label.includes('{')) || (wildcard && rest.length < 2)) return undefined;
  try {
    const origin = new URL(`${m[1]}//${wildcard ? ['wildcard', ...rest].join('.') : m[2]}`).origin;
    return wildcard ? origin.replace('//wildcard.', '//*.') : origin;
  } catch {
    return undefined;
  }
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // Behind a reverse proxy, req.ip and req.secure come from X-Forwarded-*; never otherwise.
  app.set('trust proxy', deps.config.trustProxy ? 1 : false);
  const taxonomy = createTaxonomy(deps.pool);
  // Links start with PUBLIC_URL, or with a checked Host and `Vary: Host` (server/http/host.ts).
  const origin = publicOrigin(deps.config);
  const baseUrl = origin.baseUrl;

  // The steps every request takes first, in this order. They are mounted twice: in front of
  // new reports' own steps, and for everything else (below).
  const everyRequest: express.RequestHandler[] = [];
  // First of all: a request over its address's share costs a map lookup and a timer, nothing
  // more (server/http/fair-share.ts).
  everyRequest.push(
    fairShare({
      ratePerS: deps.config.requestRateLimit ?? RATE_LIMIT_DEFAULTS.requestRateLimit,
      burst: deps.config.requestBurst ?? RATE_LIMIT_DEFAULTS.requestBurst,
      logger: deps.logger,
    }),
  );
  everyRequest.push(accessLog(deps.logger));
  // Before anything waits on a body or writes a response (server/http/slow-clients.ts).
  const idleS = deps.config.clientIdleTimeoutS;
  everyRequest.push(
    slowClientGuard({
      idleMs: idleS && idleS * 1000,
      minBytesPerS: deps.config.clientMinBytesPerS,
      minReadBytesPerS: deps.config.clientMinReadBytesPerS,
    }),
  );
  const tiles = tileSource(deps.config.tileUrl);
  everyRequest.push(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // No page of ours is meant to be framed: the staff dashboard framed elsewhere is clickjacking.
          'frame-ancestors': ["'none'"],
          'img-src': ["'self'", 'data:', 'blob:', ...(tiles ? [tiles] : [])],
          // MapLibre loads raster tiles through <img> (refreshExpiredTiles: false in
          // client/dashboard/map.ts), so tiles need no connect-src: tests/e2e/csp.test.ts.
          'connect-src': ["'self'"],
          'worker-src': ["'self'", 'blob:'],
          // Our fonts are our own (helmet's default would take any https: font).
          'font-src': ["'self'", 'data:'],
          // Leaflet positions tiles and markers with inline style attributes.
          'style-src': ["'self'", "'unsafe-inline'"],
          // Plain-HTTP deployments (a laptop on a LAN during a response) must keep working.
          'upgrade-insecure-requests': null,
        },
      },
      crossOriginEmbedderPolicy: false,
      xFrameOptions: { action: 'deny' },
      // Our origin and never a path: OpenStreetMap's tile servers refuse requests without a
      // Referer (their usage policy), which helmet's default no-referrer would leave off.
      referrerPolicy: { policy: 'strict-origin' },
    }),
  );

  // After helmet, whose Cross-Origin-Resource-Policy it loosens for the public reads alone.
  everyRequest.push(publicCors, inputLimits, cookieParser());
  everyRequest.push(
    loadStaffSession(deps.pool, { ttlHours: deps.config.sessionTtlHours, maxHours: deps.config.sessionMaxHours }),
  );

  // Per-client limits, mounted by path ahead of the routes they guard (server/http/rate-limit.ts).
  const limits = rateLimits(deps.config, deps.logger, {
    knownDevice: (req) => isKnownDevice(deps.pool, (req.cookies as Record<string, unknown>)[DEVICE_COOKIE]),
    // Counts shared by every process over one PostgreSQL; the embedded database is one process.
    stores: deps.databaseKind === 'postgres' ? postgresLimitStores(deps.pool, deps.logger) : undefined,
  });
  const readPool = deps.readPool ?? deps.pool;
  // With a read replica (server/db/replica.ts) each read knows whether its client must see a
  // write of its own, and the citizen writes tell their client how far to read.
  const replica = readPool instanceof ReplicaReadPool ? readPool : undefined;
  const reportsDeps = {
    pool: deps.pool,
    events: deps.events,
    storage: deps.storage,
    taxonomy,
    helpGridM: deps.config.helpGridM,
    barrierModeration: deps.config.barrierModeration,
  };
  // The same steps wherever they are mounted: tests/api/front-route.test.ts checks by identity.
  const readScope = replica && readScopeMiddleware();
  const markWrites = replica && markWritesMiddleware(replica, deps.logger);
  // New reports, the busiest write, are one route in front of all others, with the steps that
  // applied to them when they were mounted among the others. Each router layer a request
  // passes costs a path match and a few objects of garbage; this route passes one instead of
  // about twenty (docs/BENCHMARKS.md, "Ingest: the app's thread"). A step mounted below for
  // every request must be added here too: tests/api/front-route.test.ts fails until it is.
  app.post(
    '/api/v1/reports',
    ...everyRequest,
    limits.reports(),
    ...(readScope && markWrites ? [readScope, markWrites] : []),
    origin.checkHost,
    ...newReportHandlers({ deps: reportsDeps, baseUrl }),
  );
  app.use(everyRequest);
  app.post(
    '/open311/v2/requests.:format',
    // GeoReport clients read errors in GeoReport's format, as for every other /open311/v2 error.
    limits.reports((req, res, problem) =>
      sendErrors(res, /\.xml$/i.test(req.path) ? 'xml' : 'json', 429, [{ code: 429, description: problem.detail! }]),
    ),
  );
  if (limits.exports.length) app.use('/api/v1/exports', ...limits.exports);
  app.post('/api/v1/auth/login', ...limits.login);
  // Public map data and lists: ETag/Last-Modified from the public data's version, and 304s
  // decided before any route computes (server/http/conditional.ts, docs/DEPLOY.md "CDN").
  // Ahead of the read limits: a 304 costs no database work, so it needs no place in line.
  const publicVersion = publicVersionSource(deps.readPool ?? deps.pool, deps.events);
  const conditional = (cacheControl: string, vary?: string[]) =>
    conditionalRead({ source: publicVersion, cacheControl, baseUrl, vary });
  app.get(['/tiles/public/:z/:x/:y.mvt', '/api/v1/clusters'], conditional(PUBLIC_TILE_CACHE));
  app.get(
    ['/api/v1/reports', '/api/v1/reports/nearby', '/ogc/collections/:collectionId/items'],
    conditional(PUBLIC_LIST_CACHE),
  );
  app.get('/open311/v2/requests.:format', conditional(PUBLIC_LIST_CACHE, ['Accept-Language']));
  // Reads that cost the database work (GET also covers HEAD).
  if (limits.reads.length) app.use(forExpensiveReads(limits.reads));
  app.post('/api/v1/reports/:id/confirmations', limits.confirmations);
  app.post('/api/v1/reports/:id/subscriptions', limits.confirmations);
  app.post('/api/v1/reports/:id/fix-checks', limits.confirmations);
  app.post('/api/v1/reports/:id/endorsements', limits.confirmations);
  if (readScope && markWrites) {
    app.use(readScope);
    app.post(CITIZEN_WRITES, markWrites);
  }
  /** Reads that must see every write at once (staff lists, the photo gate): never a replica. */
  const primaryReads = replica?.primary ?? readPool;

  app.get('/healthz', async (_req, res) => {
    try {
      await deps.pool.query('SELECT 1');
      res.json({ status: 'ok', database: deps.databaseKind });
    } catch {
      res.status(503).json({ status: 'unavailable', database: deps.databaseKind });
    }
  });
  // After /healthz, which probes ask for by address (Docker's HEALTHCHECK: 127.0.0.1).
  app.use(origin.checkHost);
  app.get('/api/v1/config', (_req, res) => {
    res.json({
      tile_url: deps.config.tileUrl,
      tile_attribution: deps.config.tileAttribution,
      help_grid_m: deps.config.helpGridM,
      address_search: Boolean(deps.config.geocoderUrl),
    });
  });
  app.use(categoriesRouter(taxonomy));
  app.use(geocoderRouter({ ...deps.config, logger: deps.logger, limitStore: limits.store('geocode') }));
  app.use(authRouter(deps.pool, { ttlHours: deps.config.sessionTtlHours, maxHours: deps.config.sessionMaxHours }));
  app.use(usersRouter(deps.pool));
  // Gateways (SMS, messengers) register how they answer; the inbox and status changes use it.
  const replies = new Replies(deps.pool, deps.logger);
  const twilioGateway = deps.config.twilio && twilioReplies(deps.config.twilio);
  if (twilioGateway) replies.register(twilioGateway);
  const androidGateway = deps.config.androidSms && androidReplies(deps.config.androidSms);
  if (androidGateway) replies.register(androidGateway);
  const mailer =
    deps.mailer ??
    createMailer({
      smtpUrl: deps.config.smtpUrl,
      mailFrom: deps.config.mailFrom ?? 'Wegfrei <wegfrei@localhost>',
      logger: deps.logger,
    });
  const follow =
    deps.follow ??
    createFollow({
      pool: deps.pool,
      mailer,
      logger: deps.logger,
      publicUrl: () => deps.config.publicUrl,
      vapid: deps.config.vapid,
      vapidSubject: vapidSubject(deps.config),
      pushAllowPrivate: deps.config.pushAllowPrivate ?? false,
    });
  // Changes are queued for followers in their own transaction (migrations/0016_follow.sql);
  // after a staff or public change succeeds, the sender is woken (server/features/follow).
  app.use(wakeFollowers(follow));
  app.use(
    followRouter(follow, {
      allowPrivatePush: deps.config.pushAllowPrivate ?? false,
      followRequests: limits.counter('follow', FOLLOW_REQUESTS_PER_CLIENT_HOUR, 3_600_000),
    }),
  );
  const publicUrl = deps.config.publicUrl;
  app.use(
    triageRouter({
      pool: deps.pool,
      reads: primaryReads,
      events: deps.events,
      taxonomy,
      storage: deps.storage,
      baseUrl,
      // Outside a request a link needs PUBLIC_URL (required in production).
      onStatusChange: statusReplies(replies, (id) => (publicUrl ? `${publicUrl}/reports/${id}` : undefined)),
    }),
  );
  app.use(reportsRouter({ deps: reportsDeps, reads: readPool, baseUrl }));
  app.use(
    feedbackRouter({
      ...reportsDeps,
      reads: readPool,
      onStatusChange: statusReplies(replies, (id) => (publicUrl ? `${publicUrl}/reports/${id}` : undefined)),
    }),
  );
  app.use(inboxRouter({ ...reportsDeps, replies, baseUrl }));
  const allowPrivateMedia = deps.config.open311MediaAllowPrivate ?? false;
  app.use(
    twilioRouter({
      ...reportsDeps,
      replies,
      baseUrl,
      twilio: deps.config.twilio,
      allowPrivateMedia,
      logger: deps.logger,
      limitStore: limits.store('twilio'),
    }),
  );
  app.use(
    androidGatewayRouter({
      ...reportsDeps,
      replies,
      baseUrl,
      androidSms: deps.config.androidSms,
      androidGateway,
      limitStore: limits.store('android'),
    }),
  );
  const telegram = deps.config.telegram;
  if (telegram) {
    const client = new TelegramClient({
      token: telegram.botToken,
      baseUrl: telegram.apiBaseUrl,
      callTimeoutMs: telegram.callTimeoutMs,
      downloadTimeoutMs: telegram.downloadTimeoutMs,
    });
    replies.register({ gateway: 'telegram', send: (to, text) => client.sendMessage(to, text) });
    app.use(
      telegramRouter({
        ...reportsDeps,
        replies,
        client,
        logger: deps.logger,
        secret: telegram.webhookSecret,
        baseUrl,
        limitStore: limits.store('telegram'),
      }),
    );
  }
  app.use(moderationRouter({ pool: deps.pool, events: deps.events, storage: deps.storage, baseUrl }));
  app.use(
    volunteersRouter({
      pool: deps.pool,
      events: deps.events,
      taxonomy,
      mailer,
      logger: deps.logger,
      agreement: deps.config.volunteerAgreement ?? 3,
      onStatusChange: statusReplies(replies, (id) => (publicUrl ? `${publicUrl}/reports/${id}` : undefined)),
      baseUrl,
      session: { ttlHours: deps.config.sessionTtlHours, maxHours: deps.config.sessionMaxHours },
    }),
  );
  app.use(liveRouter({ pool: deps.pool, events: deps.events, logger: deps.logger, baseUrl }));
  app.use(deploymentsRouter({ pool: deps.pool, events: deps.events }));
  app.use(overviewRouter(deps.pool));
  app.use(apiKeysRouter(deps.pool));
  const licence = {
    id: deps.config.dataLicense ?? 'ODbL-1.0',
    attribution: deps.config.dataAttribution ?? '© Wegfrei contributors, ODbL 1.0',
  };
  app.use(
    exportsRouter({
      // Exports are reads: on the embedded database they take turns with the other reads.
      pool: readPool,
      logger: deps.logger,
      baseUrl,
      licence,
      // One session: a long COPY would keep it from reports and /healthz for seconds.
      pageIds: deps.config.exportPageIds ?? (deps.databaseKind === 'embedded' ? EMBEDDED_EXPORT_PAGE_IDS : undefined),
      // The reads' pool has a statement budget for tiles and lists; a whole export needs more.
      statementTimeoutMs: deps.databaseKind === 'postgres' ? EXPORT_STATEMENT_TIMEOUT_MS : undefined,
    }),
  );
  const releases =
    deps.releases ??
    createReleases({
      // Releases are reads: on the embedded database their pages take turns with the other reads.
      pool: readPool,
      dir: deps.config.releasesDir ?? path.join(os.tmpdir(), `wegfrei-releases-${process.pid}`),
      keep: deps.config.releasesKeep,
      licence,
      logger: deps.logger,
    });
  app.use(
    ogcRouter({
      pool: readPool,
      taxonomy,
      baseUrl,
      licence,
      releases,
      filterBudgetMs: FILTER_BUDGET_MS[deps.databaseKind],
    }),
  );
  app.use(statsRouter({ pool: readPool, helpGridM: deps.config.helpGridM, databaseKind: deps.databaseKind }));
  app.use(openapiRouter({ baseUrl }));
  app.use(releasesRouter({ releases, baseUrl }));
  app.use(
    open311Router({
      pool: deps.pool,
      reads: readPool,
      events: deps.events,
      storage: deps.storage,
      taxonomy,
      helpGridM: deps.config.helpGridM,
      barrierModeration: deps.config.barrierModeration,
      baseUrl,
      allowPrivateMedia: deps.config.open311MediaAllowPrivate ?? false,
    }),
  );
  app.use(
    tilesRouter(readPool, {
      maxSinceReports:
        deps.config.tileSinceMaxReports ??
        (deps.databaseKind === 'embedded' ? EMBEDDED_CLUSTER_SINCE_REPORTS : MAX_CLUSTER_SINCE_REPORTS),
    }),
  );
  app.use(photosRouter(deps.storage, primaryReads));
  app.use(pagesRouter(deps.clientDir));
  app.use(notFoundHandler);
  // GeoReport clients read errors in GeoReport's format, also those raised before its router.
  app.use('/open311/v2', open311ErrorHandler);
  app.use(problemHandler);
  return app;
}
