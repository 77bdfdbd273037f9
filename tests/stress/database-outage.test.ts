// PostgreSQL restarts under load (an upgrade, a failover): its backends are terminated and
// new connections refused for a few seconds. Meanwhile the app answers quickly with 503 and
// Retry-After, never a 500 or a hang; afterwards it recovers by itself, and the phones'
// retries with the same Idempotency-Key leave every report stored exactly once.
import crypto from 'node:crypto';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { percentile, postJsonReport, type Reply } from './support/client';
import { freshDatabase, REAL_DATABASE, serverEnv, type TestDatabase } from './support/database';
import { storedReports } from './support/reports';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy';

jest.setTimeout(90_000);

const SUBMITTERS = 6;
const OUTAGE_MS = 4000;
const describeReal = REAL_DATABASE ? describe : describe.skip;

describeReal('PostgreSQL restarted under load', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let server: ServerProcess;

  beforeAll(async () => {
    db = await freshDatabase();
    const url = new URL(db.url!);
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.host = `127.0.0.1:${proxy.port}`;
    server = await startServerProcess(serverEnv(db, { DATABASE_URL: url.toString() }));
  });
  afterAll(async () => {
    await server?.stop();
    await proxy?.close();
    await db?.drop();
  });

  it('answers 503 quickly during the outage, recovers without a restart, loses and doubles nothing', async () => {
    const marker = `outage-${crypto.randomUUID()}`;
    const replies: (Reply & { at: number; key: string })[] = [];
    const acknowledged = new Set<string>();
    const started = Date.now();
    let outage = { from: Infinity, to: Infinity };
    let running = true;

    const submitter = async () => {
      while (running) {
        const key = crypto.randomUUID();
        const description = `${marker}-${key}`;
        const report = {
          category: 'steps',
          lat: 52.5 + Math.random() / 10,
          lon: 13.4 + Math.random() / 10,
          description,
        };
        // A phone retries the same report, with the same key, until it is acknowledged.
        for (;;) {
          const reply = await postJsonReport(server.baseUrl, report, key);
          replies.push({ ...reply, at: Date.now() - started, key });
          if (reply.status === 201) {
            acknowledged.add(description);
            break;
          }
          if (reply.status !== 503 && reply.status !== 0) break; // asserted below: never happens
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    };
    // Map and data readers too: a list, a tile, a small export. A body cut off midway counts
    // as -1, which must never happen.
    const reads: { status: number; at: number; path: string }[] = [];
    const reader = async () => {
      const paths = [
        '/api/v1/reports?bbox=13.4,52.5,13.5,52.6&limit=50',
        '/tiles/public/12/2200/1343.mvt',
        '/api/v1/exports/reports.csv?bbox=13.4,52.5,13.41,52.51',
      ];
      for (let i = 0; running; i++) {
        const path = paths[i % paths.length]!;
        const res = await fetch(`${server.baseUrl}${path}`, { signal: AbortSignal.timeout(15_000) }).catch(
          () => undefined,
        );
        const whole = await res?.arrayBuffer().then(
          () => true,
          () => false,
        );
        reads.push({ status: res && whole ? res.status : -1, at: Date.now() - started, path });
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const load = Promise.all([...Array.from({ length: SUBMITTERS }, submitter), reader()]);

    await new Promise((r) => setTimeout(r, 2000));
    outage = { from: Date.now() - started, to: Infinity };
    // What a restart does: backends terminated (57P01 to every client), then refusal.
    await db.pool!.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    await proxy.down();
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    await proxy.up();
    outage.to = Date.now() - started;

    // It recovers by itself: healthy again without a restart.
    let healthy = false;
    for (let i = 0; i < 60 && !healthy; i++) {
      healthy = (await fetch(`${server.baseUrl}/healthz`)).status === 200;
      if (!healthy) await new Promise((r) => setTimeout(r, 250));
    }
    expect(healthy).toBe(true);
    await new Promise((r) => setTimeout(r, 2000));
    running = false;
    await load;

    const during = replies.filter((r) => r.at >= outage.from && r.at <= outage.to);
    const statuses = new Set(replies.map((r) => r.status));
    const unavailable = replies.filter((r) => r.status === 503);
    const after = replies.filter((r) => r.at > outage.to + 1500);
    const ms = unavailable.map((r) => r.ms).sort((a, b) => a - b);
    process.stdout.write(
      `outage: ${replies.length} replies, ${unavailable.length} × 503 (p50 ${percentile(ms, 50).toFixed(0)} ms, ` +
        `max ${percentile(ms, 100).toFixed(0)} ms), ${acknowledged.size} reports acknowledged\n`,
    );

    // Only "stored" or "try again shortly": never a 500, a dropped connection or a hang.
    expect(replies.filter((r) => r.status !== 201 && r.status !== 503).map((r) => [r.status, r.body])).toEqual([]);
    expect([...statuses].sort()).toEqual([201, 503]);
    expect(during.some((r) => r.status === 503)).toBe(true);
    expect(reads.filter((r) => r.status !== 200 && r.status !== 503)).toEqual([]);
    expect(reads.some((r) => r.status === 503)).toBe(true);
    for (const reply of unavailable) {
      expect(reply.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(reply.headers['retry-after']).toBe('5');
    }
    // Quick: no 503 waited out the pool's 10 s connection timeout.
    expect(Math.max(...ms)).toBeLessThan(10_000);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((r) => r.status === 201)).toBe(true);

    const stored = (await storedReports(db, server.baseUrl, marker)).map((r) => r.description);
    expect(stored.sort()).toEqual([...acknowledged].sort());
  });
});
