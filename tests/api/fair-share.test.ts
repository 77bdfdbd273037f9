// Each address's fair share of the event loop (server/http/fair-share.ts): past its burst an
// address's requests wait their turn at its rate, past the longest wait they are refused with
// a late 429, and past that its connections are closed; another address is served meanwhile.
// Requests go over real sockets from loopback addresses of their own (Linux answers on all of
// 127/8), as the server would see different people. Times are only checked from below: an
// answer cannot come before its turn however fast or slow the machine is.
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import { SHUT_OUT_MS } from '../../server/http/connections';
import { problemHandler } from '../../server/http/errors';
import { fairShare, type FairShareOptions } from '../../server/http/fair-share';
import { createHttpServer } from '../../server/http/slow-clients';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(60_000);

interface Answer {
  status: number;
  at: number;
  type?: string;
  retryAfter?: string;
  body: string;
}

function get(port: number, path: string, from: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path, localAddress: from, agent: false, headers });
    req.on('error', () => resolve({ status: 0, at: performance.now(), body: '' }));
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          at: performance.now(),
          type: res.headers['content-type'],
          retryAfter: res.headers['retry-after'],
          body,
        }),
      );
    });
    req.end();
  });
}

async function listen(
  opts: Omit<FairShareOptions, 'logger'>,
  guarded = false,
): Promise<{ port: number; close(): Promise<void> }> {
  const app = express();
  app.use(fairShare({ ...opts, logger: pino({ level: 'silent' }) }));
  app.get('/ok', (_req, res) => void res.json({ ok: true }));
  app.use(problemHandler);
  // As server/main.ts makes it where clients connect directly: connections counted per address.
  const server = guarded ? createHttpServer(app, { maxConnectionsPerAddress: 50 }) : http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('one address past its burst', () => {
  // Two a second after a burst of two: the third waits 500 ms, the fourth 1 s, the fifth 1.5 s,
  // the sixth would wait 2 s, past the longest wait (so connections made a little apart on a
  // busy machine still land on the same side). Each test is an address of its own.
  const limits = { ratePerS: 2, burst: 2, maxWaitMs: 1750, tarpitMs: 300, maxHeld: 3 };
  let s: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => (s = await listen(limits)));
  afterAll(() => s.close());

  it('waits its turn at the rate instead of being refused, in the order it came', async () => {
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: 5 }, () => get(s.port, '/ok', '127.0.3.1')));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    const late = answers.map((a) => a.at - started).sort((a, b) => a - b);
    // The burst's two at once; then one every 500 ms: the fifth no sooner than 1.5 s.
    expect(late[2]).toBeGreaterThanOrEqual(495);
    expect(late[4]).toBeGreaterThanOrEqual(1495);
  });

  it('is refused with a late 429 problem naming when to come back once the wait would be too long', async () => {
    const started = performance.now();
    // 2 at once, 3 waiting, the rest would wait 2 s or more: refused.
    const answers = await Promise.all(Array.from({ length: 8 }, () => get(s.port, '/ok', '127.0.3.2')));
    const refused = answers.filter((a) => a.status === 429);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(5);
    expect(refused).toHaveLength(3);
    for (const a of refused) {
      expect(a.type).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(a.body)).toMatchObject({ status: 429, type: 'urn:wegfrei:problem:rate_limited' });
      expect(JSON.parse(a.body).detail).toMatch(/2 requests a second/);
      expect(Number(a.retryAfter)).toBeGreaterThanOrEqual(1);
      // Sent only after the tarpit: a refusal at once would invite the next request at once.
      expect(a.at - started).toBeGreaterThanOrEqual(295);
    }
  });

  it('has its connections closed once more refusals pile up than it may hold, and recovers', async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, () => get(s.port, '/ok', '127.0.3.3')));
    const count = (status: number) => answers.filter((a) => a.status === status).length;
    // 2 + 3 served, 3 refusals held (maxHeld), the other 4 closed without an answer.
    expect({ ok: count(200), refused: count(429), closed: count(0) }).toEqual({ ok: 5, refused: 3, closed: 4 });
    // Its turn has come again once the queue it made has passed.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect((await get(s.port, '/ok', '127.0.3.3')).status).toBe(200);
  });

  it('does not make another address wait', async () => {
    const flood = Promise.all(Array.from({ length: 6 }, () => get(s.port, '/ok', '127.0.3.4')));
    const other = await get(s.port, '/ok', '127.0.3.5');
    expect(other.status).toBe(200);
    const answers = await flood;
    // The flood's last waited its turn (1.5 s); the other address came before it.
    expect(Math.max(...answers.map((a) => a.at))).toBeGreaterThan(other.at);
  });
});

describe('a client that pipelines', () => {
  let s: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => (s = await listen({ ratePerS: 100, burst: 200 }, true)));
  afterAll(() => s.close());

  /** A raw connection from `from`; resolves what it read once the server closed it (or after `ms`). */
  function connection(from: string, ms = 3000) {
    const socket = net.connect({ port: s.port, host: '127.0.0.1', localAddress: from });
    socket.on('error', () => undefined);
    let read = '';
    socket.on('data', (c: Buffer) => (read += c.toString('latin1')));
    const ended = new Promise<{ closed: boolean; answers: number }>((resolve) => {
      const timer = setTimeout(() => {
        socket.destroy();
        resolve({ closed: false, answers: (read.match(/HTTP\/1\.1 /g) ?? []).length });
      }, ms);
      socket.on('close', () => {
        clearTimeout(timer);
        resolve({ closed: true, answers: (read.match(/HTTP\/1\.1 /g) ?? []).length });
      });
    });
    const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    return { socket, ended, connected };
  }

  it('is shut out: all its connections closed, new ones refused, and other addresses served', async () => {
    const idle = connection('127.0.3.8');
    await idle.connected;
    const pipe = connection('127.0.3.8');
    await pipe.connected;
    // 500 requests written at once: no browser pipelines, and each costs the loop to parse.
    pipe.socket.write(`GET /ok HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`.repeat(500));
    const piped = await pipe.ended;
    expect(piped.closed).toBe(true);
    expect(piped.answers).toBeLessThanOrEqual(16);
    // The same address's other connection is closed with it…
    expect((await idle.ended).closed).toBe(true);
    // …a new one is closed at once, without an answer…
    const again = connection('127.0.3.8');
    again.socket.write(`GET /ok HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    expect(await again.ended).toEqual({ closed: true, answers: 0 });
    // …and someone else is served as before.
    expect((await get(s.port, '/ok', '127.0.3.9')).status).toBe(200);
  });

  it('is served again once the shut-out has passed', async () => {
    await new Promise((resolve) => setTimeout(resolve, SHUT_OUT_MS));
    expect((await get(s.port, '/ok', '127.0.3.8')).status).toBe(200);
  });
});

describe('in the app', () => {
  let t: TestApp;
  let port: number;
  let server: http.Server;
  beforeAll(async () => {
    t = await startTestApp({ config: { requestRateLimit: 2, requestBurst: 1 } });
    server = createHttpServer(t.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  it('paces every route of an address, and X-Forwarded-For does not make it someone else', async () => {
    const started = performance.now();
    const answers = await Promise.all([
      get(port, '/api/v1/config', '127.0.3.6', { 'X-Forwarded-For': '198.18.0.1' }),
      get(port, '/api/v1/categories', '127.0.3.6', { 'X-Forwarded-For': '198.18.0.2' }),
      get(port, '/no-such-page', '127.0.3.6', { 'X-Forwarded-For': '198.18.0.3' }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 404]);
    // Two a second after a burst of one: the third no sooner than a second after the first.
    const late = answers.map((a) => a.at - started).sort((a, b) => a - b);
    expect(late[2]).toBeGreaterThanOrEqual(995);
  });

  /** Writes `head` (and `body`) on a connection from `from`; resolves what came back once the server closed it. */
  function raw(from: string, head: string, body = ''): Promise<{ text: string; closed: boolean }> {
    return new Promise((resolve) => {
      const socket = net.connect({ port, host: '127.0.0.1', localAddress: from });
      let text = '';
      const timer = setTimeout(() => {
        socket.destroy();
        resolve({ text, closed: false });
      }, 5000);
      socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
      socket.on('error', () => undefined);
      socket.on('close', () => {
        clearTimeout(timer);
        resolve({ text, closed: true });
      });
      socket.on('connect', () => socket.write(head + body));
    });
  }

  it('takes a body only with its length said, and none larger than the largest report', async () => {
    // One-byte chunks, on a route that reads no body: refused at once, the connection closed.
    const chunked = await raw(
      '127.0.3.10',
      `POST /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n`,
      '1\r\na\r\n'.repeat(1000),
    );
    expect(chunked.closed).toBe(true);
    expect(chunked.text).toMatch(/^HTTP\/1\.1 411 /);
    expect(chunked.text).toMatch(/application\/problem\+json/);
    expect(chunked.text).toContain('"field":"Content-Length"');
    const huge = await raw(
      '127.0.3.11',
      `POST /api/v1/reports HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000000000000\r\n\r\n`,
      '{"category":',
    );
    expect(huge.closed).toBe(true);
    expect(huge.text).toMatch(/^HTTP\/1\.1 413 /);
    expect(huge.text).toContain('"field":"body"');
  });

  it('answers an Expect it does not know through the app, where the limits count it', async () => {
    const answer = await raw(
      '127.0.3.12',
      `GET /api/v1/config HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: something-else\r\nConnection: close\r\n\r\n`,
    );
    // Node alone would answer 417 without asking the app, so without the limits.
    expect(answer.text).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer.text).toMatch(/X-Request-Id:/i);
  });
});
