// Clients that stall or trickle, over a real port: a body that stops or arrives too slowly is
// cut with a 408 and gives back what it held; a body the server itself holds back, a slow
// but steady phone, and a client reading a large answer slowly are not cut; a client that
// reads nothing of its answer is. The limits are shortened here; docs/SECURITY.md has the real ones.
import http from 'node:http';
import net from 'node:net';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { pino } from 'pino';
import { exportsRouter } from '../../server/features/exports/exports.routes';
import { Budget, photosBusy, uploadBudget } from '../../server/features/photos/photos.budget';
import { problemHandler } from '../../server/http/errors';
import { slowClientGuard, type SlowClientLimits } from '../../server/http/slow-clients';
import { budgetedMemoryStorage, photoUpload } from '../../server/http/uploads';
import { twoColourJpeg } from '../fixtures/images';
import { startTestApp, type TestApp } from './support/test-app';
import { BOUNDARY, eventually, multipartBody, type Part } from './support/uploads';

jest.setTimeout(60_000);

const MB = 1024 * 1024;
const LIMITS: SlowClientLimits = {
  idleMs: 1000,
  minBytesPerS: 4096,
  minReadBytesPerS: 0, // the idle rule alone here; the rate has its own tests below
  graceMs: 1000,
  windowMs: 1000,
  tickMs: 100,
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function listen(app: express.Express): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as net.AddressInfo).port };
}

interface RawClient {
  socket: net.Socket;
  /** Everything the server sent until it closed the connection. */
  closed: Promise<string>;
  write(bytes: Buffer): Promise<void>;
}

/** A request on a raw socket: the head now, the body as the test writes it. */
async function rawPost(port: number, path: string, contentType: string, length: number): Promise<RawClient> {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  const closed = new Promise<string>((resolve) =>
    socket.once('close', () => resolve(Buffer.concat(chunks).toString())),
  );
  const write = (bytes: Buffer) => new Promise<void>((resolve) => socket.write(bytes, () => resolve()));
  await write(
    Buffer.from(
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\nContent-Type: ${contentType}\r\n` +
        `Content-Length: ${length}\r\n\r\n`,
    ),
  );
  return { socket, closed, write };
}

/** The status and the problem+json body of a raw HTTP/1.1 answer. */
function parseAnswer(raw: string): {
  status: number;
  type?: string;
  body?: { errors?: { field: string; detail: string }[] };
} {
  const [head, ...rest] = raw.split('\r\n\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head ?? '')?.[1] ?? 0);
  const type = /^content-type: *(\S.*)$/im.exec(head ?? '')?.[1];
  const text = rest.join('\r\n\r\n');
  try {
    return { status, type, body: JSON.parse(text) as { errors?: { field: string; detail: string }[] } };
  } catch {
    return { status, type };
  }
}

const photoForm = (bytes: Buffer): Buffer =>
  multipartBody([{ name: 'photos', file: { filename: 'p.jpg', contentType: 'image/jpeg', bytes } } satisfies Part]);
const FORM_TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

describe('the guard on a bare app with short limits', () => {
  /** Answers of /large the server is done with, by ?who=. */
  const closed = new Set<string>();
  let budget: Budget;
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    budget = new Budget({ capacity: MB, maxWaiting: 4, waitMs: 20_000, busy: photosBusy('received') });
    const app = express();
    app.use((req, _res, next) => {
      req.log = pino({ level: 'silent' });
      next();
    });
    app.use(slowClientGuard(LIMITS));
    app.post('/upload', photoUpload(budgetedMemoryStorage(budget)), (req, res) => {
      res.json({ sizes: (req.files as Express.Multer.File[]).map((f) => f.size) });
    });
    app.post('/json', express.json({ limit: '64kb' }), (req, res) =>
      res.json({ keys: Object.keys(req.body as object) }),
    );
    // One chunk of 12 MB: the client's progress shows only inside libuv's write queue.
    const answer = Buffer.alloc(12 * MB, 'x');
    app.get('/large', (req, res) => {
      res.once('close', () => closed.add(req.query.who as string));
      res.type('text/plain').end(answer);
    });
    app.use(problemHandler);
    ({ server, port } = await listen(app));
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  afterEach(() => eventually(() => budget.used === 0 && budget.waiting === 0, 'the budget empty again'));

  it('cuts a body that stops arriving with 408 naming the body, and gives its bytes back', async () => {
    const form = photoForm(Buffer.alloc(300 * 1024, 1));
    const client = await rawPost(port, '/upload', FORM_TYPE, form.length);
    await client.write(form.subarray(0, 200 * 1024));
    await eventually(() => budget.used > 100 * 1024, 'the first part held');
    const answer = parseAnswer(await client.closed);
    expect(answer).toMatchObject({ status: 408, type: expect.stringMatching(/^application\/problem\+json/) });
    expect(answer.body?.errors).toEqual([{ field: 'body', detail: 'stopped arriving for 1 seconds' }]);
    expect(budget.used).toBe(0);
  });

  it('cuts a body that trickles below the minimum rate', async () => {
    const body = Buffer.from(JSON.stringify({ description: 'x'.repeat(40_000) }));
    const client = await rawPost(port, '/json', 'application/json', body.length);
    let sent = 0;
    const trickle = setInterval(() => {
      // 100 bytes every 50 ms: 2 KB/s, half the minimum.
      if (sent < body.length) void client.write(body.subarray(sent, (sent += 100)));
    }, 50);
    const answer = parseAnswer(await client.closed);
    clearInterval(trickle);
    expect(answer.status).toBe(408);
    expect(answer.body?.errors).toEqual([{ field: 'body', detail: 'arrived slower than 4096 bytes per second' }]);
    expect(sent).toBeLessThan(body.length);
  });

  it('lets a slow but steady body through', async () => {
    const body = Buffer.from(JSON.stringify({ description: 'x'.repeat(20_000) }));
    const client = await rawPost(port, '/json', 'application/json', body.length);
    // 1 KB every 100 ms (10 KB/s) with a 600 ms gap on the way, like a phone in a cell handover.
    for (let sent = 0; sent < body.length; sent += 1024) {
      await client.write(body.subarray(sent, sent + 1024));
      await sleep(sent === 8 * 1024 ? 600 : 100);
    }
    expect(parseAnswer(await client.closed)).toMatchObject({ status: 200, body: { keys: ['description'] } });
  });

  it('does not count the time the server holds a body back waiting for budget', async () => {
    await budget.take(900 * 1024); // someone else's upload
    const form = photoForm(Buffer.alloc(400 * 1024, 2));
    const waiting = await rawPost(port, '/upload', FORM_TYPE, form.length);
    await waiting.write(form);
    await eventually(() => budget.waiting === 1, 'the upload waiting for room');
    // Three idle times pass while it waits with everything sent: the wait is the server's.
    await sleep(3 * LIMITS.idleMs);
    expect(waiting.socket.destroyed).toBe(false);
    budget.give(900 * 1024);
    expect(parseAnswer(await waiting.closed)).toMatchObject({ status: 200, body: { sizes: [400 * 1024] } });
  });

  it('destroys an answer the client reads nothing of, and keeps one it reads steadily', async () => {
    const connect = async (who: string) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      await new Promise<void>((resolve) => socket.once('connect', resolve));
      socket.pause();
      socket.write(`GET /large?who=${who} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
      return socket;
    };
    const parked = await connect('parked');
    const steady = await connect('steady');
    // 128 KB every 50 ms: the 12 MB take about five idle times to go, with progress all along.
    let read = 0;
    const deadline = Date.now() + 30 * LIMITS.idleMs;
    while (read < 12 * MB && !steady.destroyed && Date.now() < deadline) {
      await sleep(50);
      read += (steady.read(128 * 1024) as Buffer | null)?.length ?? 0;
    }
    await eventually(() => closed.size === 2, 'both answers over');
    // What the parked client can still read is what the kernel held when the server closed it.
    parked.resume();
    let parkedRead = 0;
    parked.on('data', (c: Buffer) => (parkedRead += c.length));
    await new Promise((resolve) => parked.once('close', resolve));
    expect({ steady: read >= 12 * MB, parked: parkedRead < 12 * MB }).toEqual({ steady: true, parked: true });
    steady.destroy();
  });
});

async function until(check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await sleep(50);
}

/** When the server was done with each answer, by the client's port. */
const answeredAt = new Map<number, number>();

/** A GET on a raw socket that reads nothing until the test says, and how long until the server ended its answer. */
async function rawGet(port: number, target: string) {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  socket.pause();
  socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
  const started = Date.now();
  const local = socket.localPort!;
  const answeredAfterMs = () => (answeredAt.has(local) ? answeredAt.get(local)! - started : undefined);
  return { socket, answeredAfterMs };
}

describe('the minimum read rate, on a real export', () => {
  // Short limits; the idle time is long, so only the rate can cut.
  const RATE: SlowClientLimits = {
    idleMs: 60_000,
    minBytesPerS: 0,
    minReadBytesPerS: 16 * 1024,
    graceMs: 2000,
    windowMs: 3000,
    tickMs: 100,
  };
  let t: TestApp;
  let server: http.Server;
  let port: number;
  let dir: string;
  beforeAll(async () => {
    t = await startTestApp();
    // ~10 MB of GeoJSON: more than the kernel's socket buffers (a few MB on loopback) take.
    await t.pool.query(
      `INSERT INTO reports (kind, category, geom, public_geom, severity, description)
       SELECT 'barrier', 'steps', p, p, 2, $1
         FROM (SELECT ST_SetSRID(ST_MakePoint(13.3 + n * 0.0001, 52.5), 4326) AS p FROM generate_series(1, 3000) AS n) g`,
      ['A long description of a barrier. '.repeat(90)],
    );
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wegfrei-rate-test-'));
    const app = express();
    app.use((req, _res, next) => {
      req.log = pino({ level: 'silent' });
      next();
    });
    app.use((req, res, next) => {
      const client = req.socket.remotePort!; // gone from the socket once it is destroyed
      res.once('close', () => answeredAt.set(client, Date.now()));
      next();
    });
    app.use(slowClientGuard(RATE));
    app.use(
      exportsRouter({
        pool: t.pool,
        logger: pino({ level: 'silent' }),
        baseUrl: () => 'http://wegfrei.test',
        licence: { id: 'ODbL-1.0', attribution: 'test' },
        spool: { dir },
      }),
    );
    // A server slower than its client: 200 bytes every 200 ms, like a live stream between events.
    app.get('/drip', (_req, res) => {
      res.type('text/plain');
      let n = 0;
      const timer = setInterval(() => {
        if (++n > 30) return void (clearInterval(timer), res.end('end\n'));
        res.write('.'.repeat(199) + '\n');
      }, 200);
      res.once('close', () => clearInterval(timer));
    });
    app.use(problemHandler);
    ({ server, port } = await listen(app));
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await t.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('cuts a reader that trickles (512 bytes every half second) and frees its spool, while a normal reader gets it all', async () => {
    const trickle = await rawGet(port, '/api/v1/exports/reports.geojson');
    const normal = await rawGet(port, '/api/v1/exports/reports.geojson');
    const closed = (socket: net.Socket) => new Promise((resolve) => socket.once('close', resolve));
    const [trickleClosed, normalClosed] = [closed(trickle.socket), closed(normal.socket)];
    let trickled = 0;
    const timer = setInterval(() => {
      trickled += (trickle.socket.read(512) as Buffer | null)?.length ?? 0;
    }, 500);
    const chunks: Buffer[] = [];
    normal.socket.on('data', (c: Buffer) => chunks.push(c)).resume();
    try {
      await until(() => trickle.answeredAfterMs() !== undefined && normal.answeredAfterMs() !== undefined, 30_000);
    } finally {
      clearInterval(timer);
    }
    // Cut once its first burst into the kernel's buffers has left the window: grace, window and the export's making.
    expect(trickle.answeredAfterMs()).toBeLessThan(RATE.graceMs + RATE.windowMs + 5000);
    await normalClosed;
    const body = Buffer.concat(chunks).toString('utf8');
    expect(body).toMatch(/^HTTP\/1\.1 200/);
    expect(body.endsWith('\n]}\n')).toBe(true);
    expect(body.length).toBeGreaterThan(8 * MB);
    // What the kernel still held for the trickling reader when it was cut, it may read; then it ends short.
    trickle.socket.on('data', (c: Buffer) => (trickled += c.length)).resume();
    await trickleClosed;
    expect(trickled).toBeLessThan(body.length - MB);
    // The spool file went with the cut connection (nothing is left in its directory).
    await eventually(async () => (await fs.readdir(dir)).length === 0, 'no spool file left');
  });

  it('does not count the time the server is the slower one (a live stream between events)', async () => {
    // Reads nothing for longer than grace and window together: what the server writes fits in the socket.
    const client = await rawGet(port, '/drip');
    await sleep(RATE.graceMs + RATE.windowMs + 1000);
    expect(client.answeredAfterMs()).toBeUndefined();
    const chunks: Buffer[] = [];
    client.socket.on('data', (c: Buffer) => chunks.push(c)).resume();
    await new Promise((resolve) => client.socket.once('close', resolve));
    expect(Buffer.concat(chunks).toString()).toMatch(/end\n\r\n0\r\n\r\n$/);
  });
});

describe('in the app', () => {
  let t: TestApp;
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    t = await startTestApp({ config: { clientIdleTimeoutS: 1 } });
    ({ server, port } = await listen(t.app));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  it('a report whose photo stops halfway gets 408, stores nothing and holds no upload budget', async () => {
    const before = (await t.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM reports')).rows[0]!.n;
    const form = multipartBody([
      { name: 'category', value: 'steps' },
      { name: 'lat', value: '52.52' },
      { name: 'lon', value: '13.405' },
      {
        name: 'photos',
        file: { filename: 'p.jpg', contentType: 'image/jpeg', bytes: await twoColourJpeg(2000, 1500) },
      },
    ]);
    const client = await rawPost(port, '/api/v1/reports', FORM_TYPE, form.length);
    await client.write(form.subarray(0, Math.floor(form.length / 2)));
    const answer = parseAnswer(await client.closed);
    expect(answer).toMatchObject({ status: 408, type: expect.stringMatching(/^application\/problem\+json/) });
    expect(answer.body?.errors?.map((e) => e.field)).toEqual(['body']);
    await eventually(() => uploadBudget.used === 0, 'the upload bytes given back');
    const after = (await t.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM reports')).rows[0]!.n;
    expect(after).toBe(before);
  });
});

describe('connections per address (createHttpServer)', () => {
  it('closes a peer address’s connections past the cap at once, and takes new ones when some close', async () => {
    const { createHttpServer } = await import('../../server/http/slow-clients');
    const { Socket } = await import('node:net');
    const server = createHttpServer((_req, res) => res.end('ok'), { maxConnectionsPerAddress: 3 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as import('node:net').AddressInfo).port;
    const open = () =>
      new Promise<{ socket: import('node:net').Socket; closedAtOnce: boolean }>((resolve) => {
        const socket = new Socket();
        let settled = false;
        socket.once('close', () => !settled && ((settled = true), resolve({ socket, closedAtOnce: true })));
        socket.connect(port, '127.0.0.1', () =>
          setTimeout(() => !settled && ((settled = true), resolve({ socket, closedAtOnce: false })), 200),
        );
        socket.on('error', () => undefined);
      });
    try {
      const first = [await open(), await open(), await open()];
      expect(first.map((c) => c.closedAtOnce)).toEqual([false, false, false]);
      expect((await open()).closedAtOnce).toBe(true);
      first[0]!.socket.destroy();
      await new Promise((r) => setTimeout(r, 100));
      const again = await open();
      expect(again.closedAtOnce).toBe(false);
      for (const c of [...first, again]) c.socket.destroy();
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
