// CDN-friendly public reads (issue 17, part 4; server/http/conditional.ts): tiles, clusters
// and the public lists carry ETag and Last-Modified decided from the public data's version,
// answer 304 without a body, and change their validators when anything public changes.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { readPublicVersion } from '../../server/http/conditional';
import { loginAs, type StaffAgent } from './support/staff';
import { startTestApp, type TestApp } from './support/test-app';
import { tileOf } from './support/tiles';

jest.setTimeout(60_000);

let t: TestApp;
/** One server for all requests: supertest would start one per request, each with its own Host (a part of the ETag). */
let server: Server;
let coordinator: StaffAgent;
// Dresden: a town of this file's own.
const here = { lon: 13.7373, lat: 51.0504 };
const bbox = `${here.lon - 0.05},${here.lat - 0.05},${here.lon + 0.05},${here.lat + 0.05}`;
const tile5 = tileOf(here.lon, here.lat, 5);

const URLS = {
  'tile at zoom 0 (kept in memory)': '/tiles/public/0/0/0.mvt',
  'tile at zoom 5': `/tiles/public/5/${tile5.x}/${tile5.y}.mvt?kind=barrier`,
  clusters: `/api/v1/clusters?bbox=${bbox}&zoom=8`,
  'report list': `/api/v1/reports?bbox=${bbox}`,
  'OGC items': `/ogc/collections/reports/items?bbox=${bbox}`,
  'Open311 requests': '/open311/v2/requests.json',
} as const;

const newReport = async (): Promise<number> => {
  const res = await request(t.app)
    .post('/api/v1/reports')
    .send({ kind: 'barrier', category: 'steps', lon: here.lon, lat: here.lat, severity: 2 })
    .expect(201);
  return res.body.id as number;
};

/** The body as bytes, whatever its type (tiles are binary). */
const get = (url: string) =>
  request(server)
    .get(url)
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });

/** How many reports the public map counts in the whole world (the clusters of zoom 0). */
const tileTotal = async (): Promise<number> => {
  const res = await request(t.app).get(`/api/v1/clusters?bbox=-180,-85,180,85&zoom=0`).expect(200);
  return (res.body.features as { properties: { count: number } }[]).reduce((n, f) => n + f.properties.count, 0);
};

beforeAll(async () => {
  t = await startTestApp();
  server = t.app.listen(0, '127.0.0.1');
  coordinator = await loginAs(t, 'coordinator');
  await newReport();
});
afterAll(async () => {
  server.close();
  await t.close();
});

describe.each(Object.entries(URLS))('%s', (_name, url) => {
  it('carries ETag, Last-Modified, a short public lifetime and Vary, and answers If-None-Match with an empty 304', async () => {
    const first = await get(url).expect(200);
    expect(first.headers.etag).toMatch(/^W\/"[\w-]+"$/);
    expect(new Date(first.headers['last-modified']!).getTime()).toBeLessThanOrEqual(Date.now());
    // Browsers ask every time (a reporter reloading sees their report); CDNs keep 10 s.
    expect(first.headers['cache-control']).toBe('public, max-age=0, s-maxage=10');
    expect(first.headers['cdn-cache-control']).toBe('public, max-age=10, stale-while-revalidate=20');
    const vary = first.headers.vary!.split(/,\s*/);
    // Cookie: a staff session or a read-your-writes cookie gets a private answer; Host: links.
    expect(vary).toEqual(expect.arrayContaining(['Cookie', 'Host']));
    if (url.startsWith('/open311')) expect(vary).toContain('Accept-Language');

    const again = await get(url).set('If-None-Match', first.headers.etag!).expect(304);
    expect((again.body as Buffer).length).toBe(0);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.headers['cache-control']).toBe(first.headers['cache-control']);
    expect(again.headers.vary).toBe(first.headers.vary);
    // One of several tags, and the strong form of a weak one, match too (weak comparison).
    await get(url)
      .set('If-None-Match', `"other", ${first.headers.etag!.slice(2)}`)
      .expect(304);

    const head = await request(server).head(url).expect(200);
    expect(head.headers.etag).toBe(first.headers.etag);
    expect(head.text ?? '').toBe('');
    await request(server).head(url).set('If-None-Match', first.headers.etag!).expect(304);
  });
});

describe('the validators follow the data', () => {
  it('a new report changes every ETag, and the next conditional request gets 200 with it', async () => {
    const before = await Promise.all(Object.values(URLS).map(async (url) => (await get(url)).headers.etag!));
    const count = await tileTotal();
    const id = await newReport();
    for (const [i, url] of Object.values(URLS).entries()) {
      const res = await get(url).set('If-None-Match', before[i]!);
      expect([url, res.status]).toEqual([url, 200]);
      expect(res.headers.etag).not.toBe(before[i]);
    }
    const list = await request(t.app).get(URLS['report list']).expect(200);
    expect(list.body.features.map((f: { id: number }) => f.id)).toContain(id);
    expect(await tileTotal()).toBe(count + 1);
  });

  it('hiding a report changes the ETag, and the list and the tiles drop it', async () => {
    const id = await newReport();
    const list = await request(server).get(URLS['report list']).expect(200);
    expect(list.body.features.map((f: { id: number }) => f.id)).toContain(id);
    const tile = await get(URLS['tile at zoom 0 (kept in memory)']).expect(200);
    const count = await tileTotal();

    await coordinator.agent
      .patch(`/api/v1/staff/reports/${id}/publication`)
      .set('X-CSRF-Token', coordinator.csrf)
      .send({ hidden: true })
      .expect(204);

    const after = await request(server).get(URLS['report list']).set('If-None-Match', list.headers.etag!).expect(200);
    expect(after.body.features.map((f: { id: number }) => f.id)).not.toContain(id);
    const tileAfter = await get(URLS['tile at zoom 0 (kept in memory)'])
      .set('If-None-Match', tile.headers.etag!)
      .expect(200);
    // The zoom-0 tile's bytes are kept by ETag: a new version is a new entry, with one report fewer.
    expect(Buffer.compare(tileAfter.body as Buffer, tile.body as Buffer)).not.toBe(0);
    expect(await tileTotal()).toBe(count - 1);
  });

  it('any statement changing reports or photos moves the version; one that changes no row does not', async () => {
    const v0 = await readPublicVersion(t.pool);
    await t.pool.query(`UPDATE reports SET severity = severity WHERE id < 0`);
    await t.pool.query(`UPDATE photos SET position = position WHERE false`);
    expect(await readPublicVersion(t.pool)).toEqual(v0);
    // A confirmation's counts, a photo review, a merge: all are updates of these tables.
    await t.pool.query(`UPDATE reports SET gone_count = gone_count + 1 WHERE id = (SELECT max(id) FROM reports)`);
    const v1 = await readPublicVersion(t.pool);
    expect(v1.tag).not.toBe(v0.tag);
    expect(v1.lastChangeMs).toBeGreaterThanOrEqual(v0.lastChangeMs);
  });

  it('If-Modified-Since: 304 once the last change is older than Last-Modified, 200 after a change', async () => {
    // Last-Modified is never less than two seconds old, so that no change stamped before it is still committing.
    await new Promise((resolve) => setTimeout(resolve, 3200));
    const url = URLS['report list'];
    const first = await get(url).expect(200);
    const lastModified = first.headers['last-modified']!;
    await get(url).set('If-Modified-Since', lastModified).expect(304);
    // A date we never sent (the response's Date, later than Last-Modified) is not trusted.
    await get(url)
      .set('If-Modified-Since', new Date(Date.now() + 60_000).toUTCString())
      .expect(200);
    // If-None-Match decides when both are sent.
    await get(url).set('If-Modified-Since', lastModified).set('If-None-Match', '"nope"').expect(200);
    await newReport();
    await get(url).set('If-Modified-Since', lastModified).expect(200);
  });
});

describe('answers that are not for everyone', () => {
  it('a staff session gets a private answer, never the shared 304', async () => {
    const shared = await get(URLS['report list']).expect(200);
    const own = await coordinator.agent
      .get(URLS['report list'])
      .set('Host', `127.0.0.1:${(server.address() as AddressInfo).port}`)
      .set('If-None-Match', shared.headers.etag!);
    expect(own.status).toBe(200);
    expect(own.headers['cache-control']).toBe('private, no-cache');
    expect(own.headers.vary).toMatch(/Cookie/);
  });

  it('a refused request keeps no validators and is not stored', async () => {
    const res = await request(t.app).get('/tiles/public/3/1/1.mvt?status=gone').expect(422);
    expect(res.headers.etag).toBeUndefined();
    expect(res.headers['last-modified']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['cdn-cache-control']).toBeUndefined();
  });

  it('If-None-Match: * is no 304 for a request that would be refused, nor for one that would not', async () => {
    const refused = await get('/tiles/public/0/5/0.mvt').set('If-None-Match', '*').expect(422);
    expect(refused.body.toString()).toMatch(/"field":"x"/);
    await get('/api/v1/reports?bbox=1,2,3&category=no_such').set('If-None-Match', '*').expect(422);
    await get(URLS['tile at zoom 0 (kept in memory)']).set('If-None-Match', '*').expect(200);
  });

  it('a tile has one spelling: leading zeros, hex, exponents and fractions are refused, naming the field', async () => {
    for (const [path, field] of [
      ['/tiles/public/05/0/0.mvt', 'z'],
      ['/tiles/public/0x5/0/0.mvt', 'z'],
      ['/tiles/public/5/1e1/0.mvt', 'x'],
      ['/tiles/public/5/0/10.0.mvt', 'y'],
      ['/tiles/public/5/%2010/0.mvt', 'x'],
    ] as const) {
      const res = await request(t.app).get(path).expect(422);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      expect(res.headers.etag).toBeUndefined();
    }
    await get(`/tiles/public/5/${tile5.x}/${tile5.y}.mvt`).expect(200);
  });
});
