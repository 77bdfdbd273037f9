// The only reader of process.env: validated, typed and frozen once at start-up.
import path from 'node:path';
import { z } from 'zod';
import { FAILPOINTS, type Failpoint } from './failpoints';
import type { AndroidSmsConfig } from './features/inbound/android-gateway.client';
import type { S3Settings } from './features/photos/photos.storage-s3';
import type { TwilioConfig } from './features/inbound/twilio.client';
import { parseHost } from './http/host';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Per-client limits, generous on purpose: in a crisis many people share one NAT'd address
 * (a shelter's wifi, a carrier-grade NAT), and a refused report is worse than a busy server.
 */
export const RATE_LIMIT_DEFAULTS = {
  reportRateLimit: 120,
  reportRateWindowS: 600,
  exportRateLimit: 60,
  exportRateWindowS: 600,
  exportConcurrentMax: 2,
  loginRateLimit: 50,
  // Tiles, clusters, lists, nearby, OGC items, Open311 lists: a map view fires a dozen tiles at
  // once and a shelter shares one address, so the window is wide; the concurrency is what keeps
  // one client from occupying the database (its other requests wait in its own line).
  readRateLimit: 3000,
  readRateWindowS: 60,
  readConcurrentMax: 3,
  // Every request of every route (server/http/fair-share.ts). A phone opening the map asks
  // for about forty things (fewer once its service worker has the app), so the burst lets a
  // few open at once and the rate two more every second, the rest waiting their turn (up to
  // 10 s). The burst is also the most one address can make the loop do at once (~0.2 s here).
  requestRateLimit: 100,
  requestBurst: 100,
} as const;

/**
 * A staff session ends this long after login however busy it is: a login at the start of a
 * shift (12 h in most crisis rotas) lasts it and an overrun, and a stolen session cookie is
 * worth at most a day.
 */
export const SESSION_MAX_HOURS_DEFAULT = 24;

/** ALLOWED_HOSTS: comma-separated `host[:port]`, each as server/http/host.ts reads a Host header. */
const hostList = z
  .string()
  .max(10_000)
  .default('')
  .transform((v, ctx) =>
    v.split(',').flatMap((entry) => {
      const host = entry.trim() ? parseHost(entry.trim()) : '';
      if (host === undefined) ctx.addIssue({ code: 'custom', message: `${entry.trim()} is not a host[:port]` });
      return host ? [host] : [];
    }),
  );

/** An optional setting: unset and empty are the same. */
const optionalText = (max: number) =>
  z
    .string()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined));
/** An http(s) URL without query or fragment, its trailing slashes dropped. */
const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\/[^?#]*$/i.test(u), 'must be an http:// or https:// URL without query or fragment')
  .transform((u) => withoutTrailingSlashes(u));

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .url()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  // A streaming replica for the public reads (server/db/replica.ts); only with DATABASE_URL.
  DATABASE_READ_URL: z
    .string()
    .url()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  // How far behind the replica may be before the public reads go to the primary (seconds):
  // a report hidden on the primary must leave the public answers within this.
  REPLICA_MAX_LAG_S: z.coerce
    .number({ invalid_type_error: 'must be a number of seconds' })
    .int('must be a whole number of seconds')
    .min(2, 'must be at least 2 (seconds; the lag is checked every second)')
    .max(3600, 'must be at most 3600 (seconds)')
    .default(5),
  DATA_DIR: z.string().min(1).default('./data'),
  PUBLIC_URL: z
    .string()
    .url()
    .refine((u) => /^https?:\/\/[^?#]*$/i.test(u), 'must be an http:// or https:// URL without query or fragment')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  // Without PUBLIC_URL links follow the Host header; production requires PUBLIC_URL (loadConfig).
  NODE_ENV: z.string().optional(),
  ALLOWED_HOSTS: hostList,
  TILE_URL: z.string().min(1).default('https://tile.openstreetmap.org/{z}/{x}/{y}.png'),
  TILE_ATTRIBUTION: z
    .string()
    .default('&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'),
  // A Nominatim- or Photon-compatible (path ending in /api) geocoder; unset: no address search.
  GEOCODER_URL: z
    .string()
    .url()
    .refine((u) => /^https?:\/\/[^#]*$/i.test(u), 'must be an http:// or https:// URL without fragment')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  // Upstream address searches per second, all clients together (the geocoder's usage policy).
  GEOCODER_RATE: z.coerce.number().min(0).max(1000).default(1),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  HELP_GRID_M: z.coerce.number().int().min(100).max(10_000).default(500),
  // How many volunteers must agree before a barrier is verified or recategorised (docs/VOLUNTEERS.md).
  VOLUNTEER_AGREEMENT: z.coerce.number().int().min(1).max(50).default(3),
  BARRIER_MODERATION: z.enum(['pre', 'post']).default('post'),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  // App processes on this machine sharing one port (server/cluster.ts, docs/DEPLOY.md).
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  TRUST_PROXY: z
    .enum(['true', 'false', '1', '0', ''])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  OPEN311_MEDIA_ALLOW_PRIVATE: z
    .enum(['true', 'false', '1', '0', ''])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  DATA_LICENSE: z.string().min(1).default('ODbL-1.0'),
  DATA_ATTRIBUTION: z.string().min(1).default('© Wegfrei contributors, ODbL 1.0'),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .min(1)
    .max(24 * 30)
    .default(12),
  SESSION_MAX_HOURS: z.coerce
    .number()
    .min(1)
    .max(24 * 30)
    .default(SESSION_MAX_HOURS_DEFAULT),
  // Per client address (0 turns a limit off); see server/http/rate-limit.ts and docs/API.md.
  REPORT_RATE_LIMIT: z.coerce.number().int().min(0).default(RATE_LIMIT_DEFAULTS.reportRateLimit),
  REPORT_RATE_WINDOW_S: z.coerce.number().int().min(1).max(86_400).default(RATE_LIMIT_DEFAULTS.reportRateWindowS),
  EXPORT_RATE_LIMIT: z.coerce.number().int().min(0).default(RATE_LIMIT_DEFAULTS.exportRateLimit),
  EXPORT_RATE_WINDOW_S: z.coerce.number().int().min(1).max(86_400).default(RATE_LIMIT_DEFAULTS.exportRateWindowS),
  EXPORT_CONCURRENT_MAX: z.coerce.number().int().min(0).default(RATE_LIMIT_DEFAULTS.exportConcurrentMax),
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(0).default(RATE_LIMIT_DEFAULTS.loginRateLimit),
  READ_RATE_LIMIT: z.coerce.number().int().min(0).default(RATE_LIMIT_DEFAULTS.readRateLimit),
  READ_RATE_WINDOW_S: z.coerce.number().int().min(1).max(86_400).default(RATE_LIMIT_DEFAULTS.readRateWindowS),
  READ_CONCURRENT_MAX: z.coerce.number().int().min(0).default(RATE_LIMIT_DEFAULTS.readConcurrentMax),
  REQUEST_RATE_LIMIT: z.coerce.number().int().min(0).max(1_000_000).default(RATE_LIMIT_DEFAULTS.requestRateLimit),
  REQUEST_BURST: z.coerce.number().int().min(1).max(1_000_000).default(RATE_LIMIT_DEFAULTS.requestBurst),
  // Real PostgreSQL only (PGlite has no timer to honour it): the public reads' statement budget.
  READ_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(5000),
  WEGFREI_BOOTSTRAP_ADMIN: z
    .string()
    .regex(/^[^:\s@]+@[^:\s@]+:.{12,}$/, 'must be email:password with a password of at least 12 characters')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  PHOTO_ORPHAN_GRACE_S: z.coerce.number().int().min(0).max(86_400).default(3600),
  // Where photos are kept (docs/DEPLOY.md#photos): the local disk, or an S3-compatible bucket
  // shared by every app process. The S3 settings are read whenever given (npm run photos:migrate
  // needs them before PHOTO_STORE says s3). The keys are secrets: never logged.
  PHOTO_STORE: z.enum(['local', 's3']).default('local'),
  // Its own check, and no .or(): a union's error says only "Invalid input", and `minio:9000`
  // parses as a URL of scheme "minio:". Empty: unset.
  S3_ENDPOINT: z
    .string()
    .refine((v) => v === '' || isHttpEndpoint(v), 'must be a URL such as http://minio:9000 (http:// or https://)')
    .transform((v) => (v === '' ? undefined : withoutTrailingSlashes(v)))
    .optional(),
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a bucket name (3-63 of a-z, 0-9, dot, hyphen)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  S3_REGION: z.string().min(1).max(64).default('us-east-1'),
  S3_ACCESS_KEY_ID: optionalText(256),
  S3_SECRET_ACCESS_KEY: optionalText(256),
  S3_FORCE_PATH_STYLE: z
    .enum(['true', 'false', '1', '0', ''])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  // Releases (server/features/releases): where, how often (0: only when an admin asks), how many kept (0: all).
  RELEASES_DIR: z.string().optional(),
  RELEASE_INTERVAL_HOURS: z.coerce
    .number()
    .min(0)
    .max(24 * 366)
    .default(24),
  RELEASES_KEEP: z.coerce.number().int().min(0).max(1_000_000).default(0),
  // Slow clients (server/http/slow-clients.ts, docs/SECURITY.md): lower the rate where phones are on GPRS.
  CLIENT_IDLE_TIMEOUT_S: z.coerce.number().int().min(5).max(3600).default(30),
  CLIENT_MIN_BYTES_PER_S: z.coerce.number().int().min(0).max(1_000_000).default(1024),
  CLIENT_MIN_READ_BYTES_PER_S: z.coerce.number().int().min(0).max(1_000_000).default(2048),
  // SMS through Twilio (docs/CHANNELS.md): the webhook exists only with the Auth Token; later
  // replies need the Account SID and a sender. Secrets: never logged.
  TWILIO_AUTH_TOKEN: optionalText(200),
  TWILIO_ACCOUNT_SID: optionalText(64),
  TWILIO_FROM_NUMBER: optionalText(64),
  TWILIO_MESSAGING_SERVICE_SID: optionalText(64),
  TWILIO_API_BASE_URL: httpUrl.default('https://api.twilio.com'),
  // SMS through an Android phone running SMS Gateway for Android (docs/CHANNELS.md): the webhook
  // exists only with the signing key; replies go to the phone's send API. Secrets: never logged.
  ANDROID_SMS_SIGNING_KEY: optionalText(200),
  ANDROID_SMS_API_URL: httpUrl.optional().or(z.literal('').transform(() => undefined)),
  ANDROID_SMS_USERNAME: optionalText(200),
  ANDROID_SMS_PASSWORD: optionalText(200),
  // A Telegram bot (docs/CHANNELS.md): the webhook exists only with the bot's token, and takes
  // only calls that carry the secret given to setWebhook. Secrets: never logged.
  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d{1,20}:[\w-]{20,100}$/, 'must be a bot token as BotFather gives it (123456:ABC…)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[\w-]{16,256}$/, 'must be 16 to 256 characters of A-Z, a-z, 0-9, _ and - (setWebhook secret_token)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  TELEGRAM_API_BASE_URL: z
    .string()
    .url()
    .refine((u) => /^https?:\/\/[^?#]*$/i.test(u), 'must be an http:// or https:// URL without query or fragment')
    .default('https://api.telegram.org'),
  // Outgoing e-mail (docs/FOLLOW.md): smtp(s)://user:pass@host:port; unset: no e-mail is sent.
  SMTP_URL: z
    .string()
    .max(2000)
    .refine((u) => /^smtps?:\/\/[^\s]+$/i.test(u), 'must be an smtp:// or smtps:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  MAIL_FROM: z.string().min(3).max(320).default('Wegfrei <wegfrei@localhost>'),
  // Web push (docs/FOLLOW.md): both keys or neither (then generated once and kept in the database).
  VAPID_PUBLIC_KEY: optionalText(200),
  VAPID_PRIVATE_KEY: optionalText(200),
  VAPID_SUBJECT: optionalText(500),
  // Push endpoints may be on private or loopback hosts (tests; never in production).
  PUSH_ALLOW_PRIVATE: z
    .enum(['true', 'false', '1', '0', ''])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  // Fault tests only (tests/stress): comma-separated points where the process kills itself.
  WEGFREI_FAILPOINTS: z
    .string()
    .default('')
    .transform((v) => v.split(',').filter(Boolean))
    .pipe(z.array(z.enum(FAILPOINTS))),
});

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  /** A replica the public reads go to (read-your-writes: server/db/replica.ts); undefined: the primary. */
  databaseReadUrl: string | undefined;
  /** The replica's largest lag (s) before the public reads go to the primary (server/db/replica.ts). */
  replicaMaxLagS: number;
  dataDir: string;
  publicUrl: string | undefined;
  /** Host headers (`host[:port]`, lower case) the server answers; empty: any valid one. */
  allowedHosts: string[];
  tileUrl: string;
  tileAttribution: string;
  /** The address search's upstream (server/features/geocoder); undefined: off. */
  geocoderUrl: string | undefined;
  /** Upstream address searches per second for all clients together; 0: no limit. */
  geocoderRate: number;
  logLevel: (typeof LOG_LEVELS)[number];
  /** Public locations of help requests are snapped to cells of this size (metres). */
  helpGridM: number;
  /** Volunteers who must agree before their checks verify a barrier or correct its category. */
  volunteerAgreement: number;
  /** Barriers published at once ('post', staff can take them down) or after a coordinator looked ('pre'). */
  barrierModeration: 'pre' | 'post';
  databasePoolMax: number;
  /** App processes (node:cluster workers) on this machine; more than 1 only with DATABASE_URL. */
  webConcurrency: number;
  /** Behind a reverse proxy: trust X-Forwarded-For/-Proto (client address, Secure cookies). */
  trustProxy: boolean;
  /** Staff sessions end this long after their last use… */
  sessionTtlHours: number;
  /** …and this long after login, however busy (the shorter of the two wins). */
  sessionMaxHours: number;
  /** Reports (POST /api/v1/reports, Open311 POST requests) per client address per window; 0: no limit. */
  reportRateLimit: number;
  reportRateWindowS: number;
  /** Downloads of /api/v1/exports/* per client address per window; 0: no limit. */
  exportRateLimit: number;
  exportRateWindowS: number;
  /** Exports one client address may run at the same time; 0: no limit. */
  exportConcurrentMax: number;
  /** Failed logins per client address per 15 minutes, over all accounts; 0: no limit. */
  loginRateLimit: number;
  /** Expensive public reads per client address per window; 0: no limit. */
  readRateLimit: number;
  readRateWindowS: number;
  /** Expensive public reads one client address may run at once (more wait in line); 0: no limit. */
  readConcurrentMax: number;
  /** Requests of any kind per client address per second, after a burst of `requestBurst`; 0: no limit. */
  requestRateLimit: number;
  requestBurst: number;
  /** statement_timeout of the public reads on PostgreSQL (ms; 0: none). */
  readStatementTimeoutMs: number;
  /** Open311 media_url may point into private networks (tests; never in production). */
  open311MediaAllowPrivate: boolean;
  /** The licence and attribution exports and feature APIs carry (SPDX id or URL). */
  dataLicense: string;
  dataAttribution: string;
  /** `email:password` of a first admin, created at start-up if there is no admin yet. */
  bootstrapAdmin: { email: string; password: string } | undefined;
  /**
   * The start-up sweep leaves photo files younger than this alone (another app process may be
   * about to commit them); the embedded database means one process, so there it is 0.
   */
  photoOrphanGraceS: number;
  /** Where photos are kept (server/features/photos/photos.storage.ts). */
  photoStore: 'local' | 's3';
  /** The bucket, when S3_BUCKET is set (always when photoStore is 's3'). Holds secrets: never logged. */
  s3: S3Settings | undefined;
  /** Published releases, one directory each (DATA_DIR/releases unless told). */
  releasesDir: string;
  /** A release this often (hours), and one soon after start when there is none as recent; 0: only on demand. */
  releaseIntervalHours: number;
  /** The newest releases kept; 0 keeps all, so a cited release URL keeps working. */
  releasesKeep: number;
  /** A request body or a response that makes no progress this long is cut (seconds). */
  clientIdleTimeoutS: number;
  /** A request body slower than this on average over 30 s is cut (bytes/s; 0: no minimum). */
  clientMinBytesPerS: number;
  /** A response the client reads slower than this over 30 s is cut (bytes/s; 0: no minimum). */
  clientMinReadBytesPerS: number;
  /** Outgoing mail relay (smtp:// or smtps://); undefined: no e-mail. Holds a secret: never logged. */
  smtpUrl: string | undefined;
  /** The From of every mail (an address, or `Name <address>`). */
  mailFrom: string;
  /** Web push keys from the environment; undefined: generated once and kept in the `settings` table. */
  vapid: { publicKey: string; privateKey: string } | undefined;
  /** VAPID `sub` when the keys come from the database (mailto: or https:); PUBLIC_URL otherwise. */
  vapidSubject: string | undefined;
  /** Push endpoints may be on private networks and plain http (tests; never in production). */
  pushAllowPrivate: boolean;
  /** Fault tests only: where the process kills itself (server/failpoints.ts). */
  failpoints: Failpoint[];
  /** A Telegram bot; undefined without TELEGRAM_BOT_TOKEN (no webhook). */
  telegram: { botToken: string; webhookSecret: string; apiBaseUrl: string } | undefined;
  /** SMS through Twilio; undefined without TWILIO_AUTH_TOKEN (no webhook). */
  twilio: TwilioConfig | undefined;
  /** SMS through an Android phone gateway; undefined without ANDROID_SMS_SIGNING_KEY (no webhook). */
  androidSms: AndroidSmsConfig | undefined;
}

function isHttpEndpoint(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'http:' || url.protocol === 'https:') && !value.includes('?') && !value.includes('#');
}

function withoutTrailingSlashes(url: string): string {
  let end = url.length;
  while (end > 0 && url[end - 1] === '/') end--;
  return url.slice(0, end);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  // A forged Host must never become the links of a public, cached response in production.
  if (e.NODE_ENV === 'production' && !e.PUBLIC_URL) {
    throw new Error('Invalid configuration: PUBLIC_URL: is required when NODE_ENV=production');
  }
  // PGlite lives inside one process (DESIGN.md): workers would each open DATA_DIR's database.
  if (e.WEB_CONCURRENCY > 1 && !e.DATABASE_URL) {
    throw new Error(
      'Invalid configuration: WEB_CONCURRENCY: more than 1 needs DATABASE_URL (a PostgreSQL server); ' +
        'the embedded database belongs to one process',
    );
  }
  // The embedded database has no replicas: a read URL alone would read another database.
  if (e.DATABASE_READ_URL && !e.DATABASE_URL) {
    throw new Error('Invalid configuration: DATABASE_READ_URL: needs DATABASE_URL (the primary it replicates)');
  }
  // Half a key pair would sign with a key browsers were never given.
  if (Boolean(e.VAPID_PUBLIC_KEY) !== Boolean(e.VAPID_PRIVATE_KEY)) {
    throw new Error('Invalid configuration: VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY: set both or neither');
  }
  if (e.PHOTO_STORE === 's3' && !e.S3_BUCKET) {
    throw new Error('Invalid configuration: S3_BUCKET: is required when PHOTO_STORE=s3');
  }
  // Half a key pair would silently fall back to whatever credentials the machine has.
  if (Boolean(e.S3_ACCESS_KEY_ID) !== Boolean(e.S3_SECRET_ACCESS_KEY)) {
    throw new Error('Invalid configuration: S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY: set both or neither');
  }
  // A webhook anyone could call would file reports in the bot's name.
  if (e.TELEGRAM_BOT_TOKEN && !e.TELEGRAM_WEBHOOK_SECRET) {
    throw new Error('Invalid configuration: TELEGRAM_WEBHOOK_SECRET: is required with TELEGRAM_BOT_TOKEN');
  }
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    databaseReadUrl: e.DATABASE_READ_URL,
    replicaMaxLagS: e.REPLICA_MAX_LAG_S,
    dataDir: path.resolve(e.DATA_DIR),
    publicUrl: e.PUBLIC_URL === undefined ? undefined : withoutTrailingSlashes(e.PUBLIC_URL),
    allowedHosts: e.ALLOWED_HOSTS,
    tileUrl: e.TILE_URL,
    tileAttribution: e.TILE_ATTRIBUTION,
    geocoderUrl: e.GEOCODER_URL,
    geocoderRate: e.GEOCODER_RATE,
    logLevel: e.LOG_LEVEL,
    helpGridM: e.HELP_GRID_M,
    volunteerAgreement: e.VOLUNTEER_AGREEMENT,
    barrierModeration: e.BARRIER_MODERATION,
    databasePoolMax: e.DATABASE_POOL_MAX,
    webConcurrency: e.WEB_CONCURRENCY,
    trustProxy: e.TRUST_PROXY,
    sessionTtlHours: e.SESSION_TTL_HOURS,
    sessionMaxHours: e.SESSION_MAX_HOURS,
    reportRateLimit: e.REPORT_RATE_LIMIT,
    reportRateWindowS: e.REPORT_RATE_WINDOW_S,
    exportRateLimit: e.EXPORT_RATE_LIMIT,
    exportRateWindowS: e.EXPORT_RATE_WINDOW_S,
    exportConcurrentMax: e.EXPORT_CONCURRENT_MAX,
    loginRateLimit: e.LOGIN_RATE_LIMIT,
    readRateLimit: e.READ_RATE_LIMIT,
    readRateWindowS: e.READ_RATE_WINDOW_S,
    readConcurrentMax: e.READ_CONCURRENT_MAX,
    requestRateLimit: e.REQUEST_RATE_LIMIT,
    requestBurst: e.REQUEST_BURST,
    readStatementTimeoutMs: e.READ_STATEMENT_TIMEOUT_MS,
    open311MediaAllowPrivate: e.OPEN311_MEDIA_ALLOW_PRIVATE,
    dataLicense: e.DATA_LICENSE,
    dataAttribution: e.DATA_ATTRIBUTION,
    bootstrapAdmin: e.WEGFREI_BOOTSTRAP_ADMIN
      ? {
          email: e.WEGFREI_BOOTSTRAP_ADMIN.slice(0, e.WEGFREI_BOOTSTRAP_ADMIN.indexOf(':')),
          password: e.WEGFREI_BOOTSTRAP_ADMIN.slice(e.WEGFREI_BOOTSTRAP_ADMIN.indexOf(':') + 1),
        }
      : undefined,
    photoOrphanGraceS: e.PHOTO_ORPHAN_GRACE_S,
    photoStore: e.PHOTO_STORE,
    s3: e.S3_BUCKET
      ? {
          endpoint: e.S3_ENDPOINT,
          bucket: e.S3_BUCKET,
          region: e.S3_REGION,
          accessKeyId: e.S3_ACCESS_KEY_ID,
          secretAccessKey: e.S3_SECRET_ACCESS_KEY,
          forcePathStyle: e.S3_FORCE_PATH_STYLE,
        }
      : undefined,
    releasesDir: path.resolve(e.RELEASES_DIR || path.join(e.DATA_DIR, 'releases')),
    releaseIntervalHours: e.RELEASE_INTERVAL_HOURS,
    releasesKeep: e.RELEASES_KEEP,
    clientIdleTimeoutS: e.CLIENT_IDLE_TIMEOUT_S,
    clientMinBytesPerS: e.CLIENT_MIN_BYTES_PER_S,
    clientMinReadBytesPerS: e.CLIENT_MIN_READ_BYTES_PER_S,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    vapid:
      e.VAPID_PUBLIC_KEY && e.VAPID_PRIVATE_KEY
        ? { publicKey: e.VAPID_PUBLIC_KEY, privateKey: e.VAPID_PRIVATE_KEY }
        : undefined,
    vapidSubject: e.VAPID_SUBJECT,
    pushAllowPrivate: e.PUSH_ALLOW_PRIVATE,
    failpoints: e.WEGFREI_FAILPOINTS,
    telegram:
      e.TELEGRAM_BOT_TOKEN && e.TELEGRAM_WEBHOOK_SECRET
        ? {
            botToken: e.TELEGRAM_BOT_TOKEN,
            webhookSecret: e.TELEGRAM_WEBHOOK_SECRET,
            apiBaseUrl: withoutTrailingSlashes(e.TELEGRAM_API_BASE_URL),
          }
        : undefined,
    twilio: e.TWILIO_AUTH_TOKEN
      ? {
          authToken: e.TWILIO_AUTH_TOKEN,
          accountSid: e.TWILIO_ACCOUNT_SID,
          fromNumber: e.TWILIO_FROM_NUMBER,
          messagingServiceSid: e.TWILIO_MESSAGING_SERVICE_SID,
          apiBaseUrl: e.TWILIO_API_BASE_URL,
        }
      : undefined,
    androidSms: e.ANDROID_SMS_SIGNING_KEY
      ? {
          signingKey: e.ANDROID_SMS_SIGNING_KEY,
          apiUrl: e.ANDROID_SMS_API_URL,
          username: e.ANDROID_SMS_USERNAME,
          password: e.ANDROID_SMS_PASSWORD,
        }
      : undefined,
  });
}
