// The embedded database's own thread (started by embedded.ts). PGlite runs PostgreSQL as
// WebAssembly, and a query runs to its end without yielding: in the app's thread a 0.6 s
// cluster count held every request, /healthz and every photo upload for 0.6 s. Here it holds
// only this thread; the app's thread reaches the database over the wire server's loopback
// socket as it reaches a real PostgreSQL.
//
// Messages: in, { type: 'stop' }; out, { type: 'ready', url }, { type: 'log', … },
// { type: 'failed', message }, { type: 'stopped' }.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
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

const port = parentPort;
if (!port) throw new Error('embedded-worker.ts runs only as a worker thread (see embedded.ts)');
const post = (message: EmbeddedWorkerMessage) => port.postMessage(message);

async function run(): Promise<void> {
  const { dir, port: listenPort } = workerData as EmbeddedWorkerData;
  const db = await PGlite.create({ dataDir: dir, extensions: { postgis } });
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
