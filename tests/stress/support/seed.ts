// Reports in a stress test's database before its server starts, written by `npm run seed`
// (one INSERT … unnest per batch): enough that an export is larger than the kernel's socket
// buffers, so a client reading it slowly really keeps the server waiting. A process of its
// own, as the embedded database (WebAssembly loaded by dynamic import) cannot start in Jest.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ROOT } from '../../support/server-process';
import type { TestDatabase } from './database';

function scriptEnv(db: TestDatabase): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: db.dataDir, LOG_LEVEL: 'warn' };
  if (db.url) env.DATABASE_URL = db.url;
  else delete env.DATABASE_URL;
  return env;
}

export async function seedDatabase(db: TestDatabase, count: number): Promise<void> {
  await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/seed.ts', '--count', String(count)], {
    cwd: ROOT,
    env: scriptEnv(db),
    timeout: 180_000,
  });
}

/** A staff account made as an operator makes one (`npm run user:create`), before the server starts. */
export async function createStaffAccount(
  db: TestDatabase,
  account: { email: string; password: string; role: 'admin' | 'coordinator' },
): Promise<void> {
  await promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      'scripts/user-create.ts',
      '--email',
      account.email,
      '--password',
      account.password,
      '--role',
      account.role,
    ],
    { cwd: ROOT, env: scriptEnv(db), timeout: 180_000 },
  );
}
