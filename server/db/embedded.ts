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
    const db = await PGlite.create({ dataDir: dir, extensions: { postgis } });
    const server = await serveOverWire(db, { host: '127.0.0.1', port: opts.port, logger: opts.logger });
    opts.logger.info({ ms: Date.now() - started }, 'Embedded database ready');
    return {
      url: server.url,
      async stop() {
        await server.close();
        await db.close();
      },
    };
  } finally {
    clearInterval(heartbeat);
  }
}
