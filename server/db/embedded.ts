// Embedded PostgreSQL: PGlite + PostGIS in this process, served over the Postgres wire
// protocol so the app talks to it through `pg` exactly as it talks to a real server. The
// server asks for a password made anew at every start (wire.ts); only the returned URL
// carries it, and nothing logs that URL.
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import type { Logger } from '../logger';
import { serveOverWire } from './wire';

export interface EmbeddedDatabase {
  /** A libpq connection string for `pg`, with this start's password: never log it. */
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedDatabase(opts: {
  dataDir: string;
  logger: Logger;
  port?: number;
}): Promise<EmbeddedDatabase> {
  const dir = path.join(opts.dataDir, 'pgdata');
  const firstStart = !fs.existsSync(path.join(dir, 'PG_VERSION'));
  fs.mkdirSync(dir, { recursive: true });
  const unlock = lockDataDir(opts.dataDir);
  const started = Date.now();
  opts.logger.info(
    { dir, firstStart },
    firstStart
      ? 'Creating the embedded PostgreSQL + PostGIS database (first start takes about 25 s)'
      : 'Starting the embedded PostgreSQL + PostGIS database (about 9 s)',
  );
  // PGlite gives no progress of its own; a heartbeat tells the person at the terminal it is alive.
  const heartbeat = setInterval(() => {
    const seconds = Math.round((Date.now() - started) / 1000);
    opts.logger.info({ seconds }, `Embedded database still starting… ${seconds} s`);
  }, 5000);
  try {
    const db = await PGlite.create({ dataDir: dir, extensions: { postgis } }).catch((err: unknown) => {
      unlock();
      throw err;
    });
    const server = await serveOverWire(db, { host: '127.0.0.1', port: opts.port, logger: opts.logger });
    opts.logger.info({ ms: Date.now() - started }, 'Embedded database ready');
    return {
      url: server.url,
      async stop() {
        await server.close();
        await db.close();
        unlock();
      },
    };
  } finally {
    clearInterval(heartbeat);
  }
}

/**
 * PGlite must never open one directory from two processes (a second app, or `npm run
 * user:create` while the app runs): both would write and the database is lost for good
 * ("could not locate a valid checkpoint record"). A lock file with the owner's pid says who
 * has it; a lock left by a process that is gone (killed) is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const lock = path.join(dataDir, 'embedded.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lock, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(fs.readFileSync(lock, 'utf8'));
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) {
        throw new Error(
          `the embedded database in ${dataDir} is in use by process ${holder} (Wegfrei or an admin command); stop it first, or remove ${lock} if no such process runs`,
          { cause: err },
        );
      }
      fs.rmSync(lock, { force: true });
    }
  }
  throw new Error(`could not lock the embedded database in ${dataDir}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
