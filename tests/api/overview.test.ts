// The overview follows its period (issue 13): every number counts only the chosen days, the
// median is of the reports resolved in them, and the period is a checked parameter.
import fc from 'fast-check';
import request from 'supertest';
import { loginAs, type StaffAgent } from './support/staff';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(60_000);

let t: TestApp;
let coordinator: StaffAgent;

beforeAll(async () => {
  t = await startTestApp();
  coordinator = await loginAs(t, 'coordinator');
  // created days ago, status, resolved days ago (null: not recorded), category
  const rows: [number, string, number | null, string][] = [
    [0, 'new', null, 'steps'],
    [2, 'verified', null, 'steps'],
    [3, 'resolved', 1, 'steps'], // resolved 48 h after it was reported
    [5, 'resolved', 5, 'surface'], // resolved the day it was reported (0 h)
    [20, 'new', null, 'surface'],
    [20, 'resolved', 10, 'steps'], // created before a week, resolved within 30 days (240 h)
    [100, 'resolved', 100, 'steps'], // outside 30 days
    [200, 'rejected', null, 'surface'],
  ];
  for (const [created, status, resolved, category] of rows) {
    await t.pool.query(
      `INSERT INTO reports (kind, category, severity, geom, public_geom, status, created_at, updated_at, resolved_at)
       SELECT 'barrier', $1, 2, p, p, $2, current_date - $3::int + interval '12 hours',
              current_date - $3::int + interval '12 hours',
              CASE WHEN $4::int IS NULL THEN NULL ELSE current_date - $4::int + interval '12 hours' END
         FROM (SELECT ST_SetSRID(ST_MakePoint(13.4, 52.5), 4326) AS p) x`,
      [category, status, created, resolved],
    );
  }
  // A resolved report imported without resolved_at: resolved at its last change (3 days ago).
  await t.pool.query(
    `INSERT INTO reports (kind, category, severity, geom, public_geom, status, created_at, updated_at)
     SELECT 'barrier', 'surface', 2, p, p, 'resolved', current_date - 40 + interval '12 hours',
            current_date - 3 + interval '12 hours'
       FROM (SELECT ST_SetSRID(ST_MakePoint(13.4, 52.5), 4326) AS p) x`,
  );
});

afterAll(async () => {
  await t.close();
});

const overview = (days?: string) =>
  coordinator.agent.get(`/api/v1/overview${days === undefined ? '' : `?days=${days}`}`);
const sum = (rows: { count: number }[]) => rows.reduce((n, r) => n + r.count, 0);
const ofStatus = (rows: { status: string; count: number }[], s: string) => sum(rows.filter((r) => r.status === s));

it('counts only the last 7 days', async () => {
  const res = await overview('7');
  expect(res.status).toBe(200);
  expect(res.body.period.days).toBe(7);
  expect(res.body.per_day).toHaveLength(7);
  expect(res.body.period.from).toBe(res.body.per_day[0].day);
  expect(res.body.period.to).toBe(res.body.per_day[6].day);
  // Created in 7 days: 0, 2, 3, 5 days ago.
  expect(res.body.created).toBe(4);
  expect(sum(res.body.by_category)).toBe(4);
  expect(ofStatus(res.body.by_category, 'resolved')).toBe(2);
  // Resolved in 7 days: 1 and 5 days ago, and the imported one 3 days ago.
  expect(res.body.resolved).toBe(3);
  expect(res.body.per_day.reduce((n: number, d: { resolved: number }) => n + d.resolved, 0)).toBe(3);
  // Hours to resolve: 0, 48 and 37 days × 24 = 888: the median is 48.
  expect(res.body.median_hours_to_resolve).toBe(48);
});

it('counts more over 30 days, and everything over a year', async () => {
  const month = await overview('30');
  expect(month.body.created).toBe(6);
  expect(sum(month.body.by_category)).toBe(6);
  expect(month.body.resolved).toBe(4);
  // 0, 48, 240, 888 hours: the median is 144.
  expect(month.body.median_hours_to_resolve).toBe(144);
  const year = await overview('366');
  expect(year.body.created).toBe(9);
  expect(sum(year.body.by_category)).toBe(9);
  expect(ofStatus(year.body.by_category, 'rejected')).toBe(1);
  expect(year.body.resolved).toBe(5);
  const fallback = await overview();
  expect(fallback.body.period.days).toBe(30);
  expect(fallback.body.created).toBe(6);
});

it('says nobody resolved anything only when nothing was', async () => {
  const today = await overview('1');
  expect(today.body.created).toBe(1);
  expect(today.body.resolved).toBe(0);
  expect(ofStatus(today.body.by_category, 'resolved')).toBe(0);
  expect(today.body.median_hours_to_resolve).toBeNull();
});

it.each([['0'], ['367'], ['-1'], ['7.5'], ['abc'], ['0007'], ['9'.repeat(60)], ['']])(
  'refuses days=%s naming days',
  async (days) => {
    const res = await overview(days);
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors).toEqual([{ field: 'days', detail: 'must be a whole number of days from 1 to 366' }]);
  },
);

it('refuses days given twice, and other parameters, naming them', async () => {
  const twice = await overview('7&days=30');
  expect(twice.status).toBe(422);
  expect(twice.body.errors[0]).toEqual({ field: 'days', detail: 'must be given once' });
  const other = await coordinator.agent.get('/api/v1/overview?from=2026-01-01');
  expect(other.status).toBe(422);
  expect(other.body.errors[0].field).toBe('from');
});

it('is for coordinators and admins only', async () => {
  expect((await request(t.app).get('/api/v1/overview?days=7')).status).toBe(401);
  const responder = await loginAs(t, 'responder');
  expect((await responder.agent.get('/api/v1/overview?days=7')).status).toBe(403);
});

it('answers any days value signed in with 200 or a 422 naming days, never more', async () => {
  const value = fc.oneof(
    fc.integer({ min: -1000, max: 1000 }).map(String),
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.constantFrom('1e2', '0x10', ' 7', '7 ', '+7', '٣', '７', '30;DROP TABLE reports', '%00', '[]'),
  );
  await fc.assert(
    fc.asyncProperty(value, async (days) => {
      const res = await coordinator.agent.get('/api/v1/overview').query({ days });
      if (res.status === 200) {
        expect(Number(days)).toBeGreaterThanOrEqual(1);
        expect(res.body.per_day).toHaveLength(res.body.period.days);
      } else {
        expect(res.status).toBe(422);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['days']);
      }
    }),
    { numRuns: 150, seed: 20_261_206 },
  );
});
