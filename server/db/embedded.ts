// Embedded PostgreSQL: PGlite + PostGIS in a worker thread of this process
// (embedded-worker.ts), served over the Postgres wire protocol so the app talks to it through
// `pg` exactly as it talks to a real server. The worker keeps PostgreSQL's work off the app's
// event loop. The server asks for a password made anew at every start (wire.ts); only the
// returned URL carries it, and nothing logs that URL.
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger';
import type { EmbeddedWorkerData, EmbeddedWorkerMessage } from './embedded-worker';

export interface EmbeddedDatabase {
  /** A libpq connection string for `pg`, with this start's password: never log it. */
  url: string;
  stop(): Promise<void>;
}

/** A stop that has not finished after this is a hung database: the thread is ended. */
const STOP_TIMEOUT_MS = 30_000;

// Plain JavaScript: the worker starts outside any TypeScript loader (tsx, Jest), so it
// registers tsx's require hook before it loads the TypeScript file.
const BOOTSTRAP = `
require(require('node:worker_threads').workerData.tsx).register();
require(require('node:worker_threads').workerData.file);
`;

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
  const data: EmbeddedWorkerData & { tsx: string; file: string } = {
    dir,
    port: opts.port,
    tsx: require.resolve('tsx/cjs/api'),
    file: path.join(__dirname, 'embedded-worker.ts'),
  };
  const worker = new Worker(BOOTSTRAP, { eval: true, workerData: data });
  let stopping = false;
  let stopped: (() => void) | undefined;
  let failed: ((err: Error) => void) | undefined;
  worker.on('message', (msg: EmbeddedWorkerMessage) => {
    if (msg.type === 'log') opts.logger[msg.level](msg.fields, msg.message);
    else if (msg.type === 'stopped') stopped?.();
    else if (msg.type === 'failed') failed?.(new Error(msg.message));
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('error', (err) => failed?.(err));
  worker.once('exit', (code) => {
    unlock();
    if (stopping) return;
    failed?.(new Error(`the embedded database stopped (thread exit code ${code})`));
    // After a start, nothing else would say why every query now fails.
    opts.logger.error({ code }, 'The embedded database stopped unexpectedly; restart Wegfrei');
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      failed = reject;
      worker.on('message', (msg: EmbeddedWorkerMessage) => msg.type === 'ready' && resolve(msg.url));
    });
    failed = undefined;
    opts.logger.info({ ms: Date.now() - started }, 'Embedded database ready');
    return {
      url,
      async stop() {
        if (stopping) return exited;
        stopping = true;
        const done = new Promise<void>((resolve, reject) => {
          stopped = resolve;
          failed = reject;
        });
        worker.postMessage({ type: 'stop' });
        const timer = setTimeout(() => void worker.terminate(), STOP_TIMEOUT_MS);
        try {
          await Promise.race([done, exited]);
        } finally {
          clearTimeout(timer);
          await worker.terminate();
        }
      },
    };
  } catch (err) {
    stopping = true;
    await worker.terminate();
    throw err;
  } finally {
    clearInterval(heartbeat);
  }
}

const heldHere = new Set<string>();

/**
 * PGlite must never open one directory from two processes (a second app, or `npm run
 * user:create` while the app runs): both would write and the database is lost for good
 * ("could not locate a valid checkpoint record"). A lock file with the owner's pid says who
 * has it; a lock left by a process that is gone (killed) is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const lock = path.join(dataDir, 'embedded.lock');
  // A lock with this process's own pid is a leftover (in a container the app is pid 1 at every
  // start) unless this process holds it now, which only this process can know.
  if (heldHere.has(path.resolve(lock))) {
    throw new Error(`the embedded database in ${dataDir} is already open in this process`);
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      heldHere.add(path.resolve(lock));
      return () => {
        heldHere.delete(path.resolve(lock));
        fs.rmSync(lock, { force: true });
      };
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
