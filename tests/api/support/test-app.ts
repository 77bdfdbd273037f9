// Each test file gets the real app over a real database, in a schema of its own, with its
// own photo directory; nothing is shared between files. On the embedded database the files
// run one after another (npm test passes --runInBand): PGlite is a single session, so two
// files' search_paths would overwrite each other.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type pg from 'pg';
import { createApp, type AppDeps } from '../../../server/app';
import { createPool, EMBEDDED_POOL_MAX } from '../../../server/db/database';
import { migrate } from '../../../server/db/migrate';
import { ReplicaReadPool } from '../../../server/db/replica';
import {
  localPhotoStorage,
  type LocalPhotoStorage,
  type PhotoStorage,
} from '../../../server/features/photos/photos.storage';
import { inProcessBus, type EventBus } from '../../../server/live/bus';

export interface TestApp<S extends PhotoStorage = LocalPhotoStorage> {
  app: ReturnType<typeof createApp>;
  pool: pg.Pool;
  /** The public reads' pool (a ReplicaReadPool with `replicaUrl`). */
  readPool: pg.Pool;
  events: EventBus;
  /** The database schema of this app (another app may share it: `sameDatabaseAs`). */
  schema: string;
  dataDir: string;
  /** The photo store the app uses: DATA_DIR on disk unless `photoStorage` says otherwise. */
  storage: S;
  /** Number of photo files on disk (display and thumbnail variants, plus temp files). */
  countPhotoFiles(): Promise<number>;
  close(): Promise<void>;
}

export const HELP_GRID_M = 500;

/**
 * Per-client limits high enough that no suite meets them by accident (every request comes
 * from 127.0.0.1), yet on, so every request passes through them; tests of the limits
 * themselves set their own.
 */
const TEST_RATE_LIMITS = {
  reportRateLimit: 1_000_000,
  reportRateWindowS: 600,
  exportRateLimit: 1_000_000,
  exportRateWindowS: 600,
  exportConcurrentMax: 1_000,
  loginRateLimit: 1_000_000,
  readRateLimit: 1_000_000,
  readRateWindowS: 60,
  readConcurrentMax: 1_000,
  requestRateLimit: 1_000_000,
  requestBurst: 1_000_000,
};

export interface TestAppOptions {
  /** Overrides of the app's configuration (trustProxy, rate limits, tileUrl…). */
  config?: Partial<AppDeps['config']>;
  /** statement_timeout of the public reads' pool on PostgreSQL (ms). */
  readStatementTimeoutMs?: number;
  /** The app's logger, for a test that reads what is logged (silent otherwise). */
  logger?: pino.Logger;
  /** A streaming replica of TEST_DATABASE_URL's database: the public reads go there (server/db/replica.ts). */
  replicaUrl?: string;
  /** REPLICA_MAX_LAG_S of that replica (default 5). */
  replicaMaxLagS?: number;
  /** Another photo store than the app's own DATA_DIR (an S3 bucket), given the data directory. */
  photoStorage?: (dataDir: string) => PhotoStorage;
  /**
   * A second app process on the first one's database (its schema, already migrated), with a
   * data directory of its own; closing it leaves the schema to the first.
   */
  sameDatabaseAs?: TestApp<PhotoStorage>;
}

export async function startTestApp(opts?: TestAppOptions & { photoStorage?: undefined }): Promise<TestApp>;
export async function startTestApp<S extends PhotoStorage>(
  opts: TestAppOptions & { photoStorage: (dataDir: string) => S },
): Promise<TestApp<S>>;
export async function startTestApp(opts: TestAppOptions = {}): Promise<TestApp<PhotoStorage>> {
  const url = process.env.TEST_DATABASE_URL ?? process.env.WF_EMBEDDED_TEST_URL;
  if (!url) throw new Error('No test database: run the tests through jest (global setup) or set TEST_DATABASE_URL');
  const shared = opts.sameDatabaseAs;
  const schema = shared?.schema ?? `test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = createPool(url, { max: 1 });
  if (!shared) await admin.query(`CREATE SCHEMA ${schema}`);
  const pool = createPool(url, { max: process.env.TEST_DATABASE_URL ? 4 : EMBEDDED_POOL_MAX, schema });
  // The public reads get their own pool, as in production (server/db/database.ts): on PostgreSQL
  // with a statement budget, on the embedded database a second connection taking turns.
  let readPool = process.env.TEST_DATABASE_URL
    ? createPool(url, { max: 4, schema, statementTimeoutMs: opts.readStatementTimeoutMs ?? 5000 })
    : createPool(url, { max: EMBEDDED_POOL_MAX, schema });
  // TEST_LOG_LEVEL=error shows the server's own log of a failing test.
  const logger = opts.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  if (opts.replicaUrl) {
    const replica = createPool(opts.replicaUrl, { max: 4, schema, statementTimeoutMs: 5000 });
    // A replica that a test stops drops its idle connections: the pool's 'error', not a crash.
    replica.on('error', () => undefined);
    readPool = new ReplicaReadPool(replica, readPool, logger, { maxLagS: opts.replicaMaxLagS });
  }
  if (!shared) await migrate(pool, logger);
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'wegfrei-test-'));
  const storage = opts.photoStorage ? opts.photoStorage(dataDir) : localPhotoStorage(dataDir);
  const events = inProcessBus();
  const app = createApp({
    config: {
      publicUrl: undefined,
      tileUrl: 'http://127.0.0.1:9/{z}/{x}/{y}.png',
      tileAttribution: 'test',
      helpGridM: HELP_GRID_M,
      trustProxy: false,
      sessionTtlHours: 12,
      // Releases built by a test go with its data directory.
      releasesDir: path.join(dataDir, 'releases'),
      ...TEST_RATE_LIMITS,
      ...opts.config,
    },
    pool,
    readPool,
    events,
    databaseKind: process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded',
    storage,
    logger,
  });
  return {
    app,
    pool,
    readPool,
    events,
    schema,
    dataDir,
    storage,
    async countPhotoFiles() {
      const files = await fs
        .readdir(path.join(dataDir, 'photos'), { recursive: true, withFileTypes: true })
        .catch(() => []);
      return files.filter((f) => f.isFile()).length;
    },
    async close() {
      await pool.end();
      await readPool.end();
      if (!shared) await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
