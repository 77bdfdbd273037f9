// The API description is kept true: it is a valid OpenAPI 3.0 document, it names every route
// of the app, and real answers of every public endpoint — good and bad input — match it.
import crypto from 'node:crypto';
import request from 'supertest';
import { openApiDocument } from '../../server/features/openapi/openapi.document';
import { CSV_COLUMNS } from '../../server/features/openapi/openapi.schemas-open-data';
import { twoColourJpeg } from '../fixtures/images';
import { openApiChecker, validateDocument, type OpenApiChecker } from './support/openapi-check';
import { loginAs } from './support/staff';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(120_000);

let t: TestApp;
let api: OpenApiChecker;
const doc = JSON.parse(JSON.stringify(openApiDocument('http://127.0.0.1'))) as ReturnType<typeof openApiDocument>;
const ids = { barrier: 0, help: 0, photo: 0, duplicate: 0 };
let photoPath = '';

beforeAll(async () => {
  t = await startTestApp();
  api = openApiChecker(doc);
  const post = (body: object) => request(t.app).post('/api/v1/reports').send(body);
  ids.barrier = (await post({ category: 'steps', lat: 52.52, lon: 13.405, severity: 3, passability: 'no' })).body.id;
  ids.help = (await post({ category: 'help_medical', lat: 52.521, lon: 13.41, people_count: 2, address: 'x' })).body.id;
  const withPhoto = await request(t.app)
    .post('/api/v1/reports')
    .field('category', 'kerb_missing')
    .field('lat', '52.519')
    .field('lon', '13.404')
    .attach('photos', await twoColourJpeg(), 'kerb.jpg');
  ids.photo = withPhoto.body.id;
  photoPath = new URL(withPhoto.body.properties.photos[0].url).pathname;
  ids.duplicate = (await post({ category: 'steps', lat: 52.5201, lon: 13.4051 })).body.id;
  await t.pool.query(`UPDATE reports SET status = 'duplicate', duplicate_of = $2 WHERE id = $1`, [
    ids.duplicate,
    ids.barrier,
  ]);
});
afterAll(() => t.close());

const get = (path: string) => request(t.app).get(path);
const binary = (path: string) =>
  get(path)
    .buffer(true)
    .parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });

describe('the document', () => {
  it('is a valid OpenAPI 3.0 document', () => {
    expect(doc.openapi).toMatch(/^3\.0\.\d+$/);
    expect(validateDocument(doc)).toEqual({ valid: true });
  });

  it('is served at /api/openapi.json with the OpenAPI media type and this server as `servers`', async () => {
    const res = await get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/vnd\.oai\.openapi\+json;\s*version=3\.0/);
    const served = JSON.parse(res.text);
    expect(served.servers[0].url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect({ ...served, servers: doc.servers }).toEqual(doc);
  });

  it('is served as application/json to a client that asks only for JSON', async () => {
    const res = await get('/api/openapi.json').set('Accept', 'application/json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.openapi).toBe(doc.openapi);
  });

  it('is readable at /api/docs: self-contained HTML with every operation', async () => {
    const res = api.check(await get('/api/docs'));
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toMatch(/^<!doctype html>\s*<html lang="en">/);
    // Self-contained: no script, no external style sheet, font or image.
    expect(res.text).not.toMatch(/<script|\ssrc=|<link[^>]+href="(?!data:)/i);
    for (const [path, item] of Object.entries(doc.paths)) {
      expect(res.text).toContain(`<code>${path.replace(/&/g, '&#38;')}</code>`);
      for (const op of Object.values(item!))
        expect(res.text).toContain(`id="op-${(op as { operationId: string }).operationId}"`);
    }
    expect(res.text).toContain('id="schema-ReportProperties"');
  });

  it('names every API route of the app', () => {
    type Layer = {
      route?: { path: string | string[]; methods: object };
      rawPath?: string;
      handle?: { stack?: Layer[] };
    };
    const routes: string[] = [];
    const walk = (stack: Layer[], prefix: string) => {
      for (const l of stack) {
        // A route may serve several paths (app.get([...]): the conditional reads, server/app.ts).
        if (l.route)
          for (const p of ([] as string[]).concat(l.route.path))
            for (const m of Object.keys(l.route.methods)) routes.push(`${m} ${prefix}${p}`);
        else if (l.handle?.stack)
          walk(l.handle.stack, typeof l.rawPath === 'string' && l.rawPath !== '/' ? prefix + l.rawPath : prefix);
      }
    };
    walk((t.app as unknown as { router: { stack: Layer[] } }).router.stack, '');
    const shape = (p: string) => p.replace(/\.:format$/, '.json').replace(/:\w+|\{[^{}]+\}/g, '{}');
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([p, item]) => Object.keys(item!).map((m) => `${m} ${shape(p)}`)),
    );
    const api = routes.filter((r) => / \/(api|tiles|ogc|open311|healthz|photos|releases)\b/.test(r));
    expect(api.length).toBeGreaterThan(40);
    expect(api.filter((r) => !documented.has(shape(r)))).toEqual([]);
  });
});

describe('meta', () => {
  it.each(['/healthz', '/api/v1/config', '/api/v1/categories'])('GET %s', async (path) => {
    expect(api.check(await get(path)).status).toBe(200);
  });
});

describe('reports', () => {
  const post = () => request(t.app).post('/api/v1/reports');

  it('POST JSON: 201 with the public Feature', async () => {
    const res = api.check(
      await post()
        .set('Idempotency-Key', crypto.randomUUID())
        .send({ category: 'surface', lat: 48.1, lon: 11.5, contact: 'me@example.org', accuracy_m: 5 }),
    );
    expect(res.status).toBe(201);
  });

  it('POST multipart with a photo: 201, and the photo is served', async () => {
    const res = api.check(
      await post()
        .field('category', 'obstacle')
        .field('lat', '48.1')
        .field('lon', '11.5')
        .attach('photos', await twoColourJpeg(), 'a.jpg'),
    );
    expect(res.status).toBe(201);
    const photo = api.check(await binary(photoPath));
    expect(photo.status).toBe(200);
  });

  it.each([
    ['a field out of range', 422, (r: request.Test) => r.send({ category: 'steps', lat: 200, lon: 0 })],
    ['an unknown field', 422, (r: request.Test) => r.send({ category: 'steps', lat: 1, lon: 1, colour: 'red' })],
    ['an unknown category', 422, (r: request.Test) => r.send({ category: 'nope', lat: 1, lon: 1 })],
    ['malformed JSON', 400, (r: request.Test) => r.set('Content-Type', 'application/json').send('{"lat":')],
    [
      'a bad Idempotency-Key',
      400,
      (r: request.Test) => r.set('Idempotency-Key', 'x').send({ category: 'steps', lat: 1, lon: 1 }),
    ],
    ['a text body', 415, (r: request.Test) => r.set('Content-Type', 'text/plain').send('hello')],
    [
      'a file that is no image',
      415,
      (r: request.Test) =>
        r
          .field('category', 'steps')
          .field('lat', '1')
          .field('lon', '1')
          .attach('photos', Buffer.from('not an image'), 'x.jpg'),
    ],
  ])('POST with %s: %d problem', async (_what, status, send) => {
    expect(api.check(await send(post())).status).toBe(status);
  });

  it.each([
    ['/api/v1/reports?limit=1', 200],
    ['/api/v1/reports?bbox=13,52,14,53&category=steps,help_medical&kind=barrier,help&status=new,duplicate', 200],
    ['/api/v1/reports?bbox=1,2,3', 422],
    ['/api/v1/reports?colour=red', 422],
    ['/api/v1/reports/nearby?lat=52.52&lon=13.405&radius_m=500', 200],
    ['/api/v1/reports/nearby?lon=13.405', 422],
    ['/api/v1/reports/999999999', 404],
    ['/api/v1/reports/abc', 422],
  ])('GET %s: %d', async (path, status) => {
    expect(api.check(await get(path)).status).toBe(status);
  });

  it('GET one report of each shape: barrier, help request, with photo, duplicate', async () => {
    for (const id of Object.values(ids)) expect(api.check(await get(`/api/v1/reports/${id}`)).status).toBe(200);
    expect((await get(`/api/v1/reports/${ids.duplicate}`)).body.properties.duplicate_of).toBe(ids.barrier);
  });

  it('follows the next link of the list', async () => {
    const first = api.check(await get('/api/v1/reports?limit=1'));
    const next = first.body.links.find((l: { rel: string }) => l.rel === 'next');
    const url = new URL(next.href);
    expect(api.check(await get(url.pathname + url.search)).status).toBe(200);
  });

  it.each([
    [() => ids.barrier, { type: 'still_there' }, 201],
    [() => ids.barrier, { type: 'maybe' }, 422],
    [() => 999999999, { type: 'gone' }, 404],
  ])('POST confirmations (%#)', async (id, body, status) => {
    const res = await request(t.app).post(`/api/v1/reports/${id()}/confirmations`).send(body);
    expect(api.check(res).status).toBe(status);
  });

  it('GET an unknown photo: 404', async () => {
    // The photo route passes an unknown name on to the app's not-found answer.
    expect(api.check(await get(`/photos/${'a'.repeat(64)}.jpg`), { fallthrough: true }).status).toBe(404);
  });
});

describe('map', () => {
  it.each([
    ['/tiles/public/0/0/0.mvt', 200],
    ['/tiles/public/16/35205/21489.mvt?kind=barrier', 200],
    ['/tiles/public/3/8/1.mvt', 422],
  ])('GET %s: %d', async (path, status) => {
    expect(api.check(await binary(path)).status).toBe(status);
  });

  it.each([
    ['/api/v1/clusters?bbox=13,52,14,53&zoom=5', 200],
    ['/api/v1/clusters?bbox=13.40,52.51,13.42,52.53&zoom=16', 200],
    ['/api/v1/clusters?bbox=13,52,14,53', 422],
    ['/api/v1/clusters?bbox=-180,-85,180,85&zoom=14', 422],
  ])('GET %s: %d', async (path, status) => {
    expect(api.check(await get(path)).status).toBe(status);
  });
});

describe('exports', () => {
  it('GeoJSON: the collection with licence, attribution and generation time', async () => {
    const res = api.check(
      await get('/api/v1/exports/reports.geojson?bbox=13,52,14,53&datetime=2000-01-01T00:00:00Z/..'),
    );
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text);
    expect(body.features.length).toBeGreaterThanOrEqual(4);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename=/);
    expect(res.headers.link).toMatch(/^<https?:[^>]+>; rel="license"$/);
  });

  it('GeoJSON text sequences: every record is RS, a Feature as documented, LF', async () => {
    const res = api.check(await get('/api/v1/exports/reports.geojsonseq?kind=barrier,help'));
    expect(res.status).toBe(200);
    const records = res.text.split('\x1e').slice(1);
    expect(res.text.startsWith('\x1e')).toBe(true);
    expect(records.length).toBeGreaterThanOrEqual(4);
    for (const record of records) {
      expect(record.endsWith('\n')).toBe(true);
      expect(api.validateSchema('ReportFeature', JSON.parse(record))).toBeNull();
    }
  });

  it('CSV: the documented columns, and with hxl=1 a hashtag row', async () => {
    const plain = api.check(await get('/api/v1/exports/reports.csv?severity=1,2,3'));
    expect(plain.status).toBe(200);
    expect(plain.text.split(/\r?\n/)[0]).toBe(CSV_COLUMNS.join(','));
    const hxl = api.check(await get('/api/v1/exports/reports.csv?hxl=1'));
    expect(hxl.text.split(/\r?\n/)[1]).toMatch(/^#/);
  });

  it.each(['reports.geojson?severity=7', 'reports.geojsonseq?datetime=yesterday', 'reports.csv?colour=red'])(
    'refuses a bad filter: %s',
    async (path) => {
      const res = api.check(await get(`/api/v1/exports/${path}`));
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    },
  );
});

describe('OGC API – Features', () => {
  it.each([
    ['/ogc', 200],
    ['/ogc/conformance', 200],
    ['/ogc/collections', 200],
    ['/ogc/collections/reports', 200],
    ['/ogc/collections/help', 200],
    ['/ogc/collections/nope', 404],
    ['/ogc/collections/reports/queryables', 200],
    ['/ogc/collections/reports/schema', 200],
    ['/ogc/collections/help/feature-schema', 200],
    ['/ogc/api', 200],
    ['/ogc/collections/reports/items?limit=20000&offset=3', 200],
    ['/ogc/collections/reports/items?bbox=13,52,0,14,53,10', 200],
    [
      `/ogc/collections/reports/items?filter=${encodeURIComponent("severity >= 2 AND updated_at > TIMESTAMP('2020-01-01T00:00:00Z')")}`,
      200,
    ],
    [`/ogc/collections/reports/items?filter=${encodeURIComponent('severity >>> 2')}`, 400],
    ['/ogc/collections/reports/items?offset=100001', 400],
    ['/ogc/collections/reports/items?limit=2', 200],
    [
      '/ogc/collections/barriers/items?bbox=13,52,14,53&datetime=2000-01-01T00:00:00Z/..&category=steps&severity=3',
      200,
    ],
    ['/ogc/collections/reports/items?limit=0', 400],
    ['/ogc/collections/reports/items?colour=red', 400],
    ['/ogc/collections/reports/items?bbox=a,b', 400],
    ['/ogc/collections/reports/items/999999999', 404],
    ['/ogc/conformance?colour=red', 400],
  ])('GET %s: %d', async (path, status) => {
    expect(api.check(await get(path)).status).toBe(status);
  });

  it('GET one item, and follow a next link', async () => {
    expect(api.check(await get(`/ogc/collections/reports/items/${ids.photo}`)).status).toBe(200);
    const first = api.check(await get('/ogc/collections/reports/items?limit=1'));
    const next = new URL(first.body.links.find((l: { rel: string }) => l.rel === 'next').href);
    expect(api.check(await get(next.pathname + next.search)).status).toBe(200);
  });

  it('links the landing page to this description and its page', async () => {
    const links = (await get('/ogc')).body.links as { rel: string; href: string; type: string }[];
    const desc = links.find((l) => l.rel === 'service-desc')!;
    // The OGC paths alone, relative to the landing page: where GDAL looks for them.
    expect(new URL(desc.href).pathname).toBe('/ogc/api');
    expect(desc.type).toBe('application/vnd.oai.openapi+json;version=3.0');
    const ogcDoc = (await get('/ogc/api')).body;
    expect(ogcDoc.servers[0].url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ogc$/);
    // Each collection's items path is listed too (QGIS reads its filters there).
    expect(Object.keys(ogcDoc.paths).sort()).toEqual(
      [
        ...Object.keys(doc.paths)
          .filter((p) => p === '/ogc' || p.startsWith('/ogc/'))
          .map((p) => (p === '/ogc' ? '/' : p.slice(4))),
        '/collections/reports/items',
        '/collections/barriers/items',
        '/collections/help/items',
      ].sort(),
    );
    const barriers = ogcDoc.paths['/collections/barriers/items'].get.parameters.map(
      (p: { $ref: string }) => ogcDoc.components.parameters[p.$ref.split('/').pop()!],
    );
    expect(barriers.find((p: { name: string }) => p.name === 'category')).toMatchObject({
      style: 'form',
      explode: false,
      schema: { type: 'string' },
    });
    expect(barriers.map((p: { name: string }) => p.name)).not.toContain('kind');
    expect(ogcDoc.components.parameters.limit.schema.maximum).toBe(1000);
    expect(new URL(links.find((l) => l.rel === 'service-doc')!.href).pathname).toBe('/api/docs');
  });
});

describe('Open311 GeoReport v2', () => {
  it.each([
    ['/open311/v2/discovery.json', 200],
    ['/open311/v2/services.json?locale=de', 200],
    ['/open311/v2/services/steps.json', 200],
    ['/open311/v2/services/nope.json', 404],
    ['/open311/v2/requests.json?status=open&page_size=2', 200],
    ['/open311/v2/requests.json?start_date=yesterday', 400],
    ['/open311/v2/requests/999999999.json', 404],
  ])('GET %s: %d', async (path, status) => {
    expect(api.check(await get(path)).status).toBe(status);
  });

  it('GET one request of each shape', async () => {
    for (const id of Object.values(ids))
      expect(api.check(await get(`/open311/v2/requests/${id}.json`)).status).toBe(200);
  });

  it('answers the .xml variants in XML', async () => {
    const res = await get('/open311/v2/services.xml');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/xml/);
  });

  it('POST requests: 201 with a key, errors without one or with a bad form', async () => {
    const admin = await loginAs(t, 'admin');
    const made = await admin.agent.post('/api/v1/api-keys').set('X-CSRF-Token', admin.csrf).send({ name: 'oas' });
    expect(made.status).toBe(201);
    const form = { service_code: 'steps', lat: '52.5', long: '13.4', description: 'Steps', 'attribute[severity]': '2' };
    const postForm = (body: Record<string, string>) =>
      request(t.app).post('/open311/v2/requests.json').type('form').send(body);
    expect(api.check(await postForm({ ...form, api_key: made.body.key })).status).toBe(201);
    expect(api.check(await postForm({ ...form, api_key: 'wrong' })).status).toBe(403);
    expect(api.check(await postForm({ ...form, api_key: made.body.key, lat: '500' })).status).toBe(400);
    const multipart = await request(t.app)
      .post('/open311/v2/requests.json')
      .field('api_key', made.body.key)
      .field('service_code', 'kerb_missing')
      .field('lat', '52.5')
      .field('long', '13.4')
      .field('attribute[severity]', '3')
      .attach('media', await twoColourJpeg(), 'kerb.jpg');
    expect(`${api.check(multipart).status} ${multipart.text}`).toMatch(/^201 /);
  });
});
