// Duplicates leave the public map (issue 13): a report staff marked a duplicate of another is
// not drawn in public tiles or clusters at any zoom, before and after the cluster cells are
// refreshed, unless a filter asks for duplicates by name. It stays public as a report (its page,
// its duplicate_of link); staff maps still show it.
import request from 'supertest';
import { refreshCells } from '../../server/features/tiles/tiles.repo';
import { startTestApp, type TestApp } from './support/test-app';
import { getTile, tileOf, type TileFeature } from './support/tiles';

jest.setTimeout(60_000);

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});

afterAll(async () => {
  await t?.close();
});

const spot = { lon: 9.9901, lat: 53.5501 };
const sum = (features: TileFeature[]) => features.reduce((n, f) => n + Number(f.properties.count ?? 1), 0);
const tileCount = async (z: number, query = '') => {
  const { x, y } = tileOf(spot.lon, spot.lat, z);
  return sum(await getTile(t, z, x, y, query));
};
const clusterCount = async (z: number, query = '') => {
  const bbox = [spot.lon - 0.05, spot.lat - 0.05, spot.lon + 0.05, spot.lat + 0.05].join(',');
  const res = await request(t.app).get(`/api/v1/clusters?bbox=${bbox}&zoom=${z}${query}`).expect(200);
  return (res.body.features as { properties: { count: number } }[]).reduce((n, f) => n + f.properties.count, 0);
};

test('a duplicate is not on the public map at any zoom, but its report stays public', async () => {
  const original = await request(t.app)
    .post('/api/v1/reports')
    .send({ category: 'steps', ...spot })
    .expect(201);
  const repeat = await request(t.app)
    .post('/api/v1/reports')
    .send({ category: 'steps', lon: spot.lon + 0.00002, lat: spot.lat })
    .expect(201);
  await refreshCells(t.pool);
  for (const z of [4, 10, 16]) expect(await tileCount(z)).toBe(2);
  expect(await clusterCount(8)).toBe(2);

  await t.pool.query(`UPDATE reports SET status = 'duplicate', duplicate_of = $2 WHERE id = $1`, [
    repeat.body.id,
    original.body.id,
  ]);
  // Before the cells are refreshed (pending changes) and after.
  for (const refreshed of [false, true]) {
    if (refreshed) await refreshCells(t.pool);
    for (const z of [4, 10, 16]) expect(await tileCount(z)).toBe(1);
    expect(await clusterCount(8)).toBe(1);
    expect(await clusterCount(12)).toBe(1);
  }
  // Asked for by name, duplicates are there; the report itself is still public.
  expect(await tileCount(16, '?status=duplicate')).toBe(1);
  expect(await clusterCount(8, '&status=duplicate')).toBe(1);
  const page = await request(t.app).get(`/api/v1/reports/${repeat.body.id}`).expect(200);
  expect(page.body.properties.status).toBe('duplicate');
  expect(page.body.properties.duplicate_of).toBe(original.body.id);
});
