// What scaling out is measured by (issue 17): tile throughput with and without conditional
// requests, JSON ingest through two app processes, and how far a streaming replica lags.
import { Pool } from 'undici';
import pg from 'pg';
import type { Random } from '../scripts/seed/random';
import { replicaLagMs } from '../server/db/replica-lag';
import { type Replica, startReplica } from '../tests/support/replica';
import { cpuNote } from './cpu';
import { type Stats, runConcurrent, stats } from './http';
import { type IngestResult, benchJsonIngest } from './ingest';
import { startServer } from './server';
import { type Position, tileAt } from './tiles';

export interface ThroughputResult {
  requests: number;
  /** Answers per second (200s and 304s). */
  perSecond: number;
  latency: Stats;
  /** 304s among the answers. */
  notModified: number;
  /** Anything but 200 or 304, and requests that failed. */
  errors: number;
}

export interface TileThroughput {
  concurrency: number;
  tiles: number;
  full: ThroughputResult;
  conditional: ThroughputResult;
}

/** Distinct public tiles at zoom 10–16 where reports are: what a busy map's viewers ask for. */
function tilePaths(positions: Position[], rng: Random, count: number): string[] {
  const paths = new Set<string>();
  for (let i = 0; paths.size < count && i < count * 20; i++) {
    const p = positions[Math.floor(rng() * positions.length)]!;
    const [z, x, y] = tileAt(p, 10 + Math.floor(rng() * 7));
    paths.add(`/tiles/public/${z}/${x}/${y}.mvt`);
  }
  return [...paths];
}

/**
 * `requests` GETs over `paths`. With `etags`, each carries the tile's last ETag as
 * If-None-Match, as a revalidating cache does, and keeps the new one a 200 brings: ETags also
 * turn over each minute (server/http/conditional.ts), and a cache then fetches the tile anew.
 */
async function hammer(
  pool: Pool,
  paths: string[],
  opts: { requests: number; concurrency: number },
  etags?: Map<string, string>,
): Promise<ThroughputResult> {
  const times: number[] = [];
  let errors = 0;
  let notModified = 0;
  const started = performance.now();
  await runConcurrent(opts.requests, opts.concurrency, async (i) => {
    const path = paths[i % paths.length]!;
    const etag = etags?.get(path);
    const sent = performance.now();
    const res = await pool
      .request({ path, method: 'GET', headers: etag ? { 'if-none-match': etag } : {} })
      .catch((err: Error) => err);
    if (res instanceof Error) {
      errors++;
      return;
    }
    await res.body.dump();
    if (res.statusCode !== 200 && res.statusCode !== 304) {
      errors++;
      return;
    }
    times.push(performance.now() - sent);
    if (res.statusCode === 304) notModified++;
    else if (etags && typeof res.headers.etag === 'string') etags.set(path, res.headers.etag);
  });
  const seconds = (performance.now() - started) / 1000;
  return { requests: opts.requests, perSecond: times.length / seconds, latency: stats(times), notModified, errors };
}

/**
 * Tiles at a concurrency, as a CDN or many browsers ask for them: whole tiles, then
 * revalidating with their ETags (each answer then a 304 without a body).
 */
export async function benchTileThroughput(
  base: string,
  positions: Position[],
  rng: Random,
  opts: { concurrency: number; requests: number; tiles: number },
): Promise<TileThroughput> {
  const paths = tilePaths(positions, rng, opts.tiles);
  const pool = new Pool(base, { connections: opts.concurrency });
  try {
    const full = await hammer(pool, paths, opts);
    // Every tile once more for its ETag, right before they are used.
    const etags = new Map<string, string>();
    await hammer(pool, paths, { requests: paths.length, concurrency: opts.concurrency }, etags);
    const conditional = await hammer(pool, paths, opts, etags);
    return { concurrency: opts.concurrency, tiles: paths.length, full, conditional };
  } finally {
    await pool.close();
  }
}

export interface ReplicaLag {
  /** From a commit on the primary until a read on the replica sees it, ms. */
  atRest: Stats;
  /** The same while the server writes reports as fast as it can. */
  underIngest: Stats;
}

/**
 * Lag samples every `everyMs` while `during` runs (at least one). Sampling waits in between,
 * so that measuring the lag does not take the CPU the ingest needs.
 */
async function lagWhile(primary: pg.Pool, replica: pg.Pool, during: Promise<unknown>, everyMs: number) {
  const lags: number[] = [];
  let done = false;
  void during.finally(() => (done = true));
  do {
    lags.push(await replicaLagMs(primary, replica));
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  } while (!done);
  return lags;
}

/** The replica's lag at rest (20 samples), then while `ingest()` runs. */
export async function benchReplicaLag(
  primaryUrl: string,
  replicaUrl: string,
  ingest: () => Promise<unknown>,
): Promise<ReplicaLag> {
  const primary = new pg.Pool({ connectionString: primaryUrl, max: 1 });
  const replica = new pg.Pool({ connectionString: replicaUrl, max: 1 });
  try {
    const atRest: number[] = [];
    for (let i = 0; i < 20; i++) atRest.push(await replicaLagMs(primary, replica));
    const running = ingest();
    const underIngest = await lagWhile(primary, replica, running, 100);
    await running;
    return { atRest: stats(atRest), underIngest: stats(underIngest) };
  } finally {
    await Promise.all([primary.end(), replica.end()]);
  }
}

export type TwoProcesses = IngestResult & { concurrency: number; lost: number; cpu: string };

/** What the lag row says when there is no replica to measure. */
export const REPLICA_HOWTO = 'not measured: run with --replica (a local PostgreSQL) or DATABASE_READ_URL';

const countReports = async (pool: pg.Pool) =>
  (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM reports')).rows[0]!.n;

/**
 * The JSON ingest again through WEB_CONCURRENCY=2 (two app processes on one port, as two
 * nodes behind a load balancer would be), then the replica's lag at rest and while that
 * server ingests. The replica is DATABASE_READ_URL's, or with `--replica` one made here.
 */
export async function benchScaleOut(
  pool: pg.Pool,
  opts: {
    databaseUrl: string;
    readUrl: string | undefined;
    dataDir: string;
    replica: boolean;
    ingest: number;
    concurrency: number;
    warmup: number;
  },
  positions: Position[],
  rng: Random,
  log: (line: string) => void,
): Promise<{ twoProcesses: TwoProcesses; replicaLag: ReplicaLag | string; added: number }> {
  const before = await countReports(pool);
  log('Starting two app processes (WEB_CONCURRENCY=2)…');
  const server = await startServer({
    dataDir: opts.dataDir,
    databaseUrl: opts.databaseUrl,
    extra: { WEB_CONCURRENCY: '2' },
  });
  let made: Replica | undefined;
  try {
    const json = await benchJsonIngest(
      server.url,
      positions,
      rng,
      { count: opts.ingest, concurrency: opts.concurrency, warmup: opts.warmup, serverPid: server.pid },
      log,
    );
    const lost = json.created - ((await countReports(pool)) - before);
    log(`JSON ingest, 2 processes: ${Math.round(json.perSecond)} reports/s, ${json.errors} errors, ${lost} lost`);
    const twoProcesses = {
      ...json,
      concurrency: opts.concurrency,
      lost,
      cpu: cpuNote(json.cpuUsed!, json.seconds, 'postgres'),
    };

    let replicaUrl = opts.readUrl;
    if (!replicaUrl && opts.replica) {
      log('Making a streaming replica of the local PostgreSQL (pg_basebackup)…');
      made = await startReplica(opts.databaseUrl);
      replicaUrl = made.urlFor(opts.databaseUrl);
    }
    let replicaLag: ReplicaLag | string = REPLICA_HOWTO;
    if (replicaUrl) {
      replicaLag = await benchReplicaLag(opts.databaseUrl, replicaUrl, () =>
        benchJsonIngest(server.url, positions, rng, { count: opts.ingest, concurrency: opts.concurrency }, log),
      );
      log(
        `replica lag: p50 ${replicaLag.atRest.p50.toFixed(1)} ms at rest, ${replicaLag.underIngest.p50.toFixed(1)} ms under ingest`,
      );
    }
    return { twoProcesses, replicaLag, added: (await countReports(pool)) - before };
  } finally {
    await server.stop();
    await made?.remove();
  }
}
