// One embedded database for all API test files (each file then works in its own schema).
// With TEST_DATABASE_URL set, the tests use that real PostgreSQL/PostGIS server instead.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { isAlive } from '../../support/server-process';

const ROOT = path.resolve(__dirname, '../../..');

export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) return;
  // Kept between runs: a warm start takes ~9 s, a first one ~25 s. PGlite must not open one
  // directory twice, so a second run at the same time (two terminals) gets a fresh one.
  let dataDir = path.join(ROOT, '.test-data', 'embedded');
  const lock = path.join(ROOT, '.test-data', 'embedded.lock');
  fs.mkdirSync(dataDir, { recursive: true });
  if (takeLock(lock)) (globalThis as { embeddedLock?: string }).embeddedLock = lock;
  else {
    dataDir = fs.mkdtempSync(path.join(ROOT, '.test-data', 'embedded-run-'));
    (globalThis as { embeddedScratch?: string }).embeddedScratch = dataDir;
  }
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/db/embedded-cli.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  (globalThis as { embeddedDb?: ChildProcess }).embeddedDb = child;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('embedded database did not start in 120 s')), 120_000);
    child.once('exit', (code) => reject(new Error(`embedded database exited with ${code}`)));
    readline.createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { url: string }).url);
    });
  });
  process.env.WF_EMBEDDED_TEST_URL = url;
}

/** Creates the lock file, or takes it over from a run that is no longer alive. */
function takeLock(lock: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return true;
    } catch {
      const holder = Number(fs.readFileSync(lock, 'utf8'));
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) return false;
      fs.rmSync(lock, { force: true });
    }
  }
  return false;
}
