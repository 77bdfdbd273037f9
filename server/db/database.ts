import pg from 'pg';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { startEmbeddedDatabase } from './embedded';
import { ReplicaReadPool } from './replica';
import { READS_APPLICATION_NAME } from './wire-gate';

/** See openDatabase: the embedded database must be used over a single connection. */
export const EMBEDDED_POOL_MAX = 1;

export type DatabaseKind = 'embedded' | 'postgres';

export interface Database {
  pool: pg.Pool;
  /**
   * The public reads' pool (tiles, clusters, lists, OGC, Open311): on PostgreSQL its own few
   * connections with a statement_timeout, so expensive reads can neither run long nor take
   * the connections that reports and health checks need. The embedded database has one
   * connection, so there it is `pool`. With DATABASE_READ_URL a ReplicaReadPool: the replica,
   * or the primary for a client that must see its own write (server/db/replica.ts).
   */
  readPool: pg.Pool;
  kind: DatabaseKind;
  close(): Promise<void>;
}

// bigint ids and counts arrive as strings by default; ours stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/**
 * A pool on `url`. With `schema`, every connection works in that schema first (tests give
 * each file its own), with PostGIS still reachable in `public`.
 */
export function createPool(
  url: string,
  opts: { max: number; schema?: string; statementTimeoutMs?: number; applicationName?: string },
): pg.Pool {
  const schema = opts.schema?.replace(/"/g, '');
  const config: pg.PoolConfig & { onConnect?: (client: pg.PoolClient) => Promise<unknown> } = {
    connectionString: url,
    max: opts.max,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    ...(opts.statementTimeoutMs ? { statement_timeout: opts.statementTimeoutMs } : {}),
    ...(opts.applicationName ? { application_name: opts.applicationName } : {}),
    // pg-pool awaits this before handing the connection out. JIT off: PostgreSQL compiles a
    // query whose estimated cost passes jit_above_cost, and the estimates of our short reads
    // (the public photos' subquery, per report) pass it at a million reports: a list of 100
    // reports spent 360 ms compiling for 27 ms of work (docs/BENCHMARKS.md). Our queries are
    // short; none gains from JIT. A session setting, so it holds behind PgBouncer too.
    onConnect: (client) =>
      client.query(schema ? `SET jit = off; SET search_path TO "${schema}", public` : 'SET jit = off'),
  };
  const pool = new pg.Pool(config);
  // A connection that dies while checked out (the database restarting between two queries of
  // a transaction, an export between chunks) emits 'error' on its client, which would crash
  // the process. Whoever holds the client sees the failure in its next query; the pool then
  // discards the client. Idle clients are the pool's own 'error' event (openDatabase).
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** Half as many connections again as the main pool (at least 2): the reads' own share. */
export const readPoolSize = (poolMax: number) => Math.max(2, Math.ceil(poolMax / 2));

export async function openDatabase(config: Config, logger: Logger): Promise<Database> {
  if (config.databaseUrl) {
    const pool = createPool(config.databaseUrl, { max: config.databasePoolMax });
    pool.on('error', (err) => logger.error({ err }, 'idle database connection failed'));
    const primaryReads = createPool(config.databaseUrl, {
      max: readPoolSize(config.databasePoolMax),
      statementTimeoutMs: config.readStatementTimeoutMs,
    });
    primaryReads.on('error', (err) => logger.error({ err }, 'idle database connection failed'));
    // With a replica the public reads go there, each client's own writes included (replica.ts).
    let readPool = primaryReads;
    if (config.databaseReadUrl) {
      const replica = createPool(config.databaseReadUrl, {
        max: config.databasePoolMax,
        statementTimeoutMs: config.readStatementTimeoutMs,
      });
      replica.on('error', (err) => logger.warn({ err }, 'idle read replica connection failed'));
      readPool = new ReplicaReadPool(replica, primaryReads, logger, { maxLagS: config.replicaMaxLagS });
      logger.info('Public reads go to the read replica (DATABASE_READ_URL)');
    }
    return {
      pool,
      readPool,
      kind: 'postgres',
      close: () => Promise.all([pool.end(), readPool.end()]).then(() => undefined),
    };
  }
  const embedded = await startEmbeddedDatabase({ dataDir: config.dataDir, logger });
  // PGlite is one session behind the socket, which runs one connection's query (up to its
  // Sync) at a time and lets a connection in a transaction keep it (server/db/wire-gate.ts).
  // Two connections take turns there: one for everything else, one for the public reads and
  // exports, so however many reads queue, a report or /healthz waits for at most the one
  // read that is running (a page of an export, a tile), not for the whole queue.
  const pool = createPool(embedded.url, { max: EMBEDDED_POOL_MAX });
  // The reads' connection gives way to the other's statements (wire-gate.ts).
  const readPool = createPool(embedded.url, { max: EMBEDDED_POOL_MAX, applicationName: READS_APPLICATION_NAME });
  for (const p of [pool, readPool]) p.on('error', (err) => logger.error({ err }, 'idle database connection failed'));
  return {
    pool,
    readPool,
    kind: 'embedded',
    async close() {
      await Promise.all([pool.end(), readPool.end()]);
      await embedded.stop();
    },
  };
}
