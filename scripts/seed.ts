// npm run seed -- [--count N | --total N] [--seed S] [--truncate]
//
// Writes realistic synthetic reports to the configured database (DATABASE_URL, or the
// embedded one under DATA_DIR): clustered around towns and along their streets, every category,
// status and severity, a year of dates, ~2 % with photos. Rows are made in Node (seeded, so
// reproducible) and written in batches with one INSERT … SELECT FROM unnest(…) each, which runs
// the same on both databases. The cluster cells are rebuilt once at the end.
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import type pg from 'pg';
import { loadConfig } from '../server/config';
import { openDatabase } from '../server/db/database';
import { migrate } from '../server/db/migrate';
import { createLogger } from '../server/logger';
import { reconcileHelpGrid } from '../server/features/reports/reports.service';
import { makeGenerator } from './seed/generate';
import { prepareSamplePhotos } from './seed/photos';
import { mulberry32 } from './seed/random';
import { makeTowns } from './seed/towns';
import { CELLS_TRIGGER, insertBatch, insertParams, rebuildCells, step } from './seed/write';

export interface SeedOptions {
  count: number;
  seed: number;
  truncate: boolean;
  dataDir: string;
  helpGridM: number;
  /** Index of the first report in the seeded sequence: continue a sequence instead of repeating it. */
  start?: number;
  batchSize?: number;
  samplePhotos?: number;
  /** Stops after the batch in flight (the cells are still rebuilt). */
  signal?: AbortSignal;
  /** Called after each batch with the number of reports written so far. */
  onBatch?: (done: number) => void;
  /** Progress and steps go here (stderr); nothing when undefined. */
  out?: NodeJS.WriteStream;
}

export interface SeedSummary {
  count: number;
  photos: number;
  seconds: number;
  insertSeconds: number;
  cellsSeconds: number;
}

/**
 * Seeds until the database holds `total` reports, continuing the seeded sequence after the
 * reports already there: after an interruption the same call carries on where it stopped, and
 * the result is the same as one uninterrupted run (on the same day: dates count back from
 * today). Returns undefined when nothing was missing.
 */
export async function seedToTotal(
  pool: pg.Pool,
  total: number,
  opts: Omit<SeedOptions, 'count' | 'start' | 'truncate'>,
): Promise<(SeedSummary & { before: number }) | undefined> {
  const before = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM reports')).rows[0]!.n;
  if (before >= total) {
    // A seed killed before its final rebuild (its batches skip the cells' trigger) left cells
    // that miss reports: they are counted at the coarsest level, pending changes included.
    const { rows } = await pool.query<{ n: number }>(
      `SELECT (SELECT coalesce(sum(n), 0) FROM report_cells WHERE level = 3)
            + (SELECT coalesce(sum(sign), 0) FROM report_cell_deltas) AS n`,
    );
    if (Number(rows[0]!.n) !== before) {
      const client = await pool.connect();
      try {
        opts.out?.write(`The map cells count ${Number(rows[0]!.n).toLocaleString('en')} of the reports.\n`);
        await step(opts.out, 'Rebuilding map cluster cells (rebuild_report_cells)', () =>
          rebuildCells(client, opts.out),
        );
      } finally {
        client.release();
      }
    }
    return undefined;
  }
  opts.out?.write(`${before.toLocaleString('en')} reports there; adding ${(total - before).toLocaleString('en')}.\n`);
  return { before, ...(await seedReports(pool, { ...opts, count: total - before, start: before, truncate: false })) };
}

/** Seeds `count` reports into a migrated database. */
export async function seedReports(pool: pg.Pool, opts: SeedOptions): Promise<SeedSummary> {
  // One session throughout, so that its settings hold for every statement.
  const client = await pool.connect();
  try {
    return await seedWith(client, opts);
  } finally {
    client.release();
  }
}

async function seedWith(db: pg.PoolClient, opts: SeedOptions): Promise<SeedSummary> {
  const started = performance.now();
  const { out } = opts;
  const batchSize = opts.batchSize ?? 25_000;
  const start = opts.start ?? 0;
  // Only this session: faster commits are safe for data we can make again.
  await db.query(`SET synchronous_commit = off`);
  await db.query(`SET work_mem = '256MB'`);
  if (opts.truncate) {
    await step(out, 'Deleting existing reports', async () => {
      await db.query('TRUNCATE reports, report_cell_deltas RESTART IDENTITY CASCADE');
    });
  }
  const idSequence = (await db.query<{ seq: string }>(`SELECT pg_get_serial_sequence('reports', 'id') AS seq`)).rows[0]!
    .seq;
  const photos = await step(out, 'Making sample photos', () =>
    prepareSamplePhotos(opts.dataDir, opts.samplePhotos ?? 20, opts.seed),
  );
  const generate = makeGenerator({
    seed: opts.seed,
    towns: makeTowns(mulberry32(opts.seed)),
    // Midnight UTC today: the same seed on the same day gives the same dates.
    nowSeconds: Math.floor(Date.now() / 86_400_000) * 86_400,
    samplePhotos: photos.length,
  });

  const bar = out
    ? new SingleBar({
        stream: out,
        format: 'Reports  {bar} {percentage}% | {value}/{total} | {rate}/s | ETA {eta_formatted}',
        barsize: 30,
        etaBuffer: 4,
        fps: 5,
        hideCursor: true,
        // In a log (no terminal), a line every few seconds instead of redrawing one.
        noTTYOutput: true,
        notTTYSchedule: 5000,
      })
    : undefined;
  // The cells are rebuilt from scratch at the end, so the per-statement trigger that records
  // each new report for them (more than half of the insert time) is switched off for our own
  // statements: inside each batch's transaction, so no other session ever sees it off.
  const skipDeltas =
    (await db.query(`SELECT 1 FROM pg_trigger WHERE tgrelid = 'reports'::regclass AND tgname = '${CELLS_TRIGGER}'`))
      .rowCount === 1;
  const insertStarted = performance.now();
  bar?.start(opts.count, 0, { rate: '–' });
  let photoRows = 0;
  let done = 0;
  let failure: Error | undefined;
  try {
    // Make the next batch while the database writes this one.
    let next = generate(start, Math.min(batchSize, opts.count));
    while (done < opts.count && !opts.signal?.aborted) {
      const columns = next;
      const size = columns.kind.length;
      const write = insertBatch(db, insertParams(columns, photos, opts.helpGridM, idSequence), skipDeltas);
      const remaining = opts.count - done - size;
      if (remaining > 0) next = generate(start + done + size, Math.min(batchSize, remaining));
      photoRows += await write;
      done += size;
      const rate = Math.round(done / ((performance.now() - insertStarted) / 1000));
      bar?.update(done, { rate: rate.toLocaleString('en') });
      opts.onBatch?.(done);
    }
  } catch (err) {
    failure = err instanceof Error ? err : new Error(String(err));
  }
  bar?.stop();
  if (opts.signal?.aborted) out?.write(`Interrupted after ${done.toLocaleString('en')} reports.\n`);
  const insertSeconds = (performance.now() - insertStarted) / 1000;

  // Whatever happened above, the cells must count the reports that did go in.
  const cellsStarted = performance.now();
  try {
    await step(out, 'Rebuilding map cluster cells (rebuild_report_cells)', () => rebuildCells(db, out));
  } catch (err) {
    throw failure ?? err;
  }
  if (failure) throw failure;
  const cellsSeconds = (performance.now() - cellsStarted) / 1000;
  // Fresh statistics and visibility map, so the first tile requests plan and read well.
  await step(out, 'Vacuuming and analysing reports', async () => {
    await db.query('VACUUM (ANALYZE) reports, photos');
  });
  await db.query('RESET work_mem');
  await db.query('RESET synchronous_commit');
  return {
    count: done,
    photos: photoRows,
    seconds: (performance.now() - started) / 1000,
    insertSeconds,
    cellsSeconds,
  };
}

interface SeedCli {
  /** Reports to add, or, with `total`, undefined until the database is asked how many it holds. */
  count?: number;
  /** Seed until the database holds this many: run again after an interruption to carry on. */
  total?: number;
  seed: number;
  truncate: boolean;
}

const USAGE = `Usage: npm run seed -- [--count N | --total N] [--seed S] [--truncate]
  --count N   add N reports (default 10000)
  --total N   add reports until the database holds N; after an interruption (Ctrl-C), the same
              command carries on where it stopped
  --seed S    the random sequence (default 1)
  --truncate  delete all reports first
`;

function parseCli(argv: string[]): SeedCli {
  const { values } = parseArgs({
    args: argv,
    options: {
      count: { type: 'string' },
      total: { type: 'string' },
      seed: { type: 'string', default: '1' },
      truncate: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const whole = (name: string, v: string) => {
    const n = Number(v.replace(/_/g, ''));
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number`);
    return n;
  };
  if (values.count !== undefined && values.total !== undefined) throw new Error('give --count or --total, not both');
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error('--seed must be a whole number');
  if (values.total !== undefined) return { total: whole('total', values.total), seed, truncate: values.truncate };
  return { count: whole('count', values.count ?? '10000'), seed, truncate: values.truncate };
}

async function main(): Promise<void> {
  const args = parseCli(process.argv.slice(2));
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 2);
  const db = await openDatabase(config, logger);
  try {
    await migrate(db.pool, logger);
    // Seeded help requests are cut with this grid; record it so the server does not move them.
    await reconcileHelpGrid(db.pool, config.helpGridM);
    // Ctrl-C: finish the batch in flight and rebuild the cells, so tiles match the reports.
    const interrupt = new AbortController();
    process.once('SIGINT', () => interrupt.abort());
    const common = {
      seed: args.seed,
      dataDir: config.dataDir,
      helpGridM: config.helpGridM,
      signal: interrupt.signal,
      out: process.stderr,
    };
    let summary: SeedSummary | undefined;
    if (args.total !== undefined && !args.truncate) {
      summary = await seedToTotal(db.pool, args.total, common);
      if (!summary) {
        process.stdout.write(
          `The ${db.kind} database holds ${args.total.toLocaleString('en')} reports or more already.\n`,
        );
        return;
      }
    } else {
      const before = args.truncate
        ? 0
        : (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM reports')).rows[0]!.n;
      // Without --truncate, carry on after the reports already there instead of repeating them.
      summary = await seedReports(db.pool, {
        ...common,
        count: args.count ?? args.total!,
        truncate: args.truncate,
        start: before,
      });
    }
    const total = (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM reports')).rows[0]!.n;
    process.stdout.write(
      `Seeded ${summary.count.toLocaleString('en')} reports (${summary.photos.toLocaleString('en')} photos) ` +
        `into the ${db.kind} database in ${summary.seconds.toFixed(1)} s: ` +
        `${Math.round(summary.count / summary.insertSeconds).toLocaleString('en')} reports/s written, ` +
        `cells rebuilt in ${summary.cellsSeconds.toFixed(1)} s; ${total.toLocaleString('en')} reports in total.\n`,
    );
  } finally {
    await db.close();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`\nSeeding failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
