import pg from 'pg';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { startEmbeddedDatabase } from './embedded';

export type DatabaseKind = 'embedded' | 'postgres';

export interface Database {
  pool: pg.Pool;
  kind: DatabaseKind;
  close(): Promise<void>;
}

// bigint ids and counts arrive as strings by default; ours stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/**
 * A pool on `url`. With `schema`, every connection works in that schema first (tests give
 * each file its own), with PostGIS still reachable in `public`.
 */
export function createPool(url: string, opts: { max: number; schema?: string }): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  if (opts.schema) {
    const schema = opts.schema;
    // Queries on a client run in order, so this SET precedes the first real query.
    pool.on('connect', (client) => {
      void client.query(`SET search_path TO "${schema.replace(/"/g, '')}", public`);
    });
  }
  return pool;
}

export async function openDatabase(config: Config, logger: Logger): Promise<Database> {
  if (config.databaseUrl) {
    const pool = createPool(config.databaseUrl, { max: config.databasePoolMax });
    pool.on('error', (err) => logger.error({ err }, 'idle database connection failed'));
    return { pool, kind: 'postgres', close: () => pool.end() };
  }
  const embedded = await startEmbeddedDatabase({ dataDir: config.dataDir, logger });
  // One backend serves every connection in turn, so a few connections are plenty.
  const pool = createPool(embedded.url, { max: 4 });
  pool.on('error', (err) => logger.error({ err }, 'idle database connection failed'));
  return {
    pool,
    kind: 'embedded',
    async close() {
      await pool.end();
      await embedded.stop();
    },
  };
}
