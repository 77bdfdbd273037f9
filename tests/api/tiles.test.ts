import request from 'supertest';
import { refreshCells } from '../../server/features/tiles/tiles.repo';
import { startTestApp, type TestApp } from './support/test-app';
import { getTile as getTileOf, tileOf, type TileFeature } from './support/tiles';

jest.setTimeout(60_000);

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const getTile = (z: number, x: number, y: number, query = '') => getTileOf(t, z, x, y, query);

const sumCounts = (features: TileFeature[]) => features.reduce((n, f) => n + Number(f.properties.count), 0);

// A town of our own: Leipzig, far from the other files' points (each file has its own schema anyway).
const centre = { lon: 12.3731, lat: 51.3397 };
const reports: { category: string; lon: number; lat: number; severity: number }[] = [];
for (let i = 0; i < 30; i++) {
  reports.push({
    category: i % 5 === 0 ? 'help_medical' : i % 2 ? 'steps' : 'surface',
    lon: centre.lon + (i % 6) * 0.004,
    lat: centre.lat + Math.floor(i / 6) * 0.003,
    severity: (i % 3) + 1,
  });
}

/** Where the public sees each report (help requests on their coarse cell). */
const publicPoints: [number, number][] = [];
beforeAll(async () => {
  for (const r of reports) {
    const res = await request(t.app).post('/api/v1/reports').send(r).expect(201);
    publicPoints.push(res.body.geometry.coordinates);
  }
});

/** All features of the tiles at zoom z that hold the given points. */
async function tilesAround(z: number, points: [number, number][], query = ''): Promise<TileFeature[]> {
  const tiles = new Map(
    points.map(([lon, lat]) => {
      const tile = tileOf(lon, lat, z);
      return [`${tile.x}/${tile.y}`, tile];
    }),
  );
  const features: TileFeature[] = [];
  for (const tile of tiles.values()) features.push(...(await getTile(z, tile.x, tile.y, query)));
  return features;
}

describe('public vector tiles', () => {
  it('at every cluster zoom, the counts in the tile add up to the reports in it, before and after folding', async () => {
    for (const folded of [false, true]) {
      if (folded) expect(await refreshCells(t.pool)).toBeGreaterThan(0);
      for (const z of [0, 3, 8, 11, 12, 13, 14]) {
        const features = await tilesAround(z, publicPoints);
        expect(sumCounts(features)).toBe(30);
        const barriers = features.reduce((n, f) => n + Number(f.properties.count_barrier), 0);
        const help = features.reduce((n, f) => n + Number(f.properties.count_help), 0);
        expect([barriers, help]).toEqual([24, 6]);
        expect(Math.max(...features.map((f) => Number(f.properties.max_severity)))).toBe(3);
      }
    }
  });

  it('splits clusters into single reports at high zoom, with their properties', async () => {
    const z = 15;
    const { x, y } = tileOf(centre.lon, centre.lat, z);
    const features = await getTile(z, x, y);
    expect(features.length).toBeGreaterThan(0);
    for (const f of features) {
      expect(f.id).toBe(f.properties.id);
      expect(f.properties).toEqual({
        id: expect.any(Number),
        category: expect.stringMatching(/^(steps|surface|help_medical)$/),
        kind: expect.stringMatching(/^(barrier|help)$/),
        status: 'new',
        severity: expect.any(Number),
      });
      expect(f.point.x).toBeGreaterThanOrEqual(0);
      expect(f.point.x).toBeLessThan(4096);
    }
  });

  it('puts each single report in exactly one tile at high zoom', async () => {
    for (const z of [15, 16, 18]) {
      const features = await tilesAround(z, publicPoints);
      expect(features).toHaveLength(30);
      expect(new Set(features.map((f) => f.id)).size).toBe(30);
    }
  });

  it('applies category, kind and status filters', async () => {
    const count = async (query: string) => sumCounts(await tilesAround(10, publicPoints, query));
    expect(await count('?category=steps')).toBe(12);
    expect(await count('?category=steps,surface')).toBe(24);
    expect(await count('?kind=help')).toBe(6);
    expect(await count('?status=resolved')).toBe(0);
    expect(await count(`?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).toBe(0);
    expect(await count(`?since=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`)).toBe(30);
  });

  it('refuses a singles request wider than 1,024 tiles of its zoom, naming the bbox', async () => {
    const wide = await request(t.app).get('/api/v1/clusters?bbox=13.2,52.35,13.6,52.65&zoom=15');
    expect(wide.status).toBe(422);
    expect(wide.body.errors.map((e: { field: string }) => e.field)).toEqual(['bbox']);
    const screen = await request(t.app).get('/api/v1/clusters?bbox=13.38,52.50,13.44,52.53&zoom=15');
    expect(screen.status).toBe(200);
  });

  it('refuses a since that would count clusters far back, naming it, and allows it where reports are single', async () => {
    const old = `?since=${encodeURIComponent('2000-01-01T00:00:00Z')}`;
    const { x, y } = tileOf(centre.lon, centre.lat, 10);
    const cluster = await request(t.app).get(`/tiles/public/10/${x}/${y}.mvt${old}`);
    expect(cluster.status).toBe(422);
    expect(cluster.body.errors.map((e: { field: string }) => e.field)).toEqual(['since']);
    expect(cluster.body.errors[0].detail).toMatch(/at most 7 days back/);
    const clusters = await request(t.app).get(
      `/api/v1/clusters?bbox=-180,-85,180,85&zoom=0&since=2000-01-01T00:00:00Z`,
    );
    expect(clusters.status).toBe(422);
    expect(await tilesAround(15, publicPoints, old)).toHaveLength(30);
  });

  it('shows a new report at every zoom in the next request, and forgets a rejected one', async () => {
    const spot = { lon: centre.lon + 0.001, lat: centre.lat + 0.001 };
    const made = await request(t.app)
      .post('/api/v1/reports')
      .send({ category: 'lift', ...spot })
      .expect(201);
    const points = [...publicPoints, [spot.lon, spot.lat] as [number, number]];
    for (const z of [2, 9, 13]) expect(sumCounts(await tilesAround(z, points))).toBe(31);
    await t.pool.query(`UPDATE reports SET status = 'rejected' WHERE id = $1`, [made.body.id]);
    for (const z of [2, 9, 13]) expect(sumCounts(await tilesAround(z, points))).toBe(30);
    await refreshCells(t.pool);
    expect(sumCounts(await tilesAround(9, points))).toBe(30);
  });

  it('never puts a help request closer than its coarse cell centre, at any zoom', async () => {
    const exact = { lon: 12.38123, lat: 51.35777 };
    const made = await request(t.app)
      .post('/api/v1/reports')
      .send({ category: 'help_evacuation', ...exact })
      .expect(201);
    const [publicLon, publicLat] = made.body.geometry.coordinates as [number, number];
    for (const z of [15, 17, 20]) {
      const exactTile = tileOf(exact.lon, exact.lat, z);
      const publicTile = tileOf(publicLon, publicLat, z);
      const atExact = await getTile(z, exactTile.x, exactTile.y);
      expect(atExact.map((f) => f.id)).not.toContain(made.body.id);
      const atPublic = await getTile(z, publicTile.x, publicTile.y);
      expect(atPublic.map((f) => f.id)).toContain(made.body.id);
    }
  });

  it('sends caching headers and answers a matching ETag with 304', async () => {
    const { x, y } = tileOf(centre.lon, centre.lat, 5);
    // One Host for both: supertest serves each request on a new port, and the Host is part of the ETag.
    const get = () => request(t.app).get(`/tiles/public/5/${x}/${y}.mvt`).set('Host', 'maps.example.org');
    const first = await get();
    expect(first.headers['cache-control']).toMatch(/public, max-age=\d+/);
    expect(first.headers.etag).toBeTruthy();
    const again = await get().set('If-None-Match', first.headers.etag!);
    expect(again.status).toBe(304);
  });

  it.each([
    ['/tiles/public/3/8/1.mvt', 'x'],
    ['/tiles/public/3/1/-1.mvt', 'y'],
    ['/tiles/public/40/1/1.mvt', 'z'],
    ['/tiles/public/3/1/1.mvt?category=steps&foo=1', 'foo'],
    ['/tiles/public/3/1/1.mvt?status=gone', 'status'],
  ])('refuses %s naming %s', async (url, field) => {
    const res = await request(t.app).get(url);
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });
});

describe('GET /api/v1/clusters', () => {
  const bbox = `${centre.lon - 0.05},${centre.lat - 0.05},${centre.lon + 0.05},${centre.lat + 0.05}`;

  it('gives the same clusters as GeoJSON, counts adding up', async () => {
    const res = await request(t.app).get(`/api/v1/clusters?bbox=${bbox}&zoom=9`);
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('FeatureCollection');
    const total = res.body.features.reduce(
      (n: number, f: { properties: { count: number } }) => n + f.properties.count,
      0,
    );
    expect(total).toBeGreaterThanOrEqual(30);
    for (const f of res.body.features) {
      expect(f.properties.cluster).toBe(true);
      const [lon, lat] = f.geometry.coordinates;
      expect(Math.abs(lon - centre.lon)).toBeLessThan(0.06);
      expect(Math.abs(lat - centre.lat)).toBeLessThan(0.06);
    }
  });

  it('gives single reports when zoomed in', async () => {
    const res = await request(t.app).get(`/api/v1/clusters?bbox=${bbox}&zoom=16&kind=barrier`);
    expect(res.status).toBe(200);
    expect(res.body.features.length).toBeGreaterThanOrEqual(24);
    expect(res.body.features[0].properties).toMatchObject({ cluster: false, kind: 'barrier' });
  });

  it('refuses a missing bbox, a bad zoom and a bbox too large for the zoom', async () => {
    expect((await request(t.app).get('/api/v1/clusters?zoom=3')).body.errors[0].field).toBe('bbox');
    expect((await request(t.app).get(`/api/v1/clusters?bbox=${bbox}&zoom=x`)).body.errors[0].field).toBe('zoom');
    const huge = await request(t.app).get('/api/v1/clusters?bbox=-180,-85,180,85&zoom=12');
    expect(huge.status).toBe(422);
    expect(huge.body.errors[0].field).toBe('bbox');
  });
});

describe('a since filter below zoom 15 counts at most so many reports', () => {
  // A small bound, so that the test seeds dozens of reports rather than 20,000.
  const BOUND = 50;
  let s: TestApp;
  beforeAll(async () => {
    s = await startTestApp({ config: { tileSinceMaxReports: BOUND } });
  });
  afterAll(() => s.close());

  const sinceQuery = (msAgo: number) => `since=${encodeURIComponent(new Date(Date.now() - msAgo).toISOString())}`;
  const hourAgo = sinceQuery(3_600_000);

  /** Barriers on a grid north-east of `at`, changed `daysAgo` days ago. */
  async function seed(
    at: { lon: number; lat: number },
    count: number,
    opts: { daysAgo?: number; hidden?: boolean } = {},
  ) {
    await s.pool.query(
      `WITH places AS (
         SELECT ST_SetSRID(ST_MakePoint($1::float8 + (i % 10) * 0.002, $2::float8 + (i / 10) * 0.002), 4326) AS p
           FROM generate_series(0, $3::int - 1) i)
       INSERT INTO reports (kind, category, severity, geom, public_geom, hidden, updated_at)
       SELECT 'barrier', 'steps', 2, p, p, $4, now() - make_interval(days => $5::int) FROM places`,
      [at.lon, at.lat, count, opts.hidden ?? false, opts.daysAgo ?? 0],
    );
  }

  const clustersOf = (at: { lon: number; lat: number }, query: string) =>
    request(s.app).get(
      `/api/v1/clusters?bbox=${at.lon - 0.1},${at.lat - 0.1},${at.lon + 0.1},${at.lat + 0.1}&zoom=8&${query}`,
    );

  it('counts the changes when the reports matching since in the area stay within the bound', async () => {
    const dresden = { lon: 13.74, lat: 51.05 };
    await seed(dresden, 20);
    await seed(dresden, 20, { daysAgo: 3 });
    await seed(dresden, 30, { hidden: true });
    const { x, y } = tileOf(dresden.lon, dresden.lat, 8);
    expect(sumCounts(await getTileOf(s, 8, x, y, `?${hourAgo}`))).toBe(20);
    // 70 reports changed in these four days, but the public sees 40 of them: within the bound.
    const fourDays = sinceQuery(4 * 86_400_000);
    expect(sumCounts(await getTileOf(s, 8, x, y, `?${fourDays}`))).toBe(40);
    const clusters = await clustersOf(dresden, fourDays);
    expect(clusters.status).toBe(200);
    const total = clusters.body.features.reduce(
      (n: number, f: { properties: { count: number } }) => n + f.properties.count,
      0,
    );
    expect(total).toBe(40);
  });

  it('refuses since naming it when more reports match in the area, and answers a later since, another area or a zoom in', async () => {
    const munich = { lon: 11.57, lat: 48.14 };
    await seed(munich, BOUND + 1);
    const { x, y } = tileOf(munich.lon, munich.lat, 8);
    const tile = await request(s.app).get(`/tiles/public/8/${x}/${y}.mvt?${hourAgo}`);
    expect(tile.status).toBe(422);
    expect(tile.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(tile.body.errors[0].field).toBe('since');
    expect(tile.body.errors[0].detail).toMatch(/more than 50 changed reports.*choose a later since or zoom in/);
    const clusters = await clustersOf(munich, hourAgo);
    expect(clusters.status).toBe(422);
    expect(clusters.body.errors[0].field).toBe('since');

    const later = await getTileOf(s, 8, x, y, `?${sinceQuery(-60_000)}`);
    expect(later).toEqual([]);
    const augsburg = { lon: 10.9, lat: 48.37 };
    await seed(augsburg, 3);
    const elsewhere = tileOf(augsburg.lon, augsburg.lat, 8);
    expect(elsewhere.x === x && elsewhere.y === y).toBe(false);
    expect(sumCounts(await getTileOf(s, 8, elsewhere.x, elsewhere.y, `?${hourAgo}`))).toBe(3);
    const close = tileOf(munich.lon, munich.lat, 15);
    expect((await getTileOf(s, 15, close.x, close.y, `?${hourAgo}`)).length).toBeGreaterThan(0);
  });
});
