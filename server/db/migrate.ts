// Forward-only numbered SQL migrations (migrations/0001_*.sql …), each in its own
// transaction, recorded in schema_migrations. A small runner of our own: it must run the
// same way over the embedded database's single backend and a real server.
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import type { Logger } from '../logger';

export const MIGRATIONS_DIR = path.resolve(__dirname, '../../migrations');
const MIGRATION_FILE = /^\d{4}_[a-z0-9_]+\.sql$/;
// Any constant works; it keeps two app processes from migrating at once.
const LOCK_ID = 4_711_2026;

export async function migrate(pool: pg.Pool, logger: Logger, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = fs
    .readdirSync(dir)
    .filter((f) => MIGRATION_FILE.test(f))
    .sort();
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_ID]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set(
      (await client.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name),
    );
    for (const file of files) {
      if (done.has(file)) continue;
      const sql = fs.readFileSync(path.join(dir, file), 'utf8');
      logger.info({ migration: file }, 'Applying migration');
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`Migration ${file} failed: ${(err as Error).message}`, { cause: err });
      }
      applied.push(file);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_ID]).catch(() => undefined);
    client.release();
  }
}
