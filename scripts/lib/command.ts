// What every admin command shares: open the configured database (DATABASE_URL, or the
// embedded one in DATA_DIR — stop the app first, the embedded database has one owner at a
// time), bring its schema up to date, run, say what went wrong in plain words, close, exit.
import type pg from 'pg';
import { loadConfig } from '../../server/config';
import { openDatabase } from '../../server/db/database';
import { migrate } from '../../server/db/migrate';
import { AppError } from '../../server/http/errors';
import { createLogger } from '../../server/logger';

/** `work` returns the exit code; an AppError becomes its field messages on stderr and exit 1. */
export function runCommand(name: string, work: (pool: pg.Pool) => Promise<number>): void {
  const run = async (): Promise<number> => {
    const logger = createLogger(process.env.LOG_LEVEL ?? 'warn', 2);
    const db = await openDatabase(loadConfig(), logger);
    try {
      await migrate(db.pool, logger);
      return await work(db.pool);
    } catch (err) {
      if (err instanceof AppError) {
        process.stderr.write(`${err.errors.map((e) => `${e.field}: ${e.detail}`).join('\n') || err.detail}\n`);
        return 1;
      }
      throw err;
    } finally {
      await db.close();
    }
  };
  run().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${name} failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}

/** A wrong call: the usage line, exit 2, before any database is opened. */
export function exitWithUsage(line: string): never {
  process.stderr.write(`${line}\n`);
  process.exit(2);
}
