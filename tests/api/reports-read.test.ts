import request from 'supertest';
import { HELP_GRID_M, startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(60_000);

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

interface Feature {
  id: number;
  geometry: { coordinates: [number, number] };
  properties: Record<string, unknown>;
}

async function create(body: Record<string, unknown>): Promise<Feature> {
  const res = await request(t.app).post('/api/v1/reports').send(body);
  expect(res.status).toBe(201);
  return res.body as Feature;
}

async function setStatus(id: number, status: string): Promise<void> {
  await t.pool.query('UPDATE reports SET status = $2 WHERE id = $1', [id, status]);
}

describe('GET /api/v1/reports', () => {
  // A small town of its own far from other tests' points: 12 reports on a line.
  const town = { minLon: 20, minLat: 10, maxLon: 20.2, maxLat: 10.2 };
  const bbox = `${town.minLon},${town.minLat},${town.maxLon},${town.maxLat}`;
  let made: Feature[] = [];
  beforeAll(async () => {
    made = [];
    for (let i = 0; i < 12; i++) {
      made.push(
        await create({
          category: i % 3 === 0 ? 'steps' : 'surface',
          lat: 10.01 + i * 0.01,
          lon: 20.01 + i * 0.01,
          severity: (i % 3) + 1,
        }),
      );
    }
    await create({ category: 'steps', lat: 40, lon: 40 }); // outside the bbox
  });

  it('returns an RFC 7946 FeatureCollection of the reports in the bbox, newest first', async () => {
    const res = await request(t.app).get(`/api/v1/reports?bbox=${bbox}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
    expect(res.body.type).toBe('FeatureCollection');
    expect(res.body).not.toHaveProperty('crs');
    const ids = res.body.features.map((f: Feature) => f.id);
    expect(ids).toEqual(made.map((f) => f.id).reverse());
    for (const f of res.body.features as Feature[]) {
      const [lon, lat] = f.geometry.coordinates;
      expect(lon).toBeGreaterThanOrEqual(town.minLon);
      expect(lat).toBeGreaterThanOrEqual(town.minLat);
      expect(lon).toBeLessThanOrEqual(town.maxLon);
    }
  });

  it('filters by category, severity-free kind and status', async () => {
    const steps = await request(t.app).get(`/api/v1/reports?bbox=${bbox}&category=steps`);
    expect(steps.body.features).toHaveLength(4);
    expect(steps.body.features.every((f: Feature) => f.properties.category === 'steps')).toBe(true);

    await setStatus(made[0]!.id, 'resolved');
    const resolved = await request(t.app).get(`/api/v1/reports?bbox=${bbox}&status=resolved`);
    expect(resolved.body.features.map((f: Feature) => f.id)).toEqual([made[0]!.id]);
    const help = await request(t.app).get(`/api/v1/reports?bbox=${bbox}&kind=help`);
    expect(help.body.features).toHaveLength(0);
  });

  it('pages with a keyset cursor, visiting each report exactly once', async () => {
    const seen: number[] = [];
    let url: string | undefined = `/api/v1/reports?bbox=${bbox}&limit=5`;
    let pages = 0;
    while (url) {
      const res = await request(t.app).get(url);
      expect(res.status).toBe(200);
      seen.push(...res.body.features.map((f: Feature) => f.id));
      const next = res.body.links.find((l: { rel: string }) => l.rel === 'next');
      url = next ? new URL(next.href).pathname + new URL(next.href).search : undefined;
      pages++;
      // A report arriving while paging must not shift later pages.
      if (pages === 1) await create({ category: 'steps', lat: 10.15, lon: 20.15 });
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(made.map((f) => f.id).reverse());
  });

  it('includes only reports updated since a time', async () => {
    const { rows } = await t.pool.query<{ latest: Date }>('SELECT max(updated_at) AS latest FROM reports');
    const since = new Date(rows[0]!.latest.getTime() + 1).toISOString();
    const fresh = await create({ category: 'narrow', lat: 10.05, lon: 20.05 });
    const res = await request(t.app).get(`/api/v1/reports?bbox=${bbox}&since=${encodeURIComponent(since)}`);
    expect(res.body.features.map((f: Feature) => f.id)).toContain(fresh.id);
    expect(res.body.features.map((f: Feature) => f.id)).not.toContain(made[1]!.id);
  });

  it.each([
    ['bbox', 'bbox=1,2,3'],
    ['bbox', 'bbox=a,b,c,d'],
    ['bbox', 'bbox=0,95,1,96'],
    ['bbox', 'bbox=0,10,1,5'],
    ['limit', 'limit=0'],
    ['limit', 'limit=5000'],
    ['status', 'status=lost'],
    ['kind', 'kind=tree'],
    ['since', 'since=yesterday'],
    ['cursor', 'cursor=notacursor'],
    ['colour', 'colour=red'],
  ])('refuses a bad %s (%s) with 422', async (field, query) => {
    const res = await request(t.app).get(`/api/v1/reports?${query}`);
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('takes a blank limit, as a form sends it, as not given', async () => {
    const list = await request(t.app).get('/api/v1/reports?limit=&cursor=');
    expect(list.status).toBe(200);
    expect(list.body.numberReturned).toBeLessThanOrEqual(100);
    const nearby = await request(t.app).get('/api/v1/reports/nearby?lat=10&lon=20&radius_m=&limit=%20');
    expect(nearby.status).toBe(200);
  });

  it('reads a bbox across the antimeridian', async () => {
    const east = await create({ category: 'steps', lat: -17, lon: 179.5 });
    const west = await create({ category: 'steps', lat: -17, lon: -179.5 });
    const res = await request(t.app).get('/api/v1/reports?bbox=179,-18,-179,-16');
    expect(res.body.features.map((f: Feature) => f.id).sort()).toEqual([east.id, west.id].sort());
  });
});

describe('GET /api/v1/reports/{id}', () => {
  it('returns one Feature', async () => {
    const made = await create({ category: 'toilet', lat: 1.5, lon: 2.5, description: 'locked' });
    const res = await request(t.app).get(`/api/v1/reports/${made.id}`);
    expect(res.status).toBe(200);
    // supertest listens on a new port per request, so compare the page's path only.
    const withPath = (f: Feature) => ({
      ...f,
      properties: { ...f.properties, url: new URL(String(f.properties.url)).pathname },
    });
    expect(withPath(res.body)).toEqual(withPath(made));
  });

  it('answers unknown and malformed ids with a problem', async () => {
    const missing = await request(t.app).get('/api/v1/reports/987654');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    const bad = await request(t.app).get('/api/v1/reports/12abc');
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].field).toBe('id');
  });

  it('hides rejected reports from the public', async () => {
    const made = await create({ category: 'toilet', lat: 1.6, lon: 2.6 });
    await setStatus(made.id, 'rejected');
    expect((await request(t.app).get(`/api/v1/reports/${made.id}`)).status).toBe(404);
    const list = await request(t.app).get('/api/v1/reports?bbox=2.5,1.5,2.7,1.7');
    expect(list.body.features.map((f: Feature) => f.id)).not.toContain(made.id);
  });
});

describe('help requests in public', () => {
  const exact = { lat: 48.137154, lon: 11.576124 };
  let help: Feature;
  beforeAll(async () => {
    help = await create({
      category: 'help_evacuation',
      ...exact,
      people_count: 3,
      address: 'Marienplatz 8, 2nd floor',
      contact: '+49 170 5550100',
      accuracy_m: 4,
    });
  });

  it('shows only the coarse cell centre, no address, accuracy or contact', async () => {
    const [lon, lat] = help.geometry.coordinates;
    const offsetM = Math.hypot(
      (lon - exact.lon) * 111_320 * Math.cos((exact.lat * Math.PI) / 180),
      (lat - exact.lat) * 111_320,
    );
    expect(offsetM).toBeGreaterThan(1);
    expect(offsetM).toBeLessThanOrEqual((HELP_GRID_M * Math.SQRT2) / 2 + 1);
    // The people count, like the words, waits for a coordinator (tests/api/moderation.test.ts).
    expect(help.properties).toMatchObject({ address: null, accuracy_m: null, people_count: null, review: 'pending' });
    const body = JSON.stringify((await request(t.app).get(`/api/v1/reports/${help.id}`)).body);
    expect(body).not.toContain('5550100');
    expect(body).not.toContain('Marienplatz');
    expect(body).not.toContain(String(exact.lat));
  });

  it('is the same cell for every help request in it (deterministic)', async () => {
    const neighbour = await create({ category: 'help_food_water', lat: exact.lat + 0.0001, lon: exact.lon + 0.0001 });
    expect(neighbour.geometry.coordinates).toEqual(help.geometry.coordinates);
  });

  it('is not found by a tiny bbox around the exact point', async () => {
    const d = 0.0005;
    const tiny = `${exact.lon - d},${exact.lat - d},${exact.lon + d},${exact.lat + d}`;
    const res = await request(t.app).get(`/api/v1/reports?bbox=${tiny}`);
    expect(res.body.features.map((f: Feature) => f.id)).not.toContain(help.id);
  });

  it('is stored exactly for staff', async () => {
    const { rows } = await t.pool.query('SELECT ST_Y(geom) AS lat, ST_X(geom) AS lon FROM reports WHERE id = $1', [
      help.id,
    ]);
    expect(rows[0]).toEqual({ lat: exact.lat, lon: exact.lon });
  });
});

describe('GET /api/v1/reports/nearby', () => {
  const spot = { lat: -33.8688, lon: 151.2093 };
  let close: Feature;
  let further: Feature;
  beforeAll(async () => {
    further = await create({ category: 'kerb_missing', lat: spot.lat + 0.0003, lon: spot.lon });
    close = await create({ category: 'kerb_missing', lat: spot.lat + 0.0001, lon: spot.lon });
    await create({ category: 'surface', lat: spot.lat, lon: spot.lon }); // other category
    await create({ category: 'kerb_missing', lat: spot.lat + 0.01, lon: spot.lon }); // ~1 km away
    const done = await create({ category: 'kerb_missing', lat: spot.lat, lon: spot.lon });
    await setStatus(done.id, 'resolved');
  });

  it('lists open reports of the category within the radius, nearest first, with distances', async () => {
    const res = await request(t.app).get(
      `/api/v1/reports/nearby?lat=${spot.lat}&lon=${spot.lon}&radius_m=50&category=kerb_missing`,
    );
    expect(res.status).toBe(200);
    expect(res.body.features.map((f: Feature) => f.id)).toEqual([close.id, further.id]);
    expect(res.body.features[0].properties.distance_m).toBe(11);
    expect(res.body.features[1].properties.distance_m).toBe(33);
  });

  it('refuses a bad radius', async () => {
    const res = await request(t.app).get(`/api/v1/reports/nearby?lat=1&lon=1&radius_m=-5`);
    expect(res.status).toBe(422);
    expect(res.body.errors[0].field).toBe('radius_m');
  });
});

describe('POST /api/v1/reports/{id}/confirmations', () => {
  it('counts "still there" and "gone"', async () => {
    const made = await create({ category: 'obstacle', lat: 5, lon: 5 });
    const url = `/api/v1/reports/${made.id}/confirmations`;
    await request(t.app).post(url).send({ type: 'still_there' }).expect(201);
    const res = await request(t.app).post(url).send({ type: 'gone' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ report_id: made.id, confirmations: { still_there: 1, gone: 1 }, counted: true });
    const read = await request(t.app).get(`/api/v1/reports/${made.id}`);
    expect(read.body.properties.confirmations).toEqual({ still_there: 1, gone: 1 });
  });

  it('refuses an unknown type and an unknown report', async () => {
    const made = await create({ category: 'obstacle', lat: 5, lon: 5 });
    const bad = await request(t.app).post(`/api/v1/reports/${made.id}/confirmations`).send({ type: 'maybe' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].field).toBe('type');
    const missing = await request(t.app).post('/api/v1/reports/999999/confirmations').send({ type: 'gone' });
    expect(missing.status).toBe(404);
  });
});
