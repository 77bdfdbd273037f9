// Forward-only numbered SQL migrations (migrations/0001_*.sql …), each in its own
// transaction, recorded in schema_migrations. A small runner of our own: it must run the same
// way over the embedded database's single backend and a real server.
//
// A file whose first line is WITHOUT_TRANSACTION runs statement by statement instead, for
// CREATE INDEX CONCURRENTLY: a plain index build on a large table stops every report from being
// stored until it ends (100 s at ten million reports). Its statements end with `;` and an empty
// line, and must be safe to run again: a crash between two leaves the file unrecorded.
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import type { Logger } from '../logger';

export const MIGRATIONS_DIR = path.resolve(__dirname, '../../migrations');
const MIGRATION_FILE = /^\d{4}_[a-z0-9_]+\.sql$/;
// Any constant works; it keeps two app processes from migrating at once.
const LOCK_ID = 4_711_2026;
const LOCK_RETRY_MS = 200;
/** After this long waiting for another process's migrations, and every minute after, a line says so. */
const LOCK_NOTICE_MS = 10_000;
export const WITHOUT_TRANSACTION = '-- migrate: without transaction';
/** A statement ends with `;` and an empty line; a DO block may hold `;` but no empty line after one. */
const STATEMENT_END = /;[ \t]*\r?\n[ \t]*\r?\n/;

export async function migrate(pool: pg.Pool, logger: Logger, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = fs
    .readdirSync(dir)
    .filter((f) => MIGRATION_FILE.test(f))
    .sort();
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await takeLock(client, logger);
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
      if (sql.split(/\r?\n/, 1)[0]!.trim() === WITHOUT_TRANSACTION) {
        await runStatements(client, file, sql);
        applied.push(file);
        continue;
      }
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

/**
 * Waits for the migration lock by asking again, not in one blocking call: a waiting call holds a
 * snapshot, and CREATE INDEX CONCURRENTLY in the process that has the lock waits for every
 * snapshot older than its own, so the two would wait on each other.
 */
async function takeLock(client: pg.PoolClient, logger: Logger): Promise<void> {
  const started = performance.now();
  let noticeAt = LOCK_NOTICE_MS;
  for (;;) {
    const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [LOCK_ID]);
    if (rows[0]!.ok) return;
    if (performance.now() - started >= noticeAt) {
      const holder = await client.query<{ pid: number }>(
        `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = ($1::bigint % 4294967296)::oid`,
        [LOCK_ID],
      );
      logger.warn(
        { waitedS: Math.round(noticeAt / 1000), holderPid: holder.rows[0]?.pid },
        'Waiting for another process to finish its migrations',
      );
      noticeAt += 60_000;
    }
    await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS));
  }
}

/**
 * PGlite is one session, so nothing runs beside its migrations and CONCURRENTLY only adds risk
 * (electric-sql/pglite#901: "tuple concurrently updated", leaving an invalid index).
 */
const isPglite = async (client: pg.PoolClient) =>
  (await client.query<{ v: string }>('SELECT version() AS v')).rows[0]!.v.includes('PGlite');

async function runStatements(client: pg.PoolClient, file: string, sql: string): Promise<void> {
  const embedded = await isPglite(client);
  for (const text of sql.split(STATEMENT_END)) {
    if (!text.replace(/^--.*$/gm, '').trim()) continue;
    const statement = embedded ? text.replace(/\bCONCURRENTLY\b/g, '') : text;
    await client.query(statement).catch((err: Error) => {
      throw new Error(`Migration ${file} failed: ${err.message}`, { cause: err });
    });
  }
  await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
}
