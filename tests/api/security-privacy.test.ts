// Someone hunting vulnerable people asks every public channel about one help request: where
// exactly is it, who sent it, how to reach them. Every answer must be "only its coarse cell"
// and "nobody knows" (DESIGN.md, Privacy). Staff, and only staff, see the exact point. (The
// page /reports/{id} is the static app shell; it reads /api/v1/reports/{id}, checked here.)
import request from 'supertest';
import { TILE_EXTENT } from '../../server/features/tiles/tiles.grid';
import { refreshCells } from '../../server/features/tiles/tiles.repo';
import { metres, publicReads, readAll } from './support/privacy-channels';
import { loginAs } from './support/staff';
import { startTestApp, type TestApp } from './support/test-app';
import { featureLonLat, getTile, tileOf } from './support/tiles';

jest.setTimeout(120_000);

const EXACT = { lat: 50.937321, lon: 6.958134 }; // Cologne; digits nobody else uses
const CONTACT = 'call-me-0171-4711-secret@example.org';
const ADDRESS = 'Hohe Straße 77, 2nd floor, flat 5';
const DESCRIPTION = 'I cannot leave my flat, the lift is out and I use a wheelchair';

let t: TestApp;
let helpId: number;
let barrierId: number;
let snapped: [number, number];

/** What must never appear in a public answer: the contact, the address, the exact digits. */
function expectNothingPrivate(text: string): void {
  expect(text).not.toContain(CONTACT);
  expect(text).not.toContain(ADDRESS);
  expect(text).not.toContain(String(EXACT.lat).slice(0, 7)); // 50.9373
  expect(text).not.toContain(String(EXACT.lon).slice(0, 6)); // 6.9581
}

const tiny = (d: number) => `${EXACT.lon - d},${EXACT.lat - d},${EXACT.lon + d},${EXACT.lat + d}`;

beforeAll(async () => {
  t = await startTestApp();
  const help = await request(t.app)
    .post('/api/v1/reports')
    .send({ category: 'help_assist', ...EXACT, contact: CONTACT, address: ADDRESS, description: DESCRIPTION })
    .expect(201);
  helpId = help.body.id;
  snapped = help.body.geometry.coordinates;
  const barrier = await request(t.app)
    .post('/api/v1/reports')
    .send({
      category: 'steps',
      lat: EXACT.lat + 0.01,
      lon: EXACT.lon + 0.01,
      contact: CONTACT,
      address: 'Domkloster 4',
    })
    .expect(201);
  barrierId = barrier.body.id;
  await refreshCells(t.pool);
});
afterAll(() => t.close());

it('publishes the help request on a cell centre far enough from the exact point for this test to mean something', () => {
  expect(metres(snapped, [EXACT.lon, EXACT.lat])).toBeGreaterThan(60);
  expectNothingPrivate(JSON.stringify(snapped));
});

it('staff see the exact point and the contact (so the withholding below is deliberate)', async () => {
  const staff = await loginAs(t, 'coordinator');
  const res = await staff.agent.get(`/api/v1/staff/reports/${helpId}`).expect(200);
  expect(res.body.geometry.coordinates).toEqual([EXACT.lon, EXACT.lat]);
  expect(res.body.properties.contact).toBe(CONTACT);
});

it('no public channel holds the contact, address or exact coordinate', async () => {
  // support/privacy-channels.ts: every public read of report data, the way a hunter would ask.
  const clusters = { channel: 'clusters', path: `/api/v1/clusters?bbox=${tiny(0.002)}&zoom=18` };
  for (const answer of await readAll(t, [...publicReads([helpId, barrierId], [EXACT]), clusters])) {
    expect([answer.channel, answer.status < 500]).toEqual([answer.channel, true]);
    expectNothingPrivate(answer.text);
  }
});

it('a tiny bbox or radius around the exact point does not even reveal that a help request is there', async () => {
  const inBbox = await request(t.app)
    .get(`/api/v1/reports?bbox=${tiny(0.0002)}`)
    .expect(200);
  expect(inBbox.body.features.map((f: { id: number }) => f.id)).not.toContain(helpId);
  const near = await request(t.app).get(`/api/v1/reports/nearby?lat=${EXACT.lat}&lon=${EXACT.lon}&radius_m=50`);
  expect(near.status).toBe(200);
  expect(JSON.stringify(near.body)).not.toContain(`"id":${helpId}`);
  const ogc = await request(t.app)
    .get(`/ogc/collections/reports/items?bbox=${tiny(0.0002)}`)
    .expect(200);
  expect(ogc.body.features.map((f: { id: number }) => f.id)).not.toContain(helpId);
});

it('no tile at any zoom places anything with help in it near the exact point', async () => {
  for (let z = 0; z <= 20; z++) {
    const { x, y } = tileOf(EXACT.lon, EXACT.lat, z);
    for (const f of await getTile(t, z, x, y)) {
      const text = JSON.stringify(f.properties);
      expectNothingPrivate(text);
      // Clusters sit on the mean of their reports' public points; one made of the help
      // request alone sits on exactly its public point, a single report too.
      const onlyHelp =
        f.id === helpId || (Number(f.properties.count_help ?? 0) > 0 && f.properties.count === f.properties.count_help);
      if (!onlyHelp) continue;
      const where = featureLonLat(z, x, y, f.point);
      // A tile point is exact to 1/4096 of the tile; closer to the exact point than to the
      // cell centre would betray it.
      const resolution = (40_075_000 / 2 ** z / TILE_EXTENT) * 2;
      expect(metres(where, [EXACT.lon, EXACT.lat]) + resolution).toBeGreaterThanOrEqual(metres(where, snapped));
    }
  }
});

it('errors do not echo what was sent', async () => {
  const bad = await request(t.app)
    .post('/api/v1/reports')
    .send({ category: 'help_assist', lat: 'north', lon: EXACT.lon, contact: CONTACT, address: ADDRESS });
  expect(bad.status).toBe(422);
  expectNothingPrivate(bad.text);
  const tooLong = await request(t.app)
    .post('/api/v1/reports')
    .send({ category: 'help_assist', ...EXACT, contact: `${CONTACT}${'x'.repeat(5000)}` });
  expect(tooLong.status).toBe(422);
  expect(tooLong.text).not.toContain(CONTACT);
  const anonymousPatch = await request(t.app).patch(`/api/v1/reports/${helpId}`).send({ status: 'verified' });
  expect(anonymousPatch.status).toBe(401);
  expectNothingPrivate(anonymousPatch.text);
  const history = await request(t.app).get(`/api/v1/reports/${helpId}/history`);
  expect(history.status).toBe(401);
  expectNothingPrivate(history.text);
  const events = await request(t.app).get('/api/v1/events');
  expect(events.status).toBe(401);
});
