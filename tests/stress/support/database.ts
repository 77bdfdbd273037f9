// Each stress test gets a database of its own: a fresh PostgreSQL database on the server
// TEST_DATABASE_URL names, or (without it) the embedded database in the test's DATA_DIR.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface TestDatabase {
  /** DATABASE_URL for the server; undefined = embedded in dataDir. */
  url: string | undefined;
  dataDir: string;
  /** A direct connection to the database (real PostgreSQL only). */
  pool: pg.Pool | undefined;
  drop(): Promise<void>;
}

export const REAL_DATABASE = process.env.TEST_DATABASE_URL;

export async function freshDatabase(opts: { embedded?: boolean } = {}): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wegfrei-stress-'));
  const removeDir = () => fs.rmSync(dataDir, { recursive: true, force: true });
  if (!REAL_DATABASE || opts.embedded) {
    return { url: undefined, dataDir, pool: undefined, drop: () => Promise.resolve(removeDir()) };
  }
  const name = `wegfrei_stress_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: REAL_DATABASE });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(REAL_DATABASE);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  await pool.query('CREATE EXTENSION IF NOT EXISTS postgis');
  return {
    url: url.toString(),
    dataDir,
    pool,
    async drop() {
      await pool.end();
      const again = new pg.Client({ connectionString: REAL_DATABASE });
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.end();
      removeDir();
    },
  };
}

/** Every file under DATA_DIR/photos: what a crash may have left behind. */
export function photoFiles(dataDir: string): string[] {
  const root = path.join(dataDir, 'photos');
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile())
    .map((f) => path.join(f.parentPath, f.name));
}

/**
 * The server's environment for a stress test. Every virtual phone here shares 127.0.0.1, so
 * the per-address limits are off: capacity and durability are under test, not the limits
 * (tests/api/security-rate-limits.test.ts tests those).
 */
export function serverEnv(db: TestDatabase, extra: Record<string, string> = {}): Record<string, string | undefined> {
  return {
    DATA_DIR: db.dataDir,
    DATABASE_URL: db.url,
    REPORT_RATE_LIMIT: '0',
    EXPORT_RATE_LIMIT: '0',
    EXPORT_CONCURRENT_MAX: '0',
    READ_RATE_LIMIT: '0',
    READ_CONCURRENT_MAX: '0',
    REQUEST_RATE_LIMIT: '0',
    ...extra,
  };
}
