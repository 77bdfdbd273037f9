import request from 'supertest';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(60_000);

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

it('GET /healthz reports the database', async () => {
  const res = await request(t.app).get('/healthz');
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ status: 'ok', database: process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded' });
});

it('GET /api/v1/categories lists the whole taxonomy in three languages', async () => {
  const res = await request(t.app).get('/api/v1/categories');
  expect(res.status).toBe(200);
  const categories = res.body.categories as { code: string; kind: string; labels: Record<string, string> }[];
  expect(categories).toHaveLength(24);
  expect(categories.filter((c) => c.kind === 'barrier')).toHaveLength(16);
  expect(categories.filter((c) => c.kind === 'help').map((c) => c.code)).toEqual([
    'help_assist',
    'help_evacuation',
    'help_medical',
    'help_equipment',
    'help_shelter',
    'help_food_water',
    'help_info',
    'help_other',
  ]);
  for (const c of categories) {
    expect(Object.keys(c.labels).sort()).toEqual(['de', 'en', 'fr']);
    expect(Object.values(c.labels).every((l) => l.length > 1)).toBe(true);
  }
  expect(categories.find((c) => c.code === 'steps')).toMatchObject({
    labels: { en: 'Steps, no ramp', de: 'Stufen ohne Rampe', fr: 'Marches sans rampe' },
    project_sidewalk: 'Obstacle: stairs',
  });
});

it('GET /api/v1/config gives the basemap', async () => {
  const res = await request(t.app).get('/api/v1/config');
  expect(res.body).toEqual({
    tile_url: 'http://127.0.0.1:9/{z}/{x}/{y}.png',
    tile_attribution: 'test',
    help_grid_m: 500,
    // No GEOCODER_URL in tests: the app does not offer an address search.
    address_search: false,
  });
});

it('answers an unknown path with a problem, and sets security headers', async () => {
  const res = await request(t.app).get('/api/v1/nothing-here');
  expect(res.status).toBe(404);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(res.headers['content-security-policy']).toContain('img-src');
  expect(res.headers['x-request-id']).toBe(res.body.request_id);
});

it('serves no file for a photo name that is not a content hash', async () => {
  expect((await request(t.app).get('/photos/..%2F..%2Fetc%2Fpasswd')).status).toBe(404);
  expect((await request(t.app).get(`/photos/${'a'.repeat(64)}.jpg`)).status).toBe(404);
});

it('keeps the database connection usable after a failed statement inside a transaction', async () => {
  const { withTransaction } = await import('../../server/db/transaction');
  await expect(
    withTransaction(t.pool, async (client) => {
      await client.query('SELECT 1');
      await client.query('INSERT INTO report_history (report_id, actor_id, action) VALUES ($1, $2, $3)', [
        -1,
        'x',
        'y',
      ]);
    }),
  ).rejects.toThrow();
  const { rows } = await t.pool.query<{ one: number }>('SELECT 1 AS one');
  expect(rows[0]!.one).toBe(1);
});

it('survives a statement the database cannot even plan', async () => {
  await expect(t.pool.query('SELECT no_such_column FROM reports WHERE id = $1', [1])).rejects.toThrow(/no_such_column/);
  const { rows } = await t.pool.query<{ one: number }>('SELECT 1 AS one');
  expect(rows[0]!.one).toBe(1);
});

it('survives a type error found while planning, inside a transaction', async () => {
  const { withTransaction } = await import('../../server/db/transaction');
  await expect(
    withTransaction(t.pool, (client) =>
      client.query(
        `WITH x AS (SELECT 1 AS id) INSERT INTO report_history (report_id, actor_id, action) SELECT id, $1, 'y' FROM x`,
        ['7'],
      ),
    ),
  ).rejects.toThrow();
  const { rows } = await t.pool.query<{ one: number }>('SELECT 1 AS one');
  expect(rows[0]!.one).toBe(1);
});
