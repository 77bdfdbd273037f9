// A report's channel (`source`, issue 15 part 7) is a filter wherever category and status are
// (the list, the exports, OGC API items and its CQL2, the staff list), an unknown channel is
// refused naming `source` as an unknown status is, and the overview counts reports by channel.
import request from 'supertest';
import { parseCsv, text } from './support/csv';
import { loginAs, type StaffAgent } from './support/staff';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(60_000);

let t: TestApp;
let coordinator: StaffAgent;
/** Three by web, two by SMS, one by Telegram: ids by channel. */
const made: Record<'web' | 'sms' | 'telegram', number[]> = { web: [], sms: [], telegram: [] };
const BBOX = '30,-30,30.1,-29.9';

beforeAll(async () => {
  t = await startTestApp();
  coordinator = await loginAs(t, 'coordinator');
  const channels = ['web', 'sms', 'web', 'telegram', 'sms', 'web'] as const;
  for (const [i, source] of channels.entries()) {
    const res = await request(t.app)
      .post('/api/v1/reports')
      .send({ category: 'steps', lat: -29.99 + i * 0.001, lon: 30.01 + i * 0.001, severity: 2 })
      .expect(201);
    const id = res.body.id as number;
    // The channels arrive through their own gateways; the data is the same row either way.
    if (source !== 'web') await t.pool.query('UPDATE reports SET source = $2 WHERE id = $1', [id, source]);
    made[source].push(id);
  }
});

afterAll(() => t.close());

interface Feature {
  id: number;
  properties: Record<string, unknown>;
}
const ids = (features: Feature[]) => features.map((f) => f.id).sort((a, b) => a - b);
const sorted = (...lists: number[][]) => lists.flat().sort((a, b) => a - b);

it('filters the public list by one channel or several', async () => {
  const sms = await request(t.app).get(`/api/v1/reports?bbox=${BBOX}&source=sms`).expect(200);
  expect(ids(sms.body.features)).toEqual(sorted(made.sms));
  expect(sms.body.features.every((f: Feature) => f.properties.source === 'sms')).toBe(true);
  const two = await request(t.app).get(`/api/v1/reports?bbox=${BBOX}&source=sms,telegram`).expect(200);
  expect(ids(two.body.features)).toEqual(sorted(made.sms, made.telegram));
  const all = await request(t.app).get(`/api/v1/reports?bbox=${BBOX}`).expect(200);
  expect(all.body.features).toHaveLength(6);
});

it('filters the GeoJSON and CSV exports by channel', async () => {
  const geojson = await text(request(t.app).get('/api/v1/exports/reports.geojson?source=web'));
  expect(geojson.status).toBe(200);
  expect(ids(JSON.parse(geojson.body as string).features)).toEqual(sorted(made.web));
  const csv = await text(request(t.app).get('/api/v1/exports/reports.csv?source=telegram,sms'));
  expect(csv.status).toBe(200);
  const [head, ...rows] = parseCsv(csv.body as string);
  const [id, source] = [head!.indexOf('id'), head!.indexOf('source')];
  expect(rows.map((r) => Number(r[id])).sort((a, b) => a - b)).toEqual(sorted(made.sms, made.telegram));
  expect(new Set(rows.map((r) => r[source]))).toEqual(new Set(['sms', 'telegram']));
});

it('filters OGC API items by channel, as a parameter and in CQL2, and names it a queryable', async () => {
  const one = await request(t.app).get('/ogc/collections/reports/items?source=telegram').expect(200);
  expect(ids(one.body.features)).toEqual(made.telegram);
  expect(one.body.features[0].properties.source).toBe('telegram');
  expect(one.body.numberMatched).toBe(1);
  const cql = encodeURIComponent("source IN ('sms', 'telegram')");
  const filtered = await request(t.app).get(`/ogc/collections/barriers/items?filter=${cql}`).expect(200);
  expect(ids(filtered.body.features)).toEqual(sorted(made.sms, made.telegram));
  const typo = await request(t.app).get(
    `/ogc/collections/reports/items?filter=${encodeURIComponent("source = 'fax'")}`,
  );
  expect(typo.status).toBe(400);
  const queryables = await request(t.app).get('/ogc/collections/reports/queryables').expect(200);
  expect(queryables.body.properties.source).toMatchObject({
    type: 'string',
    enum: ['web', 'open311', 'sms', 'telegram', 'import', 'staff'],
  });
});

it('filters the staff list by channel', async () => {
  const res = await coordinator.agent.get(`/api/v1/staff/reports?bbox=${BBOX}&source=sms&status=new`).expect(200);
  expect(ids(res.body.features)).toEqual(sorted(made.sms));
  expect(res.body.numberMatched).toBe(2);
});

it.each([
  ['/api/v1/reports', request],
  ['/api/v1/exports/reports.geojson', request],
  ['/api/v1/exports/reports.csv', request],
  ['/ogc/collections/reports/items', request],
  ['/api/v1/staff/reports', null],
])('refuses an unknown channel at %s as it refuses an unknown status, naming source', async (path, anonymous) => {
  const get = (q: string) => (anonymous ? anonymous(t.app).get(`${path}?${q}`) : coordinator.agent.get(`${path}?${q}`));
  const status = await get('status=lost');
  const res = await get('source=bogus');
  expect(status.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBe(status.status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body.errors).toEqual([
    { field: 'source', detail: 'must be one of web, open311, sms, telegram, import, staff' },
  ]);
  const mixed = await get('source=web,fax');
  expect(mixed.body.errors.map((e: { field: string }) => e.field)).toEqual(['source']);
});

it('counts the reports created in the period by channel on the overview', async () => {
  // One more, created long before the period: not counted.
  await t.pool.query(`UPDATE reports SET created_at = now() - interval '60 days' WHERE id = $1`, [made.web[0]]);
  const res = await coordinator.agent.get('/api/v1/overview?days=30').expect(200);
  expect(res.body.by_source).toEqual([
    { source: 'sms', count: 2 },
    { source: 'web', count: 2 },
    { source: 'telegram', count: 1 },
  ]);
  const all = await coordinator.agent.get('/api/v1/overview?days=366').expect(200);
  expect(all.body.by_source[0]).toEqual({ source: 'web', count: 3 });
  const total = (res.body.by_source as { count: number }[]).reduce((n, r) => n + r.count, 0);
  expect(total).toBe(res.body.created);
});
