// The embedded database's own thread (started by embedded.ts). PGlite runs PostgreSQL as
// WebAssembly, and a query runs to its end without yielding: in the app's thread a 0.6 s
// cluster count held every request, /healthz and every photo upload for 0.6 s. Here it holds
// only this thread; the app's thread reaches the database over the wire server's loopback
// socket as it reaches a real PostgreSQL.
//
// Messages: in, { type: 'stop' }; out, { type: 'ready', url }, { type: 'log', … },
// { type: 'failed', message }, { type: 'stopped' }.
import { parentPort, workerData } from 'node:worker_threads';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { slimPostgis } from './embedded-postgis';
import { serveOverWire } from './wire';

export interface EmbeddedWorkerData {
  dir: string;
  port?: number;
}

export type EmbeddedWorkerMessage =
  | { type: 'ready'; url: string }
  | { type: 'log'; level: 'warn'; fields: Record<string, unknown>; message: string }
  | { type: 'failed'; message: string }
  | { type: 'stopped' };

/**
 * PostgreSQL's memory inside PGlite's WebAssembly heap, which grows and never gives memory back:
 * shared_buffers is set aside and written whole at start (the default 128 MB was 96 MB more
 * resident memory from the first second), and a page not in it is read from the operating
 * system's file cache, which no process is charged for. maintenance_work_mem bounds what a
 * VACUUM or index build (the seed, a cells rebuild) takes once. Measured: docs/BENCHMARKS.md,
 * "Embedded database memory".
 */
const MEMORY_SETTINGS = ['shared_buffers=32MB', 'maintenance_work_mem=16MB'];

const port = parentPort;
if (!port) throw new Error('embedded-worker.ts runs only as a worker thread (see embedded.ts)');
const post = (message: EmbeddedWorkerMessage) => port.postMessage(message);

async function run(): Promise<void> {
  const { dir, port: listenPort } = workerData as EmbeddedWorkerData;
  const db = await PGlite.create({
    dataDir: dir,
    extensions: { postgis: slimPostgis(path.join(path.dirname(dir), 'pglite-cache')), btree_gist },
    startParams: [...PGlite.defaultStartParams, ...MEMORY_SETTINGS.flatMap((setting) => ['-c', setting])],
  });
  const server = await serveOverWire(db, {
    host: '127.0.0.1',
    port: listenPort,
    logger: {
      warn: (fields: Record<string, unknown>, message: string) => post({ type: 'log', level: 'warn', fields, message }),
    },
  });
  port!.on('message', (msg: { type: string }) => {
    if (msg.type !== 'stop') return;
    void server
      .close()
      .then(() => db.close())
      .then(
        () => post({ type: 'stopped' }),
        (err: unknown) => post({ type: 'failed', message: String(err) }),
      );
  });
  post({ type: 'ready', url: server.url });
}

run().catch((err: unknown) => post({ type: 'failed', message: err instanceof Error ? err.message : String(err) }));
