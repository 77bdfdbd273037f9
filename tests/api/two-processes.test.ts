// Many app processes behave as one (issue 17): two real servers on different ports over one
// PostgreSQL database and one S3-compatible server share one count per client, hear each
// other's changes and serve each other's photos, and one
// server with WEB_CONCURRENCY=2 serves from two workers. PostgreSQL only: the embedded
// database belongs to one process (config.ts refuses WEB_CONCURRENCY > 1 without it).
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { twoColourJpeg } from '../fixtures/images';
import { freshDatabase, type TestDatabase } from '../stress/support/database';
import { startS3Server, type TestS3Server } from '../support/s3-server';
import { freePort, isAlive, openStaffEvents, startServerProcess, type ServerProcess } from '../support/server-process';

jest.setTimeout(120_000);

const onRealDatabase = process.env.TEST_DATABASE_URL ? describe : describe.skip;
const ADMIN = { email: 'two-processes@example.org', password: 'a long enough password' };
const REPORT_LIMIT = 3;
const report = { category: 'steps', lat: 52.52, lon: 13.405, severity: 2 };

/** The servers' DATA_DIRs, removed after the tests. */
const dataDirs: string[] = [];

/** One server's environment: its own DATA_DIR, the shared database, the limits under test. */
function env(db: TestDatabase, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    DATABASE_URL: db.url,
    DATA_DIR: dataDirs[dataDirs.push(fs.mkdtempSync(path.join(os.tmpdir(), 'wegfrei-two-'))) - 1],
    // Each test speaks as a client address of its own (the last X-Forwarded-For entry).
    TRUST_PROXY: 'true',
    REPORT_RATE_LIMIT: String(REPORT_LIMIT),
    REPORT_RATE_WINDOW_S: '600',
    READ_RATE_LIMIT: '0',
    READ_CONCURRENT_MAX: '0',
    REQUEST_RATE_LIMIT: '0',
    ...extra,
  };
}

const postReport = (server: ServerProcess, client: string, description = 'two processes') =>
  fetch(`${server.baseUrl}/api/v1/reports`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': client },
    body: JSON.stringify({ ...report, description }),
  });

/** Opens `server`'s staff event stream; `events` holds every data line read. */
async function openLiveStream(server: ServerProcess): Promise<{ events: unknown[]; close: () => void }> {
  const events: unknown[] = [];
  let buffer = '';
  const stream = await openStaffEvents(server.baseUrl, ADMIN, (chunk) => {
    buffer += chunk;
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const line of lines) if (line.startsWith('data: ')) events.push(JSON.parse(line.slice(6)));
  });
  return { events, close: stream.close };
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

onRealDatabase('two app processes over one PostgreSQL database', () => {
  let db: TestDatabase;
  let a: ServerProcess;
  let b: ServerProcess;
  let s3: TestS3Server;

  beforeAll(async () => {
    [db, s3] = await Promise.all([freshDatabase(), startS3Server()]);
    const photos = {
      PHOTO_STORE: 's3',
      S3_ENDPOINT: s3.settings.endpoint,
      S3_BUCKET: s3.settings.bucket,
      S3_REGION: s3.settings.region,
      S3_ACCESS_KEY_ID: s3.settings.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.settings.secretAccessKey,
      S3_FORCE_PATH_STYLE: 'true',
    };
    // Both at once (migrations take turns under their advisory lock); A creates the admin,
    // whom B finds in the shared database.
    [a, b] = await Promise.all([
      startServerProcess(env(db, { ...photos, WEGFREI_BOOTSTRAP_ADMIN: `${ADMIN.email}:${ADMIN.password}` })),
      startServerProcess(env(db, photos)),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.drop();
    await s3?.close();
    for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('counts one client’s reports together whichever process takes them', async () => {
    const client = '203.0.113.7';
    expect((await postReport(a, client)).status).toBe(201);
    expect((await postReport(b, client)).status).toBe(201);
    expect((await postReport(a, client)).status).toBe(201);
    // The limit is spent across both: the next is refused on either.
    const onA = await postReport(a, client);
    const onB = await postReport(b, client);
    expect([onA.status, onB.status]).toEqual([429, 429]);
    expect(Number(onB.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another client's allowance is its own.
    expect((await postReport(b, '203.0.113.8')).status).toBe(201);
    // The shared counts name no address.
    const { rows } = await db.pool!.query<{ key: string }>('SELECT key FROM rate_limit_hits');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.key).join(' ')).not.toContain('203.0.113');
  });

  it('serves from one process the photo another took, from the shared bucket', async () => {
    const form = new FormData();
    for (const [k, v] of Object.entries(report)) form.append(k, String(v));
    form.append(
      'photos',
      new Blob([new Uint8Array(await twoColourJpeg(420, 300))], { type: 'image/jpeg' }),
      'steps.jpg',
    );
    const created = await fetch(`${a.baseUrl}/api/v1/reports`, {
      method: 'POST',
      headers: { 'X-Forwarded-For': '203.0.113.30' },
      body: form,
    });
    expect(created.status).toBe(201);
    const { properties } = (await created.json()) as { properties: { photos: { url: string }[] } };
    const photoPath = new URL(properties.photos[0]!.url).pathname;
    const served = await fetch(`${b.baseUrl}${photoPath}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    // The name is the SHA-256 of the bytes: B served A's photo whole, and from the bucket, as
    // neither server keeps photos in its own DATA_DIR.
    const bytes = Buffer.from(await served.arrayBuffer());
    expect(photoPath).toContain(crypto.createHash('sha256').update(bytes).digest('hex'));
    for (const dir of dataDirs.slice(0, 2)) expect(fs.existsSync(path.join(dir, 'photos'))).toBe(false);
  });

  it('sends a report taken by one process to a live stream open on the other', async () => {
    const live = await openLiveStream(b);
    try {
      const marker = `live ${crypto.randomUUID()}`;
      const created = await postReport(a, '203.0.113.20', marker);
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: number };
      const event = await until('the report on B’s stream', () =>
        live.events.find((e) => (e as { id?: unknown }).id === id),
      );
      expect((event as { report: { properties: { description: string } } }).report.properties.description).toBe(marker);
    } finally {
      live.close();
    }
  });

  it('serves from two workers with WEB_CONCURRENCY=2, replaces one that dies and all that die at once, and stops all on SIGTERM', async () => {
    const server = await startServerProcess(env(db, { WEB_CONCURRENCY: '2', LOG_LEVEL: 'info' }));
    try {
      // /healthz answers once the first worker listens; the second may still be starting.
      const readyLines = () => workerPids(server.output()).length;
      await until('both workers', () => (readyLines() >= 2 ? true : undefined), 60_000);
      // A new connection each time: the primary hands connections to its workers in turn.
      const ids: string[] = Array.from({ length: 8 }, () => crypto.randomUUID());
      for (const id of ids) {
        const status = await new Promise<number>((resolve, reject) =>
          http
            .get(`${server.baseUrl}/healthz`, { agent: false, headers: { 'X-Request-Id': id } }, (res) => {
              res.resume();
              res.on('end', () => resolve(res.statusCode!));
            })
            .on('error', reject),
        );
        expect(status).toBe(200);
      }
      // Each worker's access log line carries its pid.
      const pids = await until('the access log of every request', () => {
        const seen = new Map<string, number>();
        for (const line of server.output().split('\n')) {
          try {
            const entry = JSON.parse(line) as { pid?: number; req?: { id?: string } };
            if (entry.req?.id && entry.pid && ids.includes(entry.req.id)) seen.set(entry.req.id, entry.pid);
          } catch {
            // Not a log line.
          }
        }
        return seen.size === ids.length ? new Set(seen.values()) : undefined;
      });
      expect(pids.size).toBe(2);
      expect(pids.has(server.pid)).toBe(false);

      // A worker that dies is replaced, and the log says so.
      process.kill([...pids][0]!, 'SIGKILL');
      await until('a new worker', () => (readyLines() >= 3 ? true : undefined), 60_000);
      expect(server.output()).toContain('A worker died; starting another');

      // All of them at once (the OOM killer's way): the primary stays and forks both again.
      const living = await until('the workers alive now', () => {
        const alive = workerPids(server.output()).filter((pid) => isAlive(pid));
        return alive.length === 2 ? alive : undefined;
      });
      for (const pid of living) process.kill(pid, 'SIGKILL');
      await until('two new workers', () => (readyLines() >= 5 ? true : undefined), 60_000);
      expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
    } finally {
      await server.stop();
    }
    expect(await server.exited).toEqual({ code: 0, signal: null });
  });

  it('stops with code 1 when its workers cannot start (a bucket that is not there), as one process does', async () => {
    const closed = await freePort();
    const start = startServerProcess(
      env(db, {
        WEB_CONCURRENCY: '2',
        PHOTO_STORE: 's3',
        S3_ENDPOINT: `http://127.0.0.1:${closed}`,
        S3_BUCKET: 'wegfrei-photos',
        S3_FORCE_PATH_STYLE: 'true',
        S3_ACCESS_KEY_ID: 'wegfrei',
        S3_SECRET_ACCESS_KEY: 'not-asked-for',
      }),
    );
    const failure = await start.then(
      () => undefined,
      (err: Error) => err.message,
    );
    expect(failure).toMatch(/The server exited \(1\) before it was healthy/);
    expect(failure).toContain(`S3_ENDPOINT=http://127.0.0.1:${closed}: cannot connect (ECONNREFUSED)`);
    expect(failure).toContain('A worker could not start; stopping');
    expect(failure).not.toContain('A worker died; starting another');
  });
});

/** The pids of the workers the log has announced as ready, in order. */
function workerPids(output: string): number[] {
  const pids: number[] = [];
  for (const line of output.split('\n')) {
    if (!line.includes('"Worker ready"')) continue;
    const pid = (JSON.parse(line) as { pid?: number }).pid;
    if (pid) pids.push(pid);
  }
  return pids;
}
