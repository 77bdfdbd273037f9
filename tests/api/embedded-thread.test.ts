// The embedded database runs in a worker thread of its own (server/db/embedded.ts): a long
// query there must not hold the app's event loop, where it once stalled every request,
// /healthz and every upload for as long as the query ran. Started here in this very process,
// as the app starts it, in a fresh data directory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../server/db/embedded';
import { READS_APPLICATION_NAME } from '../../server/db/wire-gate';
import { createLogger } from '../../server/logger';

jest.setTimeout(120_000);

let dataDir: string;
let db: EmbeddedDatabase;
beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wegfrei-embedded-'));
  db = await startEmbeddedDatabase({ dataDir, logger: createLogger('warn', 2) });
});
afterAll(async () => {
  await db?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('a query of several hundred milliseconds leaves the event loop free', async () => {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const histogram = monitorEventLoopDelay({ resolution: 10 });
    histogram.enable();
    const started = performance.now();
    const { rows } = await client.query<{ n: string }>(
      'SELECT count(*) AS n FROM generate_series(1, 3000000) g WHERE g % 7 = 0',
    );
    const queryMs = performance.now() - started;
    histogram.disable();
    expect(Number(rows[0]?.n)).toBe(428571);
    // The query must really have been long, or the loop's delay would say nothing.
    expect(queryMs).toBeGreaterThan(300);
    expect(histogram.max / 1e6).toBeLessThan(Math.min(200, queryMs / 2));
  } finally {
    await client.end();
  }
});

test('the data directory is locked while it runs and free once it stopped', async () => {
  await expect(startEmbeddedDatabase({ dataDir, logger: createLogger('silent', 2) })).rejects.toThrow(
    /already open in this process/,
  );
  await db.stop();
  expect(fs.existsSync(path.join(dataDir, 'embedded.lock'))).toBe(false);
  db = await startEmbeddedDatabase({ dataDir, logger: createLogger('warn', 2) });
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const { rows } = await client.query<{ one: number }>('SELECT 1 AS one');
  expect(rows[0]?.one).toBe(1);
  await client.end();
});

test("the public reads' connection gives way: a report's statements wait for at most the one read that runs", async () => {
  const reads = new pg.Client({ connectionString: db.url, application_name: READS_APPLICATION_NAME });
  const other = new pg.Client({ connectionString: db.url });
  await Promise.all([reads.connect(), other.connect()]);
  const slowRead = 'SELECT count(*) FROM generate_series(1, 1500000) g WHERE g % 7 = 0';
  try {
    let t0 = performance.now();
    await reads.query(slowRead);
    const readMs = performance.now() - t0;
    // One expensive read after another, as an address at its limit sends them.
    let reading = true;
    const readLoop = (async () => {
      while (reading) await reads.query(slowRead);
    })();
    await new Promise((r) => setTimeout(r, readMs / 2));
    // A report is several statements, one after the other: each waited for a read of its own.
    t0 = performance.now();
    for (let i = 0; i < 4; i++) await other.query('SELECT $1::int AS step', [i]);
    const reportMs = performance.now() - t0;
    reading = false;
    await readLoop;
    expect(readMs).toBeGreaterThan(100);
    // The read running when the first statement came, and not one more.
    expect(reportMs).toBeLessThan(readMs * 1.8);
  } finally {
    await Promise.all([reads.end(), other.end()]);
  }
});
