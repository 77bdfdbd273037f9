// The only reader of process.env: validated, typed and frozen once at start-up.
import path from 'node:path';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .url()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  DATA_DIR: z.string().min(1).default('./data'),
  PUBLIC_URL: z
    .string()
    .url()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  TILE_URL: z.string().min(1).default('https://tile.openstreetmap.org/{z}/{x}/{y}.png'),
  TILE_ATTRIBUTION: z
    .string()
    .default('&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  HELP_GRID_M: z.coerce.number().int().min(100).max(10_000).default(500),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
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
  WEGFREI_BOOTSTRAP_ADMIN: z
    .string()
    .regex(/^[^:\s]+@[^:\s]+:.{12,}$/, 'must be email:password with a password of at least 12 characters')
    .optional()
    .or(z.literal('').transform(() => undefined)),
});

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  publicUrl: string | undefined;
  tileUrl: string;
  tileAttribution: string;
  logLevel: (typeof LOG_LEVELS)[number];
  /** Public locations of help requests are snapped to cells of this size (metres). */
  helpGridM: number;
  databasePoolMax: number;
  /** Behind a reverse proxy: trust X-Forwarded-For/-Proto (client address, Secure cookies). */
  trustProxy: boolean;
  sessionTtlHours: number;
  /** Open311 media_url may point into private networks (tests; never in production). */
  open311MediaAllowPrivate: boolean;
  /** The licence and attribution exports and feature APIs carry (SPDX id or URL). */
  dataLicense: string;
  dataAttribution: string;
  /** `email:password` of a first admin, created at start-up if there is no admin yet. */
  bootstrapAdmin: { email: string; password: string } | undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.DATA_DIR),
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    tileUrl: e.TILE_URL,
    tileAttribution: e.TILE_ATTRIBUTION,
    logLevel: e.LOG_LEVEL,
    helpGridM: e.HELP_GRID_M,
    databasePoolMax: e.DATABASE_POOL_MAX,
    trustProxy: e.TRUST_PROXY,
    sessionTtlHours: e.SESSION_TTL_HOURS,
    open311MediaAllowPrivate: e.OPEN311_MEDIA_ALLOW_PRIVATE,
    dataLicense: e.DATA_LICENSE,
    dataAttribution: e.DATA_ATTRIBUTION,
    bootstrapAdmin: e.WEGFREI_BOOTSTRAP_ADMIN
      ? {
          email: e.WEGFREI_BOOTSTRAP_ADMIN.slice(0, e.WEGFREI_BOOTSTRAP_ADMIN.indexOf(':')),
          password: e.WEGFREI_BOOTSTRAP_ADMIN.slice(e.WEGFREI_BOOTSTRAP_ADMIN.indexOf(':') + 1),
        }
      : undefined,
  });
}
