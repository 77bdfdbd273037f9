import pg from 'pg';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { startEmbeddedDatabase } from './embedded';

/** See openDatabase: the embedded database must be used over a single connection. */
export const EMBEDDED_POOL_MAX = 1;

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
  const schema = opts.schema?.replace(/"/g, '');
  const config: pg.PoolConfig & { onConnect?: (client: pg.PoolClient) => Promise<unknown> } = {
    connectionString: url,
    max: opts.max,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    // pg-pool awaits this before handing the connection out.
    onConnect: schema ? (client) => client.query(`SET search_path TO "${schema}", public`) : undefined,
  };
  const pool = new pg.Pool(config);
  // A connection that dies while checked out (the database restarting between two queries of
  // a transaction, an export between chunks) emits 'error' on its client, which would crash
  // the process. Whoever holds the client sees the failure in its next query; the pool then
  // discards the client. Idle clients are the pool's own 'error' event (openDatabase).
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

export async function openDatabase(config: Config, logger: Logger): Promise<Database> {
  if (config.databaseUrl) {
    const pool = createPool(config.databaseUrl, { max: config.databasePoolMax });
    pool.on('error', (err) => logger.error({ err }, 'idle database connection failed'));
    return { pool, kind: 'postgres', close: () => pool.end() };
  }
  const embedded = await startEmbeddedDatabase({ dataDir: config.dataDir, logger });
  // PGlite is one session behind the socket: connections share its state (search_path, the
  // unnamed prepared statement), and the messages of two connections' queries can interleave.
  // One connection keeps every query whole; requests queue for it instead.
  const pool = createPool(embedded.url, { max: EMBEDDED_POOL_MAX });
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
