// A client that reads slowly holds nothing that others need (issue 11): while exports, OGC
// pages and the live replay go out at 512 bytes every half second to as many readers as the
// pool has connections, /healthz and a new report still answer; HEAD runs no query; an
// export's spool file never outlives its request.
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import pg from 'pg';
import pino from 'pino';
import request from 'supertest';
import { REPLAY_MAX_EVENTS } from '../../server/features/live/live.routes';
import { problemHandler } from '../../server/http/errors';
import { exportsRouter } from '../../server/features/exports/exports.routes';
import { loginAs } from './support/staff';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(180_000);

const REPORTS = 3000;
/** Long descriptions: an export is ~10 MB, more than the kernel's socket buffers can swallow. */
const DESCRIPTION = 'A long description of a barrier. '.repeat(90);
/** For a request that must come back; generous, as two cores are shared with other suites. */
const ANSWER_MS = 5000;

let t: TestApp;
let server: http.Server;
let port: number;
const readers: SlowReader[] = [];

beforeAll(async () => {
  t = await startTestApp();
  await t.pool.query(
    `INSERT INTO reports (kind, category, geom, public_geom, severity, description)
     SELECT 'barrier', 'steps', p, p, 2, $1
       FROM (SELECT ST_SetSRID(ST_MakePoint(13.3 + n * 0.0001, 52.5), 4326) AS p FROM generate_series(1, $2) AS n) g`,
    [DESCRIPTION, REPORTS],
  );
  server = http.createServer(t.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterEach(() => {
  for (const r of readers.splice(0)) r.close();
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

interface SlowReader {
  res: http.IncomingMessage;
  /** Bytes of the body read so far. */
  received(): Buffer;
  /** Reads at full speed from now on; resolves once the body so far contains `text`. */
  readUntil(text: string): Promise<string>;
  close(): void;
}

/** A GET that reads 512 bytes of the answer every half second, once its headers are in. */
function slowReader(target: string, headers: Record<string, string> = {}): Promise<SlowReader> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: target, headers, agent: false }, (res) => {
      res.pause();
      const chunks: Buffer[] = [];
      const timer = setInterval(() => {
        const chunk = (res.read(512) ?? (res.readableEnded ? null : undefined)) as Buffer | null | undefined;
        if (chunk) chunks.push(chunk);
      }, 500);
      const reader: SlowReader = {
        res,
        received: () => Buffer.concat(chunks),
        readUntil(text) {
          clearInterval(timer);
          return new Promise((done, fail) => {
            // Only the end is searched: the body is megabytes, and this runs in the server's process.
            let tail = Buffer.concat(chunks).toString('latin1');
            const found = (chunk: string) => {
              tail = tail.slice(-text.length) + chunk;
              return tail.includes(text);
            };
            const onData = (chunk: Buffer) => {
              chunks.push(chunk);
              if (!found(chunk.toString('latin1'))) return;
              res.off('data', onData);
              done(Buffer.concat(chunks).toString('utf8'));
            };
            if (tail.includes(text)) return done(Buffer.concat(chunks).toString('utf8'));
            res.on('data', onData).once('error', fail);
            res.resume(); // paused explicitly: a 'data' listener alone would not
          });
        },
        close() {
          clearInterval(timer);
          req.destroy();
        },
      };
      readers.push(reader);
      resolve(reader);
    });
    req.on('error', reject);
  });
}

/**
 * As many slow readers as a pool has connections: each would have held one before. (On
 * PostgreSQL the public reads have a pool of their own, of the same size in the tests.)
 */
async function slowReaders(target: string, headers: Record<string, string> = {}): Promise<SlowReader[]> {
  return Promise.all(Array.from({ length: t.pool.options.max }, () => slowReader(target, headers)));
}

/** /healthz, a new report and the public reads of other clients answer meanwhile. */
async function othersStillServed(): Promise<void> {
  const health = await request(t.app).get('/healthz').timeout(ANSWER_MS);
  expect(health.status).toBe(200);
  const report = await request(t.app)
    .post('/api/v1/reports')
    .timeout(ANSWER_MS)
    .send({ category: 'steps', lat: 52.52, lon: 13.405, severity: 2 });
  expect(report.status).toBe(201);
  for (const read of ['/ogc/collections/reports/items?limit=1', '/open311/v2/requests.json?page_size=1']) {
    expect((await request(t.app).get(read).timeout(ANSWER_MS)).status).toBe(200);
  }
}

/** Statements sent to the database, by any pool, while `run` runs. */
async function queriesDuring(run: (sofar: () => number) => Promise<unknown>): Promise<number> {
  // Every pool's connections are pg.Clients: counting at their query counts them all.
  const client = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = client.query;
  let n = 0;
  client.query = function (this: unknown, ...args: unknown[]) {
    // The shared rate-limit counts are sent on a timer (server/http/rate-limit-batch.ts) and
    // the public version is re-read after a change: bookkeeping that may fall in any window,
    // never the export's work.
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | undefined)?.text;
    if (text && /rate_limit_hits|public_changes/.test(text)) return original.apply(this, args);
    n++;
    return original.apply(this, args);
  };
  try {
    await run(() => n);
  } finally {
    client.query = original;
  }
  return n;
}

const EXPORTS = [
  'reports.geojson',
  'reports.geojsonseq',
  'reports.csv',
  // The list's since too, and the CSV's CRLF framing on the way through.
  'reports.csv?hxl=1&since=2000-01-01T00:00:00Z',
];

describe('exports', () => {
  it.each(EXPORTS)('%s read slowly by as many clients as the pool has connections', async (name) => {
    const slow = await slowReaders(`/api/v1/exports/${name}`);
    for (const r of slow) {
      expect(r.res.statusCode).toBe(200);
      // Spooled before the first byte: the whole size is known.
      expect(Number(r.res.headers['content-length'])).toBeGreaterThan(REPORTS * DESCRIPTION.length);
    }
    await othersStillServed();
  });

  it('sends the Content-Length the body has', async () => {
    const res = await request(t.app)
      .get('/api/v1/exports/reports.geojsonseq')
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c)).on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    const body = res.body as Buffer;
    expect(Number(res.headers['content-length'])).toBe(body.length);
    expect(body.toString('utf8').split('\x1e').length - 1).toBeGreaterThanOrEqual(REPORTS);
  });

  it.each(EXPORTS)('HEAD %s answers the headers without running the export', async (name) => {
    let res!: request.Response;
    const queries = await queriesDuring(async () => {
      res = await request(t.app).head(`/api/v1/exports/${name}`);
    });
    expect(queries).toBe(0);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^(application\/geo\+json|application\/geo\+json-seq|text\/csv)/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="wegfrei-reports-/);
    expect(res.headers.link).toMatch(/rel="license"/);
    expect(res.headers['x-license']).toBe('ODbL-1.0');
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.text ?? '').toBe('');
  });

  it('HEAD with a bad filter is refused as GET would be, without a query either', async () => {
    for (const bad of ['severity=9', 'since=yesterday', 'nonsense=1']) {
      let res!: request.Response;
      const queries = await queriesDuring(async () => {
        res = await request(t.app).head(`/api/v1/exports/reports.csv?${bad}`);
      });
      expect(queries).toBe(0);
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });
});

describe('the spool of an export', () => {
  let dir: string;
  const logger = pino({ level: 'silent' });
  const appWith = (spool: {
    maxBytes?: number;
    maxTotalBytes?: number;
    minFreeBytes?: number;
    addressShare?: number;
  }) => {
    const app = express();
    app.use(
      exportsRouter({
        pool: t.pool,
        logger,
        baseUrl: () => 'http://wegfrei.test',
        licence: { id: 'ODbL-1.0', attribution: 'test' },
        spool: { dir, ...spool },
      }),
    );
    app.use(problemHandler);
    return app;
  };
  const leftOver = async () => fs.readdir(dir);

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wegfrei-spool-test-'));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('leaves no file behind when the export is sent whole', async () => {
    const res = await request(appWith({})).get('/api/v1/exports/reports.csv');
    expect(res.status).toBe(200);
    expect(res.text.split('\n').length).toBeGreaterThan(REPORTS);
    expect(await leftOver()).toEqual([]);
  });

  it('leaves no file behind while sending, nor when the reader goes away', async () => {
    const app = http.createServer(appWith({}));
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    try {
      const { port: appPort } = app.address() as AddressInfo;
      const gone = await new Promise<number>((resolve, reject) => {
        const req = http.get({ host: '127.0.0.1', port: appPort, path: '/api/v1/exports/reports.geojson' }, (res) => {
          resolve(res.statusCode!);
          req.destroy();
        });
        req.on('error', reject);
      });
      expect(gone).toBe(200);
      expect(await leftOver()).toEqual([]);
      // The next export is not held up by what the last one left.
      expect((await request(app).get('/api/v1/exports/reports.geojsonseq')).status).toBe(200);
    } finally {
      app.closeAllConnections();
      await new Promise((resolve) => app.close(resolve));
    }
  });

  it('refuses an export larger than the spool allows with a 413 problem, and frees the connection', async () => {
    const res = await request(appWith({ maxBytes: 100_000 })).get('/api/v1/exports/reports.geojson');
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.type).toBe('urn:wegfrei:problem:export_too_large');
    expect(res.body.detail).toMatch(/bbox/);
    const german = await request(appWith({ maxBytes: 100_000 }))
      .get('/api/v1/exports/reports.geojson')
      .set('Accept-Language', 'de');
    expect(german.body.title).toBe('Export zu groß');
    expect(german.body.detail).toMatch(/^Dieser Export wäre größer als/);
    expect(await leftOver()).toEqual([]);
    expect((await request(t.app).get('/healthz').timeout(ANSWER_MS)).status).toBe(200);
  });

  it('answers 503 with Retry-After when the exports in flight fill the spool budget', async () => {
    const res = await request(appWith({ maxTotalBytes: 100_000 })).get('/api/v1/exports/reports.csv');
    expect(res.status).toBe(503);
    expect(res.body.type).toBe('urn:wegfrei:problem:export_busy');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(await leftOver()).toEqual([]);
  });

  it('gives each address a share: its second export past the share gets 503, another address’s goes through', async () => {
    // A share of 4 MB, and each export is ~10 MB: an address's first export may still be whole.
    const app = http.createServer(appWith({ maxTotalBytes: 40 * 1024 * 1024, addressShare: 0.1 }));
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    const { port: appPort } = app.address() as AddressInfo;
    /** An export from a loopback address of its own (no proxy: the peer address is the client's). */
    const exportFrom = (from: string, name: string) =>
      new Promise<{ res: http.IncomingMessage; body: () => Promise<string>; close: () => void }>((resolve, reject) => {
        const req = http.get(
          { host: '127.0.0.1', port: appPort, path: `/api/v1/exports/${name}`, localAddress: from, agent: false },
          (res) => {
            res.pause();
            const body = () =>
              new Promise<string>((done) => {
                const chunks: Buffer[] = [];
                res.on('data', (c: Buffer) => chunks.push(c)).once('end', () => done(Buffer.concat(chunks).toString()));
                res.resume();
              });
            resolve({ res, body, close: () => req.destroy() });
          },
        );
        req.on('error', reject);
      });
    try {
      // Unread: it keeps its whole file in the spool.
      const first = await exportFrom('127.0.0.1', 'reports.geojson');
      expect(first.res.statusCode).toBe(200);
      expect(Number(first.res.headers['content-length'])).toBeGreaterThan(8 * 1024 * 1024);
      const second = await exportFrom('127.0.0.1', 'reports.csv');
      expect(second.res.statusCode).toBe(503);
      expect(Number(second.res.headers['retry-after'])).toBeGreaterThan(0);
      const problem = JSON.parse(await second.body()) as { type: string; detail: string };
      expect(problem.type).toBe('urn:wegfrei:problem:export_busy');
      expect(problem.detail).toMatch(/this network address/);
      const elsewhere = await exportFrom('127.0.0.2', 'reports.csv');
      expect(elsewhere.res.statusCode).toBe(200);
      expect((await elsewhere.body()).split('\n').length).toBeGreaterThan(REPORTS);
      // Once the first is read, the address has its share again.
      expect((await first.body()).endsWith('\n]}\n')).toBe(true);
      const again = await exportFrom('127.0.0.1', 'reports.csv');
      expect(again.res.statusCode).toBe(200);
      await again.body();
      expect(await leftOver()).toEqual([]);
    } finally {
      app.closeAllConnections();
      await new Promise((resolve) => app.close(resolve));
    }
  });

  it('answers 503 when the disk is nearly full', async () => {
    const res = await request(appWith({ minFreeBytes: Number.MAX_SAFE_INTEGER })).get('/api/v1/exports/reports.csv');
    expect(res.status).toBe(503);
    expect(res.body.type).toBe('urn:wegfrei:problem:export_busy');
  });
});

describe('OGC pages', () => {
  it('a page read slowly by as many clients as the pool has connections', async () => {
    const slow = await slowReaders('/ogc/collections/reports/items?limit=1000');
    for (const r of slow) expect(r.res.statusCode).toBe(200);
    await othersStillServed();
  });

  it('serves a page above the server maximum as 1000 (clamped, as OGC API asks), and no deeper offset than 100,000', async () => {
    const res = await request(t.app).get('/ogc/collections/reports/items?limit=1000000');
    expect(res.status).toBe(200);
    expect(res.body.numberReturned).toBeLessThanOrEqual(1000);
    const self = new URL(res.body.links.find((l: { rel: string }) => l.rel === 'self').href);
    expect(self.searchParams.get('limit')).toBe('1000');
    const deep = await request(t.app).get('/ogc/collections/reports/items?offset=100001');
    expect(deep.status).toBe(400);
    expect(deep.body.errors).toEqual([
      { field: 'offset', detail: 'must be a whole number from 0 to 100000; page further with the next links' },
    ]);
  });

  it('HEAD on items runs no query', async () => {
    let res!: request.Response;
    const queries = await queriesDuring(async () => {
      res = await request(t.app).head('/ogc/collections/barriers/items?limit=1000');
    });
    expect(queries).toBe(0);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
    expect((await request(t.app).head('/ogc/collections/nothing/items')).status).toBe(404);
    expect((await request(t.app).head('/ogc/collections/barriers/items?limit=0')).status).toBe(400);
  });
});

describe('Open311 request lists', () => {
  it('refuses a page deeper than 10000 requests, naming page', async () => {
    expect((await request(t.app).get('/open311/v2/requests.json?page=200')).status).toBe(200);
    const res = await request(t.app).get('/open311/v2/requests.json?page=201');
    expect(res.status).toBe(400);
    expect(res.body[0].description).toMatch(/^page: /);
    const deep = await request(t.app).get('/open311/v2/requests.json?page=11&page_size=1000');
    expect(deep.status).toBe(400);
    expect((await request(t.app).get('/open311/v2/requests.json?page=10&page_size=1000')).status).toBe(200);
  });

  it('HEAD runs no query', async () => {
    await request(t.app).get('/open311/v2/services.json').expect(200); // the taxonomy, read once per process
    let res!: request.Response;
    const queries = await queriesDuring(async () => {
      res = await request(t.app).head('/open311/v2/requests.xml?service_code=steps&page_size=1000');
    });
    expect(queries).toBe(0);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/xml/);
    expect((await request(t.app).head('/open311/v2/requests.json?page=0')).status).toBe(400);
  });

  it('a full page read slowly by as many clients as the pool has connections', async () => {
    const slow = await slowReaders('/open311/v2/requests.json?page_size=1000');
    for (const r of slow) expect(r.res.statusCode).toBe(200);
    await othersStillServed();
  });
});

describe('the live replay', () => {
  const BATCH = 200;

  it('replays at most the last REPLAY_MAX_EVENTS to a slow reader, in order, and says it left some out', async () => {
    const staff = await loginAs(t, 'coordinator');
    // Two events per report: ~20 MB of staff features to replay.
    await t.pool.query(
      `INSERT INTO report_events (type, report_id) SELECT 'report.updated', id FROM reports, generate_series(1, 2)`,
    );
    const { rows } = await t.pool.query<{ n: number; last: number }>(
      'SELECT count(*)::int AS n, max(id)::int AS last FROM report_events',
    );
    const { n: events, last } = rows[0]!;
    let reader!: SlowReader;
    const queries = await queriesDuring(async (sofar) => {
      reader = await slowReader('/api/v1/events', { Cookie: staff.cookie, 'Last-Event-ID': '0' });
      expect(reader.res.statusCode).toBe(200);
      // Until the replay stops asking for more: the socket's buffers are full.
      let seen = -1;
      while (sofar() !== seen) {
        seen = sofar();
        await new Promise((resolve) => setTimeout(resolve, 1500));
      }
    });
    // The replay is bounded (about 3 MB of staff features): a few batches, never all events.
    expect(events).toBeGreaterThan(REPLAY_MAX_EVENTS);
    expect(queries).toBeLessThanOrEqual(Math.ceil(REPLAY_MAX_EVENTS / BATCH) + 3);
    await othersStillServed();
    const body = await reader.readUntil(`id: ${last}\n`);
    expect(body).toContain('event: replay.truncated');
    const ids = [...body.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids.slice(0, REPLAY_MAX_EVENTS)).toEqual(
      Array.from({ length: REPLAY_MAX_EVENTS }, (_, i) => last - REPLAY_MAX_EVENTS + 1 + i),
    );
  });
});

describe('releases', () => {
  let id: string;
  beforeAll(async () => {
    const admin = await loginAs(t, 'admin');
    const started = await admin.agent.post('/api/v1/releases').set('X-CSRF-Token', admin.csrf);
    expect(started.status).toBe(202);
    id = started.body.id as string;
    // Built page by page: others are served while it is being made.
    await othersStillServed();
    for (let i = 0; (await request(t.app).get('/releases/')).body.building; i++) {
      if (i > 1200) throw new Error('the release took too long');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  it.each(['reports.geojson', 'reports.csv', 'reports.fgb', 'reports.parquet'])(
    '%s read slowly by as many clients as the pool has connections, from disk',
    async (name) => {
      let slow: SlowReader[] = [];
      const queries = await queriesDuring(async () => {
        slow = await slowReaders(`/releases/${id}/${name}`);
      });
      // A release file is a file: reading it asks the database nothing.
      expect(queries).toBe(0);
      for (const r of slow) {
        expect(r.res.statusCode).toBe(200);
        expect(Number(r.res.headers['content-length'])).toBeGreaterThan(0);
      }
      await othersStillServed();
    },
  );
});
