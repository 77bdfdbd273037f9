import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { loginAs } from './support/staff';
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
  numberMatched: number;
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
      // Counted once a minute per filter: the report added on page 2 is not in it yet.
      expect(body.numberMatched).toBe(N);
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
    for (const [q, field] of [
      ['foo=1', 'foo'],
      ['limit=0', 'limit'],
      ['limit=1.5', 'limit'],
      ['offset=-1', 'offset'],
      ['offset=100001', 'offset'],
      ['bbox=1,2,3', 'bbox'],
      ['bbox=1,2,x,3,4,5', 'bbox'],
      ['datetime=now', 'datetime'],
      ['cursor=abc', 'cursor'],
      ['filter-lang=cql2-json', 'filter-lang'],
      [`filter=${encodeURIComponent("nope = 'x'")}`, 'filter'],
      [`filter=${encodeURIComponent('severity = ')}`, 'filter'],
      [`filter=${encodeURIComponent("severity = 'high'")}`, 'filter'],
      [`filter=${encodeURIComponent('('.repeat(5000))}`, 'filter'],
    ]) {
      const res = await request(t.app).get(`/ogc/collections/reports/items?${q}`);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });

  it('clamps limit to the maximum and links the next page', async () => {
    const res = await request(t.app).get('/ogc/collections/reports/items?limit=20000');
    expect(res.status).toBe(200);
    const body = res.body as Collection;
    expect(body.numberReturned).toBe(N + 1);
    const self = new URL(body.links.find((l) => l.rel === 'self')!.href);
    expect(self.searchParams.get('limit')).toBe('1000');
    const small = (await request(t.app).get('/ogc/collections/reports/items?limit=5')).body as Collection;
    const next = new URL(small.links.find((l) => l.rel === 'next')!.href);
    expect(next.searchParams.get('limit')).toBe('5');
    expect(next.searchParams.get('cursor')).toBe(String(small.features[4]!.id));
  });

  it('pages by offset as ogc-client and OWSLib do, with prev links', async () => {
    // A filter of its own: counts are kept a minute per filter, and an earlier test added a report.
    const items = '/ogc/collections/reports/items?severity=1,2,3';
    const all = ((await request(t.app).get(`${items}&limit=1000`)).body as Collection).features;
    const seen: number[] = [];
    for (let offset = 0; offset < all.length; offset += 8) {
      const page = (await request(t.app).get(`${items}&limit=8&offset=${offset}`)).body as Collection;
      expect(page.numberMatched).toBe(all.length);
      if (offset) expect(page.links.map((l) => l.rel)).toContain('prev');
      seen.push(...page.features.map((f) => f.id));
    }
    expect(seen).toEqual(all.map((f) => f.id));
    const past = (await request(t.app).get('/ogc/collections/reports/items?offset=5000')).body as Collection;
    expect(past.features).toEqual([]);
    expect(past.links.map((l) => l.rel)).not.toContain('next');
  });

  it('takes a six-number bbox (heights bound nothing) and counts what a filter matches', async () => {
    const four = (await request(t.app).get('/ogc/collections/reports/items?bbox=8.5995,50.0995,8.6045,50.1045'))
      .body as Collection;
    const six = (await request(t.app).get('/ogc/collections/reports/items?bbox=8.5995,50.0995,-100,8.6045,50.1045,100'))
      .body as Collection;
    expect(six.features.map((f) => f.id)).toEqual(four.features.map((f) => f.id));
    expect(six.numberMatched).toBe(4);
  });

  it('filters with CQL2 text on every queryable, dates included', async () => {
    const ids = async (filter: string, collection = 'reports') => {
      const res = await request(t.app).get(
        `/ogc/collections/${collection}/items?limit=1000&filter=${encodeURIComponent(filter)}`,
      );
      expect(res.status).toBe(200);
      return (res.body as Collection).features.map((f) => f.id);
    };
    const all = await ids('true');
    expect(all.length).toBeGreaterThanOrEqual(N);
    const severe = await ids("severity = 3 AND category = 'kerb_missing'");
    expect(severe).toHaveLength(
      Array.from({ length: N }, (_, i) => i).filter((i) => i % 4 !== 0 && i % 3 === 2).length,
    );
    // Reports 1 and 10–19, less the help requests among them (12, 16), whose words wait for review.
    expect(await ids("description LIKE 'Report 1%'")).toHaveLength(9);
    expect(await ids("category IN ('help_shelter')", 'barriers')).toEqual([]);
    expect(await ids(`updated_at > TIMESTAMP('${new Date(Date.now() + 3_600_000).toISOString()}')`)).toEqual([]);
    expect(await ids(`T_AFTER(created_at, TIMESTAMP('2020-01-01T00:00:00Z'))`)).toEqual(all);
    // Reports 0–4 lie in this polygon; report 0 is a help request, shown at its coarse cell.
    expect(
      await ids(
        'S_INTERSECTS(geometry, POLYGON((8.5995 50.0995, 8.6045 50.0995, 8.6045 50.1045, 8.5995 50.1045, 8.5995 50.0995)))',
      ),
    ).toHaveLength(4);
    // A value that looks like SQL is a value.
    expect(await ids("description = 'x'' OR 1=1 --'")).toEqual([]);
  });

  it('describes its features: queryables, a Part 5 schema and a feature schema, all typed', async () => {
    const q = (await request(t.app).get('/ogc/collections/reports/queryables')).body;
    expect(q.properties.severity.type).toBe('integer');
    expect(q.properties.people_count.type).toEqual(['integer', 'null']);
    expect(q.properties.updated_at).toMatchObject({ type: 'string', format: 'date-time' });
    expect(q.properties.geometry['x-ogc-role']).toBe('primary-geometry');
    const schema = await request(t.app).get('/ogc/collections/reports/schema');
    expect(schema.headers['content-type']).toMatch(/application\/schema\+json/);
    expect(schema.body.properties.created_at['x-ogc-role']).toBe('primary-instant');
    expect(schema.body.properties.duplicate_of.type).toEqual(['integer', 'null']);
    const feature = (await request(t.app).get('/ogc/collections/reports/feature-schema')).body;
    expect(feature.properties.properties.properties.duplicate_of).toMatchObject({ type: 'integer', nullable: true });
    const links = (await request(t.app).get('/ogc/collections/reports')).body.links.map((l: { rel: string }) => l.rel);
    expect(links).toEqual(
      expect.arrayContaining([
        'describedBy',
        'http://www.opengis.net/def/rel/ogc/1.0/schema',
        'http://www.opengis.net/def/rel/ogc/1.0/queryables',
      ]),
    );
  });

  it('links the latest release from each collection (rel=enclosure), once there is one', async () => {
    const before = (await request(t.app).get('/ogc/collections/reports')).body.links as { rel: string }[];
    expect(before.filter((l) => l.rel === 'enclosure')).toEqual([]);
    const admin = await loginAs(t, 'admin');
    const started = await admin.agent.post('/api/v1/releases').set('X-CSRF-Token', admin.csrf).expect(202);
    const id = started.body.id as string;
    let release: { id: string; files: { name: string }[] } | undefined;
    for (let i = 0; i < 600 && !release; i++) {
      const list = (await request(t.app).get('/releases/').expect(200)).body;
      release = list.releases.find((r: { id: string }) => r.id === id);
      if (!release) await new Promise((r) => setTimeout(r, 100));
    }
    const links = (await request(t.app).get('/ogc/collections/help')).body.links as {
      rel: string;
      href: string;
      type: string;
      length: number;
    }[];
    const enclosures = links.filter((l) => l.rel === 'enclosure');
    expect(enclosures.map((l) => new URL(l.href).pathname).sort()).toEqual(
      release!.files.map((f) => `/releases/${release!.id}/${f.name}`).sort(),
    );
    for (const l of enclosures) {
      const file = await request(t.app).head(new URL(l.href).pathname);
      expect(file.status).toBe(200);
      expect(Number(file.headers['content-length'])).toBe(l.length);
    }
  });

  it('has flat, typed properties that GeoPackage and Shapefile take', async () => {
    const page = (await request(t.app).get('/ogc/collections/reports/items?limit=5')).body as Collection;
    for (const f of page.features) {
      for (const v of Object.values(f.properties)) expect(v === null || typeof v !== 'object').toBe(true);
      expect(f.properties).toMatchObject({ still_there: 0, gone: 0, photo_count: 0, photo_urls: null });
    }
  });

  it('gives GDAL an API definition whose paths are relative to the landing page', async () => {
    const landing = (await request(t.app).get('/ogc')).body;
    const desc = new URL(landing.links.find((l: { rel: string }) => l.rel === 'service-desc').href);
    const doc = (await request(t.app).get(desc.pathname).set('Accept', 'application/vnd.oai.openapi+json')).body;
    expect(doc.servers[0].url).toMatch(/\/ogc$/);
    const items = doc.paths['/collections/{collectionId}/items'].get.parameters.map(
      (p: { $ref: string }) => doc.components.parameters[p.$ref.split('/').pop()!].name,
    );
    expect(items).toEqual(expect.arrayContaining(['filter', 'filter-lang', 'offset', 'limit', 'bbox', 'category']));
    const lang = doc.components.parameters.ogcFilterLang.schema.enum;
    expect(lang).toEqual(expect.arrayContaining(['cql2-text', 'cql-text']));
    expect(Object.keys(doc.paths).every((p) => !p.startsWith('/ogc'))).toBe(true);
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
