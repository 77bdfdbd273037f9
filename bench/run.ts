// npm run bench [-- --count N] [--tiles 200] [--ingest 10000] [--photos 30] [--seed S] [--replica] [--no-write]
//
// One run against the configured database (DATABASE_URL, or the embedded one under DATA_DIR):
// seed it up to N reports if it holds fewer, start the real server as a child process, measure
// tiles, clusters, the list, exports (against the COPY ceiling), JSON and photo ingest and the
// server's memory, print a table and
// write it into docs/BENCHMARKS.md. Talks to 127.0.0.1 only. It writes into the database it is
// given (the seed, the ingest rows' reports): never point it at a deployment's.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type pg from 'pg';
import { seedToTotal } from '../scripts/seed';
import { mulberry32 } from '../scripts/seed/random';
import { loadConfig } from '../server/config';
import { type Database, openDatabase } from '../server/db/database';
import { migrate } from '../server/db/migrate';
import { createLogger } from '../server/logger';
import { reconcileHelpGrid } from '../server/features/reports/reports.service';
import { refreshCells } from '../server/features/tiles/tiles.repo';
import { measureBundle } from './bundle';
import { benchExport, copyBaseline } from './exports';
import { makeAgent } from './http';
import {
  INGEST_CONCURRENCY,
  type IngestResult,
  benchJsonIngest,
  benchPhotoIngest,
  makeBenchPhotos,
  ingestWarmup,
  mergeIngest,
  sharpAloneSeconds,
} from './ingest';
import { type BenchResults, machineInfo, textTable, writeMarkdown } from './report';
import { addCpu, cpuNote, cpuSeconds, cpuUse, machineBusySeconds, noCpu, postgresCpuSeconds } from './cpu';
import { memorySnapshot } from './memory';
import { startServer } from './server';
import { benchOgc } from './ogc';
import { benchGeoJson, benchTiles, samplePositions, viewport } from './tiles';
import { REPLICA_HOWTO, benchScaleOut, benchTileThroughput } from './scale';

const t0 = performance.now();
const log = (line: string) =>
  process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${line}\n`);

const USAGE = `npm run bench [-- options]   (DATABASE_URL: PostgreSQL; otherwise the embedded database under DATA_DIR)
  --count N     reports to measure at (seeds up to N; default 1,000,000 on PostgreSQL, 100,000 embedded)
  --tiles N     tiles per zoom band (200)      --ingest N   JSON reports to post (10,000)
  --photos N    reports with a photo (30)      --seed S     the random seed (42)
  --replica     also measure a streaming replica's lag (local PostgreSQL)
  --no-write    print the table only, leave docs/BENCHMARKS.md alone
It seeds and posts reports into the database it is given: use one of its own, never a deployment's.`;

function parseCli() {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const { values } = parseArgs({
    options: {
      count: { type: 'string' },
      tiles: { type: 'string', default: '200' },
      ingest: { type: 'string', default: '10000' },
      photos: { type: 'string', default: '30' },
      seed: { type: 'string', default: '42' },
      'no-write': { type: 'boolean', default: false },
      // A streaming replica of the local PostgreSQL for the lag row (tests/support/replica.ts).
      replica: { type: 'boolean', default: false },
    },
  });
  const num = (name: string, v: string | undefined) => {
    const n = Number(v?.replace(/_/g, ''));
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number`);
    return n;
  };
  return {
    count: values.count === undefined ? undefined : num('count', values.count),
    tiles: num('tiles', values.tiles),
    ingest: num('ingest', values.ingest),
    photos: num('photos', values.photos),
    seed: num('seed', values.seed),
    write: !values['no-write'],
    replica: values.replica,
  };
}

const countReports = async (pool: pg.Pool) =>
  (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM reports')).rows[0]!.n;
const countIds = async (pool: pg.Pool, ids: number[]) =>
  (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM reports WHERE id = ANY($1::bigint[])', [ids]))
    .rows[0]!.n;

/**
 * Huge pages this machine has handed out (PostgreSQL's shared_buffers, when it got them; PostgreSQL
 * 15 cannot say itself): they moved the cell fold's cost by a third (docs/DEPLOY.md).
 */
function hugePagesInUse(): string {
  try {
    const info = fs.readFileSync('/proc/meminfo', 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(info)?.[1] ?? 0);
    const mb =
      ((field('HugePages_Total') - field('HugePages_Free') + field('HugePages_Rsvd')) * field('Hugepagesize')) / 1024;
    return `; huge pages in use on this machine: ${Math.round(mb).toLocaleString('en')} MB`;
  } catch {
    return '';
  }
}

async function databaseVersion(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query<{ pg: string; postgis: string }>(
    'SELECT version() AS pg, postgis_lib_version() AS postgis',
  );
  const pgVersion = /PostgreSQL [\d.]+/.exec(rows[0]!.pg)?.[0] ?? rows[0]!.pg;
  // The settings docs/DEPLOY.md discusses, as this database has them: they move the figures.
  const settings = await pool.query<{ name: string; setting: string }>(
    `SELECT name, current_setting(name) AS setting FROM pg_settings
      WHERE name IN ('shared_buffers', 'effective_cache_size', 'work_mem', 'random_page_cost', 'huge_pages')
      ORDER BY name`,
  );
  return `${pgVersion}, PostGIS ${rows[0]!.postgis} (${settings.rows.map((r) => `${r.name} ${r.setting}`).join(', ')}${hugePagesInUse()})`;
}

const PHOTO_ROUNDS = 2;
/** Above this many reports the bench measures no export of everything (see where it is used). */
const EXPORTS_MAX_REPORTS = 2_000_000;
/** Reports measured at when no --count is given. */
const defaultSize = (kind: 'postgres' | 'embedded') => (kind === 'postgres' ? 1_000_000 : 100_000);

async function main(): Promise<void> {
  const started = performance.now();
  const args = parseCli();
  const config = loadConfig();
  const kind = config.databaseUrl ? 'postgres' : 'embedded';
  const target = args.count ?? defaultSize(kind);
  const logger = createLogger('warn', 2);
  const rng = mulberry32(args.seed);
  const load = os.loadavg()[0]!;
  if (load > 0.5 * os.cpus().length) {
    log(`Warning: the load average is ${load.toFixed(2)}; other work on this machine will skew the numbers.`);
  }

  // 1. The data: seed up to N, or reuse what is there.
  let db: Database | undefined = await openDatabase(config, logger);
  await migrate(db.pool, logger);
  await reconcileHelpGrid(db.pool, config.helpGridM);
  // Cell changes a previous run's last reports left unfolded would be folded by the new server
  // while the first (cold) tiles are measured: folded here, as part of making the data.
  while ((await refreshCells(db.pool)) > 0);
  // Seeded up to N (an interrupted seed carries on where it stopped), or reused as it is.
  const seeded = await seedToTotal(db.pool, target, {
    seed: 1,
    dataDir: config.dataDir,
    helpGridM: config.helpGridM,
    out: process.stderr,
  });
  if (!seeded)
    log(`Reusing the ${(await countReports(db.pool)).toLocaleString('en')} reports in the ${kind} database.`);
  const positions = await samplePositions(db.pool, rng, 2000);
  log('Measuring the COPY ceiling for exports…');
  // An export of everything passes the server's spool limit (2 GB) somewhere above 2 million
  // reports: beyond that the exports, and the COPY ceiling they are measured against, are left out.
  const measureExports = (await countReports(db.pool)) <= EXPORTS_MAX_REPORTS;
  const baseline = measureExports ? await copyBaseline(db.pool) : undefined;
  const publicReports = (
    await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM reports WHERE NOT hidden AND status <> 'rejected'`,
    )
  ).rows[0]!.n;
  if (baseline) log(`COPY: ${Math.round(baseline.perSecond).toLocaleString('en')} features/s`);
  const database = `${kind === 'postgres' ? 'real' : 'embedded'} ${await databaseVersion(db.pool)}`;
  const before = await countReports(db.pool);
  // The embedded database lives in one process: the server's, while it runs.
  if (kind === 'embedded') {
    await db.close();
    db = undefined;
  }
  const bundle = measureBundle(log);
  log('Making 3-megapixel test photos…');
  const photos = await makeBenchPhotos(args.photos, args.seed);

  // 2. The server.
  log('Starting the server…');
  const server = await startServer({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  // Everything busy on this machine that is neither the bench, the server nor PostgreSQL skews the numbers.
  const ours = () =>
    process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6 + cpuSeconds(server.pid) + postgresCpuSeconds();
  const busyBefore = machineBusySeconds() - ours();
  const wallBefore = performance.now();
  log(`Server ready in ${(server.startMs / 1000).toFixed(1)} s (pid ${server.pid}).`);
  let results: BenchResults;
  try {
    const idleMemory = await memorySnapshot(server.pid, 5000);
    const sequential = makeAgent(1);
    const tiles = await benchTiles(sequential, server.url, positions, rng, args.tiles, log);
    const clusters = await benchGeoJson(
      sequential,
      (r) => {
        const zoom = 8 + Math.floor(r() * 5);
        const p = positions[Math.floor(r() * positions.length)]!;
        return `${server.url}/api/v1/clusters?bbox=${viewport(p, zoom)}&zoom=${zoom}`;
      },
      100,
      rng,
      log,
    );
    log(`clusters: p95 ${clusters.latency.p95.toFixed(1)} ms`);
    const list = await benchGeoJson(
      sequential,
      (r) => {
        const zoom = 12 + Math.floor(r() * 5);
        const p = positions[Math.floor(r() * positions.length)]!;
        return `${server.url}/api/v1/reports?bbox=${viewport(p, zoom)}&limit=100`;
      },
      200,
      rng,
      log,
    );
    log(`list: p95 ${list.latency.p95.toFixed(1)} ms`);
    const ogc = await benchOgc(sequential, server.url, positions, publicReports, rng, log);
    sequential.destroy();
    const tileThroughput = await benchTileThroughput(server.url, positions, rng, {
      concurrency: 64,
      requests: 5000,
      tiles: 500,
    });
    log(
      `tiles at concurrency 64: ${Math.round(tileThroughput.full.perSecond)}/s whole, ` +
        `${Math.round(tileThroughput.conditional.perSecond)}/s revalidated (304)`,
    );

    const exportResults = [];
    for (const format of measureExports ? ['geojson', 'geojsonseq', 'csv'] : []) {
      const e = await benchExport(server.url, `/api/v1/exports/reports.${format}`, format, server.pid);
      log(`export ${format}: ${Math.round(e.perSecond).toLocaleString('en')} features/s, ${e.features} features`);
      exportResults.push(e);
    }

    const readsMemory = await memorySnapshot(server.pid);
    const json = await benchJsonIngest(
      server.url,
      positions,
      rng,
      { count: args.ingest, concurrency: INGEST_CONCURRENCY, warmup: ingestWarmup(kind), serverPid: server.pid },
      log,
    );
    const afterJson = db ? await countReports(db.pool) : undefined;
    const writesMemory = await memorySnapshot(server.pid);
    log(`JSON ingest: ${Math.round(json.perSecond)} reports/s, ${json.errors} errors`);
    // Sharp alone and the uploads take turns, so that a burst of other work on the machine
    // does not fall on one side only.
    let aloneSeconds = 0;
    let photoCpu = noCpu();
    const rounds: IngestResult[] = [];
    for (let round = 0; round < PHOTO_ROUNDS; round++) {
      aloneSeconds += await sharpAloneSeconds(photos, 2);
      const cpu0 = cpuUse(server.pid);
      rounds.push(await benchPhotoIngest(server.url, photos, positions, rng, { concurrency: 2 }, log));
      photoCpu = addCpu(photoCpu, cpuUse(server.pid), cpu0);
    }
    const photo = { ...mergeIngest(rounds), sharpAlonePerSecond: (photos.length * PHOTO_ROUNDS) / aloneSeconds };
    const afterPhoto = db ? await countReports(db.pool) : undefined;
    log(`photo ingest: ${photo.perSecond.toFixed(2)} photos/s; sharp alone ${photo.sharpAlonePerSecond.toFixed(2)}/s`);
    const otherLoad = (machineBusySeconds() - ours() - busyBefore) / ((performance.now() - wallBefore) / 1000);
    if (otherLoad > 0.2) log(`Warning: other processes kept ${otherLoad.toFixed(2)} cores busy during the run.`);
    const peakRss = server.peakRss();
    const peakSampledRss = server.peakSampledRss();
    log('Stopping the server…');
    await server.stop();

    // 3. Scaling out, on PostgreSQL (the embedded database is one process, and has no replicas).
    const scale =
      db && config.databaseUrl
        ? await benchScaleOut(
            db.pool,
            {
              databaseUrl: config.databaseUrl,
              readUrl: config.databaseReadUrl,
              dataDir: config.dataDir,
              replica: args.replica,
              ingest: args.ingest,
              concurrency: INGEST_CONCURRENCY,
              warmup: ingestWarmup('postgres'),
            },
            positions,
            rng,
            log,
          )
        : undefined;

    // 4. Lost reports: 201 answers the database does not hold.
    if (!db) db = await openDatabase(config, logger);
    const after = await countReports(db.pool);
    const jsonFound = await countIds(db.pool, json.ids);
    const photoFound = await countIds(db.pool, photo.ids);
    const jsonLost = afterJson !== undefined ? json.created - (afterJson - before) : json.created - jsonFound;
    const photoLost =
      afterPhoto !== undefined && afterJson !== undefined
        ? photo.created - (afterPhoto - afterJson)
        : photo.created - photoFound;
    const totalLost = json.created + photo.created + (scale?.added ?? 0) - (after - before);
    if (totalLost !== 0 || jsonFound !== json.created || photoFound !== photo.created) {
      log(
        `Lost check: ${json.created + photo.created} created, ${after - before} rows added, ids found ${jsonFound + photoFound}`,
      );
    }
    results = {
      machine: { ...machineInfo(), database, databaseKind: kind, reports: before, load, otherLoad },
      tiles,
      clusters,
      list,
      ogc,
      tileThroughput,
      twoProcesses: scale?.twoProcesses,
      replicaLag: scale?.replicaLag ?? (kind === 'embedded' ? 'none on the embedded database' : REPLICA_HOWTO),
      json: {
        ...json,
        concurrency: INGEST_CONCURRENCY,
        lost: kind === 'embedded' ? totalLost : jsonLost,
        // The embedded database can only be counted while the server is stopped: before and after both ingests.
        lostNote: kind === 'embedded' ? ' (JSON + photo, counted with the server stopped)' : '',
        cpu: cpuNote(json.cpuUsed!, json.seconds, kind),
      },
      photo: {
        ...photo,
        concurrency: 2,
        lost: kind === 'embedded' ? photo.created - photoFound : photoLost,
        cpu: cpuNote(photoCpu, photo.seconds, kind),
      },
      exports: baseline && { expected: publicReports, baseline, results: exportResults },
      bundle,
      server: { startMs: server.startMs, peakRss, peakSampledRss },
      memory: {
        reports: before,
        idle: idleMemory,
        afterReads: readsMemory,
        afterWrites: writesMemory,
        readsNote: 'tiles, clusters, list, OGC and exports',
        writesNote: `${args.ingest.toLocaleString('en')} JSON reports`,
      },
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await server.stop();
    await db?.close();
  }

  process.stdout.write(`\n${textTable(results)}\n`);
  for (const t of results.tiles) {
    log(`slowest cold tiles ${t.band.label}: ${t.slowest.map((s) => `${s.tile} ${s.ms.toFixed(0)} ms`).join(', ')}`);
  }
  if (args.write) {
    const file = path.resolve(__dirname, '../docs/BENCHMARKS.md');
    // The default size has the section the docs discuss; another size gets one beside it.
    await writeMarkdown(file, results, target === defaultSize(kind) ? undefined : target);
    log(`Written to ${path.relative(process.cwd(), file)}`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`\nThe benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
