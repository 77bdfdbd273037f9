import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(120_000);
const run = promisify(execFile);

let t: TestApp;
const N = 37;
const SECRET = 'never-public-contact@example.org';

beforeAll(async () => {
  t = await startTestApp();
  for (let i = 0; i < N; i++) {
    await request(t.app)
      .post('/api/v1/reports')
      .send({
        category: i % 4 === 0 ? 'help_shelter' : 'kerb_missing',
        lat: 50.1 + i * 0.001,
        lon: 8.6 + i * 0.001,
        severity: (i % 3) + 1,
        description: `Report ${i}`,
        contact: SECRET,
      })
      .expect(201);
  }
});
afterAll(() => t.close());

interface Collection {
  features: { id: number; properties: Record<string, unknown>; geometry: { coordinates: number[] } }[];
  links: { rel: string; href: string; type: string }[];
  numberReturned: number;
}
const relative = (href: string) => {
  const u = new URL(href);
  return u.pathname + u.search;
};

describe('OGC API – Features', () => {
  it('has a landing page, conformance and collections', async () => {
    const landing = await request(t.app).get('/ogc');
    expect(landing.status).toBe(200);
    const rels = landing.body.links.map((l: { rel: string }) => l.rel);
    expect(rels).toEqual(expect.arrayContaining(['self', 'service-desc', 'service-doc', 'conformance', 'data']));
    const conformance = await request(t.app).get('/ogc/conformance');
    expect(conformance.body.conformsTo).toEqual(
      expect.arrayContaining([
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
      ]),
    );
    const collections = await request(t.app).get('/ogc/collections');
    expect(collections.body.collections.map((c: { id: string }) => c.id)).toEqual(['reports', 'barriers', 'help']);
    const reports = await request(t.app).get('/ogc/collections/reports');
    expect(reports.body.extent.spatial.bbox[0]).toHaveLength(4);
    expect(reports.body.links.map((l: { rel: string }) => l.rel)).toContain('items');
    expect((await request(t.app).get('/ogc/collections/trees')).status).toBe(404);
    const queryables = await request(t.app).get('/ogc/collections/barriers/queryables');
    expect(queryables.headers['content-type']).toMatch(/application\/schema\+json/);
    expect(queryables.body.properties.category.enum).toContain('kerb_missing');
    expect(queryables.body.properties.category.enum).not.toContain('help_shelter');
  });

  it('pages through every feature exactly once while new reports arrive', async () => {
    const seen: number[] = [];
    let url: string | undefined = '/ogc/collections/reports/items?limit=10';
    let pages = 0;
    while (url) {
      const res = await request(t.app).get(url);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
      const body = res.body as Collection;
      expect(body.numberReturned).toBe(body.features.length);
      expect(body).not.toHaveProperty('numberMatched');
      seen.push(...body.features.map((f) => f.id));
      if (pages++ === 1) {
        await request(t.app).post('/api/v1/reports').send({ category: 'lift', lat: 50.2, lon: 8.7 }).expect(201);
      }
      const next = body.links.find((l) => l.rel === 'next');
      url = next ? relative(next.href) : undefined;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(N + 1);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it('filters by bbox, datetime, properties and collection', async () => {
    const ids = async (q: string) =>
      ((await request(t.app).get(`/ogc/collections/${q}`)).body as Collection).features.map((f) => f.id);
    expect(await ids('help/items?limit=100')).toHaveLength(10);
    expect((await ids('barriers/items?limit=100&kind=help')).length).toBe(0);
    expect(await ids('reports/items?limit=100&severity=3&category=kerb_missing')).toHaveLength(
      Array.from({ length: N }, (_, i) => i).filter((i) => i % 4 !== 0 && i % 3 === 2).length,
    );
    // Reports 0–4 lie in this bbox, but report 0 is a help request, shown at its coarse cell.
    expect(await ids('reports/items?bbox=8.5995,50.0995,8.6045,50.1045')).toHaveLength(4);
    expect(
      await ids(`reports/items?datetime=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}/..`),
    ).toHaveLength(0);
  });

  it('answers unknown parameters and bad values with 400', async () => {
    for (const q of ['foo=1', 'limit=0', 'limit=10001', 'bbox=1,2,3', 'datetime=now', 'cursor=abc']) {
      const res = await request(t.app).get(`/ogc/collections/reports/items?${q}`);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
  });

  it('serves one feature, and a help request only at its coarse cell', async () => {
    const list = (await request(t.app).get('/ogc/collections/help/items?limit=1')).body as Collection;
    const help = list.features[0]!;
    const one = await request(t.app).get(`/ogc/collections/help/items/${help.id}`);
    expect(one.status).toBe(200);
    expect(one.body.geometry).toEqual(help.geometry);
    expect(one.body.properties.address).toBeNull();
    expect(JSON.stringify(one.body)).not.toContain(SECRET);
    const { rows } = await t.pool.query('SELECT ST_X(geom) AS lon FROM reports WHERE id = $1', [help.id]);
    expect(help.geometry.coordinates[0]).not.toBe(rows[0].lon);
    expect((await request(t.app).get(`/ogc/collections/barriers/items/${help.id}`)).status).toBe(404);
  });
});

// GDAL's OGC API driver (Debian gdal-bin) is what QGIS and scripts use; CI installs it.
const gdal = fs.existsSync('/usr/bin/ogr2ogr') ? describe : describe.skip;
gdal('GDAL/OGR reads it', () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = http.createServer(t.app).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ogc`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('ogrinfo lists the collections and counts the features', async () => {
    const { stdout } = await run('ogrinfo', ['-ro', '-so', `OAPIF:${base}`, 'reports'], {
      env: { ...process.env, GDAL_HTTP_TIMEOUT: '30' },
    });
    expect(stdout).toMatch(/Feature Count: \d+/);
    expect(stdout).toContain('category');
  });

  it('ogr2ogr copies the collection to a GeoPackage with every feature and attribute', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wegfrei-gpkg-'));
    const gpkg = path.join(dir, 'reports.gpkg');
    try {
      await run('ogr2ogr', ['-f', 'GPKG', gpkg, `OAPIF:${base}`, 'reports'], {
        env: { ...process.env, GDAL_HTTP_TIMEOUT: '30' },
      });
      const { rows } = await t.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM reports WHERE status <> 'rejected' AND NOT hidden`,
      );
      const { stdout } = await run('ogrinfo', ['-ro', '-al', gpkg]);
      expect(stdout).toContain(`Feature Count: ${rows[0]!.n}`);
      for (const field of ['category', 'kind', 'status', 'severity', 'description', 'created_at', 'url']) {
        expect(stdout).toMatch(new RegExp(`^${field}: `, 'm'));
      }
      expect(stdout).toContain('kerb_missing');
      expect(stdout).not.toContain(SECRET);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
