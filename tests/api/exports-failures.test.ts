// An export never answers 200 with an error for a body (issue 14): a database that is away, or
// a query that fails before the first byte, is a problem (503/500); a failure after the 200
// went out cuts the connection before the chunked body's end, so the client sees an error, not
// a shorter file that looks complete. The database's failures are real (a port nobody listens
// on) or injected where a connection is handed out, as a dropped connection would be.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pg from 'pg';
import pino from 'pino';
import request from 'supertest';
import { exportsRouter } from '../../server/features/exports/exports.routes';
import { problemHandler } from '../../server/http/errors';
import { text } from './support/csv';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(60_000);

const FORMATS = ['reports.geojson', 'reports.geojsonseq', 'reports.csv', 'reports.csv?hxl=1'];
/** Pages of 2 ids: the 12 reports below are six pages, each its own connection. */
const PAGE_IDS = 2;
const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
  for (let i = 0; i < 12; i++) {
    await request(t.app)
      .post('/api/v1/reports')
      .send({ category: 'steps', lat: 47.3 + i * 0.001, lon: 8.5, description: `Report ${i}` })
      .expect(201);
  }
});
afterAll(() => t.close());

/**
 * The test database's pool, except that the `failAt`-th connection handed out fails with
 * `error` after `afterMs` (the connection the export takes for a page: the database gone).
 */
function failingPool(failAt: number, error: Error, afterMs = 0): pg.Pool {
  let handedOut = 0;
  const pool = Object.create(t.pool) as pg.Pool;
  pool.connect = (async () => {
    handedOut++;
    if (handedOut === failAt) {
      await new Promise((resolve) => setTimeout(resolve, afterMs));
      throw error;
    }
    return t.pool.connect();
  }) as pg.Pool['connect'];
  pool.query = t.pool.query.bind(t.pool);
  return pool;
}

function appWith(pool: pg.Pool) {
  const app = express();
  app.use((req, _res, next) => {
    req.log = logger;
    next();
  });
  app.use(
    exportsRouter({
      pool,
      logger,
      baseUrl: () => 'http://wegfrei.test',
      licence: { id: 'ODbL-1.0', attribution: 'test' },
      pageIds: PAGE_IDS,
    }),
  );
  app.use(problemHandler);
  return app;
}

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

describe('before the first byte', () => {
  it.each(FORMATS)('%s: the database away is a 503 problem with Retry-After', async (name) => {
    // A real pool to a port nobody listens on: what an app sees while PostgreSQL restarts.
    const away = new pg.Pool({ host: '127.0.0.1', port: 9, connectionTimeoutMillis: 2000 });
    try {
      const res = await request(appWith(away)).get(`/api/v1/exports/${name}`);
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.headers['content-disposition']).toBeUndefined();
      expect(res.body.type).toBe('urn:wegfrei:problem:unavailable');
    } finally {
      await away.end();
    }
  });

  it.each(FORMATS)('%s: a connection lost at the first page is a 503, not an empty file', async (name) => {
    const res = await request(appWith(failingPool(1, refused()))).get(`/api/v1/exports/${name}`);
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('a query that fails is a 500 problem naming the request, not a 200', async () => {
    const res = await request(appWith(failingPool(1, new Error('the query failed')))).get(
      '/api/v1/exports/reports.csv',
    );
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.type).toBe('urn:wegfrei:problem:internal');
  });

  it('a failure on a later page within the first second is still a problem', async () => {
    const res = await request(appWith(failingPool(3, refused(), 100))).get('/api/v1/exports/reports.geojson');
    expect(res.status).toBe(503);
    expect(res.text).not.toContain('FeatureCollection');
  });

  it('the same app answers 200 when nothing fails', async () => {
    const res = await text(request(appWith(failingPool(0, refused()))).get('/api/v1/exports/reports.csv'));
    expect(res.status).toBe(200);
    expect((res.body as string).split('\r\n')).toHaveLength(12 + 2);
  });
});

describe('after the 200 went out', () => {
  /** A GET read to its end or its failure: the status, the body received, and whether it ended well. */
  async function fetchWhole(app: express.Express, target: string) {
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      return await new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string; ended: boolean }>(
        (resolve, reject) => {
          const req = http.get({ host: '127.0.0.1', port, path: target, agent: false }, (res) => {
            const chunks: Buffer[] = [];
            const settle = (ended: boolean) =>
              resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString(), ended });
            res.on('data', (c: Buffer) => chunks.push(c));
            res.once('end', () => settle(res.complete));
            res.once('error', () => settle(false));
            res.once('close', () => settle(res.complete));
          });
          req.on('error', reject);
        },
      );
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }

  it.each(FORMATS)('%s: a failure midway cuts the connection before the body’s end', async (name) => {
    // The fourth page's connection fails 1.5 s in: past the second an export waits before its
    // status line, so the 200 and the first pages are out.
    const res = await fetchWhole(appWith(failingPool(4, refused(), 1500)), `/api/v1/exports/${name}`);
    expect(res.status).toBe(200);
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.ended).toBe(false);
    // What arrived is the beginning, never a well-formed whole.
    if (name.endsWith('geojson')) expect(res.body.endsWith('\n]}\n')).toBe(false);
    if (name.includes('csv')) expect(res.body.split('\r\n').length).toBeLessThan(12 + 2);
    if (name.endsWith('geojsonseq')) expect(res.body.split('\x1e').length - 1).toBeLessThan(12);
  });

  it('the same export read whole ends well', async () => {
    const res = await fetchWhole(appWith(failingPool(0, refused())), '/api/v1/exports/reports.geojson');
    expect(res.status).toBe(200);
    expect(res.ended).toBe(true);
    expect(JSON.parse(res.body).features).toHaveLength(12);
  });
});
