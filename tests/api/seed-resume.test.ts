// `npm run seed -- --total N` (scripts/seed.ts, seedToTotal): interrupted, the same call
// carries on where it stopped, and the result is the very data of one uninterrupted run, with
// cells that count it.
import { seedToTotal } from '../../scripts/seed';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(180_000);

// One schema, seeded twice: on the embedded database two apps' sessions would share settings.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const options = (t: TestApp, signal?: AbortSignal) => ({
  seed: 7,
  dataDir: t.dataDir,
  helpGridM: 500,
  batchSize: 100,
  samplePhotos: 2,
  signal,
});

/** Every report's identity and substance (ids included: the sequence must continue, not repeat). */
async function fingerprint(t: TestApp): Promise<string[]> {
  const { rows } = await t.pool.query<{ r: string }>(
    `SELECT id || ' ' || category || ' ' || status || ' ' || ST_AsText(geom) || ' ' || created_at AS r
       FROM reports ORDER BY id`,
  );
  return rows.map((x) => x.r);
}

const publicSums = async () =>
  (
    await t.pool.query<{ k: string }>(
      `SELECT level || '/' || cx || '/' || cy || '/' || kind || ' ' || n AS k FROM report_cells_public ORDER BY 1`,
    )
  ).rows.map((r) => r.k);
const countReports = async () =>
  (await t.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM reports')).rows[0]!.n;

it('carries on after an interruption and ends with the same reports and cells as one run', async () => {
  const once = await seedToTotal(t.pool, 500, options(t));
  expect(once?.count).toBe(500);
  const straight = { reports: await fingerprint(t), sums: await publicSums() };
  expect(straight.sums.length).toBeGreaterThan(0);
  await t.pool.query('TRUNCATE reports RESTART IDENTITY CASCADE');
  await t.pool.query('SELECT rebuild_report_cells()');

  // Interrupted once its first batch of 100 is in.
  const stop = new AbortController();
  const partial = (await seedToTotal(t.pool, 500, { ...options(t, stop.signal), onBatch: () => stop.abort() }))!;
  expect(partial.count).toBe(100);
  expect(await countReports()).toBe(partial.count);
  // Even interrupted, the cells count what went in.
  const cells = await t.pool.query<{ n: number }>(
    'SELECT coalesce(sum(n), 0)::int AS n FROM report_cells WHERE level = 3',
  );
  expect(cells.rows[0]!.n).toBe(partial.count);

  const rest = await seedToTotal(t.pool, 500, options(t));
  expect(rest).toMatchObject({ before: partial.count, count: 500 - partial.count });
  expect(await seedToTotal(t.pool, 500, options(t))).toBeUndefined();
  // Killed before its final rebuild, a seed leaves cells that miss reports: the next call mends them.
  await t.pool.query(
    'DELETE FROM report_cells WHERE level = 3 AND ctid IN (SELECT ctid FROM report_cells WHERE level = 3 LIMIT 2)',
  );
  expect(await seedToTotal(t.pool, 500, options(t))).toBeUndefined();
  const mended = await t.pool.query<{ n: number }>('SELECT sum(n)::int AS n FROM report_cells WHERE level = 3');
  expect(mended.rows[0]!.n).toBe(500);
  expect(await countReports()).toBe(500);
  expect(await fingerprint(t)).toEqual(straight.reports);
  expect(await publicSums()).toEqual(straight.sums);
});
