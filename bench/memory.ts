// The server's resident memory (RSS, from /proc) at rest and after reads and writes: with the
// embedded database that is PostgreSQL too, whose WebAssembly heap grows and never shrinks.
//
// Alone: npx tsx bench/memory.ts [--count N] [--seed S]
//   seeds the configured database (DATA_DIR or DATABASE_URL) up to N reports, starts the real
//   server and runs a fixed load of its own: tiles over zooms 2–16, clusters, the list, a CSV
//   and a GeoJSON export, then 200 JSON reports. `npm run bench` takes the same snapshots around
//   its own load instead.
import crypto from 'node:crypto';
import type http from 'node:http';
import { parseArgs } from 'node:util';
import { seedReports } from '../scripts/seed';
import { type Random, mulberry32 } from '../scripts/seed/random';
import { loadConfig } from '../server/config';
import { openDatabase } from '../server/db/database';
import { migrate } from '../server/db/migrate';
import { createLogger } from '../server/logger';
import { reconcileHelpGrid } from '../server/features/reports/reports.service';
import { benchExport } from './exports';
import { makeAgent, request, runConcurrent } from './http';
import { readStatusKb, startServer } from './server';
import { type Position, tileAt, viewport } from './tiles';

export interface MemorySnapshot {
  /** VmRSS, bytes. */
  rss: number;
  /** VmHWM, the kernel's peak RSS so far, bytes. */
  peak: number;
}

export interface MemoryResult {
  reports: number;
  idle: MemorySnapshot;
  afterReads: MemorySnapshot;
  afterWrites: MemorySnapshot;
  /** What "reads" and "writes" were, for the table. */
  readsNote: string;
  writesNote: string;
}

/** RSS after a short rest: a just-finished request's garbage is not what a server holds. */
export async function memorySnapshot(pid: number, restMs = 2000): Promise<MemorySnapshot> {
  await new Promise((r) => setTimeout(r, restMs));
  return { rss: readStatusKb(pid, 'VmRSS'), peak: readStatusKb(pid, 'VmHWM') };
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 ** 2)} MB`;

export function memoryCell(m: MemoryResult): string {
  const s = (x: MemorySnapshot) => `${mb(x.rss)} (peak ${mb(x.peak)})`;
  return `idle ${s(m.idle)}; after ${m.readsNote} ${s(m.afterReads)}; after ${m.writesNote} ${s(m.afterWrites)}`;
}

/** 300 tiles over zooms 2–16 (each once), 100 cluster and 100 list viewports; the seconds the tiles took. */
export async function readLoad(agent: http.Agent, base: string, positions: Position[], rng: Random): Promise<number> {
  const pick = () => positions[Math.floor(rng() * positions.length)]!;
  const get = async (url: string) => {
    const res = await request(agent, url);
    if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status} ${res.body.toString().slice(0, 200)}`);
  };
  const started = performance.now();
  for (let i = 0; i < 300; i++) {
    const [z, x, y] = tileAt(pick(), 2 + (i % 15));
    await get(`${base}/tiles/public/${z}/${x}/${y}.mvt`);
  }
  const tileSeconds = (performance.now() - started) / 1000;
  for (let i = 0; i < 100; i++) {
    const zoom = 8 + (i % 5);
    await get(`${base}/api/v1/clusters?bbox=${viewport(pick(), zoom)}&zoom=${zoom}`);
    await get(`${base}/api/v1/reports?bbox=${viewport(pick(), 12 + (i % 5))}&limit=100`);
  }
  return tileSeconds;
}

/** `count` JSON reports, 4 at a time; the seconds they took. */
export async function writeLoad(
  agent: http.Agent,
  base: string,
  positions: Position[],
  rng: Random,
  count: number,
): Promise<number> {
  const started = performance.now();
  await runConcurrent(count, 4, async () => {
    const p = positions[Math.floor(rng() * positions.length)]!;
    const res = await request(agent, `${base}/api/v1/reports`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
      body: JSON.stringify({
        category: 'obstacle',
        lat: Math.round((p.lat + (rng() - 0.5) * 0.01) * 1e6) / 1e6,
        lon: Math.round((p.lon + (rng() - 0.5) * 0.01) * 1e6) / 1e6,
        severity: 2,
        description: 'Benchmark report',
        accuracy_m: 8,
        passability: 'limited',
      }),
    });
    if (res.status !== 201) throw new Error(`POST /api/v1/reports: HTTP ${res.status} ${res.body.toString()}`);
  });
  return (performance.now() - started) / 1000;
}

/** The whole measurement against a running server: its own reads, exports and writes. */
export async function benchMemory(
  server: { url: string; pid: number },
  positions: Position[],
  reports: number,
  rng: Random,
  log: (line: string) => void,
): Promise<MemoryResult & { tileSeconds: number; writeSeconds: number }> {
  const idle = await memorySnapshot(server.pid, 5000);
  log(`memory idle: ${mb(idle.rss)}`);
  const agent = makeAgent(4);
  try {
    const tileSeconds = await readLoad(agent, server.url, positions, rng);
    log(`300 tiles in ${tileSeconds.toFixed(1)} s`);
    for (const format of ['csv', 'geojson']) {
      const e = await benchExport(server.url, `/api/v1/exports/reports.${format}`, format, server.pid);
      log(`export ${format}: ${e.features} features`);
    }
    const afterReads = await memorySnapshot(server.pid);
    log(`memory after reads: ${mb(afterReads.rss)} (peak ${mb(afterReads.peak)})`);
    const writeSeconds = await writeLoad(agent, server.url, positions, rng, 200);
    log(`200 reports in ${writeSeconds.toFixed(1)} s`);
    const afterWrites = await memorySnapshot(server.pid);
    log(`memory after writes: ${mb(afterWrites.rss)} (peak ${mb(afterWrites.peak)})`);
    return {
      reports,
      idle,
      afterReads,
      afterWrites,
      readsNote: '300 tiles, 200 cluster/list views, CSV + GeoJSON export',
      writesNote: '200 reports',
      tileSeconds,
      writeSeconds,
    };
  } finally {
    agent.destroy();
  }
}

/** Seeds the configured database up to `count` reports (or reuses it) and samples where they are. */
async function prepareData(count: number, seed: number, log: (line: string) => void) {
  const config = loadConfig();
  const kind = config.databaseUrl ? 'postgres' : 'embedded';
  const db = await openDatabase(config, createLogger('warn', 2));
  try {
    await migrate(db.pool, createLogger('warn', 2));
    await reconcileHelpGrid(db.pool, config.helpGridM);
    const n = async () => (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM reports')).rows[0]!.n;
    const present = await n();
    if (present < count) {
      log(`Seeding ${(count - present).toLocaleString('en')} reports…`);
      await seedReports(db.pool, {
        ...{ count: count - present, seed: 1, start: present, truncate: false },
        ...{ dataDir: config.dataDir, helpGridM: config.helpGridM },
      });
    }
    const { rows } = await db.pool.query<Position>(
      `SELECT ST_X(public_geom) AS lon, ST_Y(public_geom) AS lat FROM reports
        WHERE NOT hidden AND status <> 'rejected' ORDER BY md5(id::text || $1) LIMIT 2000`,
      [String(seed)],
    );
    return { kind, dataDir: config.dataDir, databaseUrl: config.databaseUrl, reports: await n(), positions: rows };
  } finally {
    // The embedded database lives in one process: the server's, while it runs.
    await db.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { count: { type: 'string', default: '2000' }, seed: { type: 'string', default: '42' } },
  });
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const seed = Number(values.seed);
  const rng = mulberry32(seed);
  const data = await prepareData(Number(values.count), seed, log);
  const server = await startServer({ dataDir: data.dataDir, databaseUrl: data.databaseUrl });
  log(`Server ready in ${(server.startMs / 1000).toFixed(1)} s (pid ${server.pid}).`);
  try {
    const m = await benchMemory(server, data.positions, data.reports, rng, log);
    process.stdout.write(
      `${data.kind} server memory at ${data.reports.toLocaleString('en')} reports: ${memoryCell(m)}; ` +
        `300 tiles took ${m.tileSeconds.toFixed(1)} s, 200 reports ${m.writeSeconds.toFixed(1)} s\n`,
    );
  } finally {
    await server.stop();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(
      `The memory bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  });
}
