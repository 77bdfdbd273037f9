// The authorization matrix: every staff endpoint × (anonymous, responder, coordinator, admin).
import request from 'supertest';
import { solidPng } from '../fixtures/images';
import { createReport, loginAs, makeStaff, makeTeam, type StaffAgent } from './support/staff';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(120_000);

type Who = 'anonymous' | 'responder' | 'coordinator' | 'admin';
type Method = 'get' | 'post' | 'patch';

interface Case {
  name: string;
  method: Method;
  /** Makes what the request needs (a fresh report…) and returns its path and body. */
  setup: () => Promise<{ path: string; body?: object; photo?: boolean }>;
  allowed: Who[];
  okStatus: number;
}

let t: TestApp;
const agents = {} as Record<Exclude<Who, 'anonymous'>, StaffAgent>;
let teamId: number;

beforeAll(async () => {
  t = await startTestApp();
  teamId = await makeTeam(t);
  agents.responder = await loginAs(t, 'responder', { teamId });
  agents.coordinator = await loginAs(t, 'coordinator');
  agents.admin = await loginAs(t, 'admin');
});
afterAll(() => t.close());

const area = {
  type: 'Polygon',
  coordinates: [
    [
      [13.3, 52.4],
      [13.5, 52.4],
      [13.5, 52.6],
      [13.3, 52.6],
      [13.3, 52.4],
    ],
  ],
};
const fresh = async (path: (id: number) => string, body?: object) => ({ path: path(await createReport(t)), body });
const ALL_STAFF: Who[] = ['responder', 'coordinator', 'admin'];
const MANAGERS: Who[] = ['coordinator', 'admin'];

const cases: Case[] = [
  {
    name: 'GET /api/v1/auth/me',
    method: 'get',
    setup: async () => ({ path: '/api/v1/auth/me' }),
    allowed: ALL_STAFF,
    okStatus: 200,
  },
  {
    name: 'GET /api/v1/users',
    method: 'get',
    setup: async () => ({ path: '/api/v1/users' }),
    allowed: ['admin'],
    okStatus: 200,
  },
  {
    name: 'POST /api/v1/users',
    method: 'post',
    setup: async () => ({
      path: '/api/v1/users',
      body: {
        email: `u${Math.random().toString(36).slice(2)}@example.org`,
        role: 'responder',
        password: 'long enough password',
      },
    }),
    allowed: ['admin'],
    okStatus: 201,
  },
  {
    name: 'PATCH /api/v1/users/{id}',
    method: 'patch',
    setup: async () => ({ path: `/api/v1/users/${(await makeStaff(t, 'responder')).id}`, body: { name: 'Renamed' } }),
    allowed: ['admin'],
    okStatus: 200,
  },
  {
    name: 'GET /api/v1/staff/users',
    method: 'get',
    setup: async () => ({ path: '/api/v1/staff/users' }),
    allowed: MANAGERS,
    okStatus: 200,
  },
  {
    name: 'GET /api/v1/teams',
    method: 'get',
    setup: async () => ({ path: '/api/v1/teams' }),
    allowed: ALL_STAFF,
    okStatus: 200,
  },
  {
    name: 'POST /api/v1/teams',
    method: 'post',
    setup: async () => ({ path: '/api/v1/teams', body: { name: `Team ${Math.random().toString(36).slice(2)}` } }),
    allowed: MANAGERS,
    okStatus: 201,
  },
  {
    name: 'GET /api/v1/staff/reports',
    method: 'get',
    setup: async () => ({ path: '/api/v1/staff/reports' }),
    allowed: MANAGERS,
    okStatus: 200,
  },
  {
    name: 'GET /api/v1/staff/reports/{id}',
    method: 'get',
    setup: () => fresh((id) => `/api/v1/staff/reports/${id}`),
    allowed: ALL_STAFF,
    okStatus: 200,
  },
  {
    name: 'GET /api/v1/reports/{id}/history',
    method: 'get',
    setup: () => fresh((id) => `/api/v1/reports/${id}/history`),
    allowed: ALL_STAFF,
    okStatus: 200,
  },
  {
    name: 'PATCH /api/v1/reports/{id} (not assigned to the responder)',
    method: 'patch',
    setup: () => fresh((id) => `/api/v1/reports/${id}`, { status: 'verified' }),
    allowed: MANAGERS,
    okStatus: 200,
  },
  {
    name: 'POST /api/v1/reports/bulk',
    method: 'post',
    setup: async () => ({
      path: '/api/v1/reports/bulk',
      body: { ids: [await createReport(t)], changes: { status: 'verified' } },
    }),
    allowed: MANAGERS,
    okStatus: 200,
  },
  {
    name: 'POST /api/v1/reports/{id}/notes',
    method: 'post',
    setup: () => fresh((id) => `/api/v1/reports/${id}/notes`, { body: 'Checked by phone' }),
    allowed: MANAGERS,
    okStatus: 201,
  },
  {
    name: 'POST /api/v1/reports/{id}/photos',
    method: 'post',
    setup: async () => ({ path: `/api/v1/reports/${await createReport(t)}/photos`, photo: true }),
    allowed: MANAGERS,
    okStatus: 201,
  },
  {
    name: 'GET /api/v1/my/assignments',
    method: 'get',
    setup: async () => ({ path: '/api/v1/my/assignments' }),
    allowed: ALL_STAFF,
    okStatus: 200,
  },
  {
    name: 'GET /tiles/staff/{z}/{x}/{y}.mvt',
    method: 'get',
    setup: async () => ({ path: '/tiles/staff/0/0/0.mvt' }),
    allowed: ALL_STAFF,
    okStatus: 200,
  },
  {
    name: 'GET /api/v1/staff/clusters',
    method: 'get',
    setup: async () => ({ path: '/api/v1/staff/clusters?bbox=13,52,14,53&zoom=8' }),
    allowed: ALL_STAFF,
    okStatus: 200,
  },
  {
    name: 'GET /api/v1/hotspots',
    method: 'get',
    setup: async () => ({ path: '/api/v1/hotspots?bbox=13,52,14,53' }),
    allowed: MANAGERS,
    okStatus: 200,
  },
  {
    name: 'GET /api/v1/deployments',
    method: 'get',
    setup: async () => ({ path: '/api/v1/deployments' }),
    allowed: ALL_STAFF,
    okStatus: 200,
  },
  {
    name: 'POST /api/v1/deployments',
    method: 'post',
    setup: async () => ({ path: '/api/v1/deployments', body: { name: 'Mitte', team_id: teamId, area } }),
    allowed: MANAGERS,
    okStatus: 201,
  },
  {
    name: 'GET /api/v1/overview',
    method: 'get',
    setup: async () => ({ path: '/api/v1/overview' }),
    allowed: MANAGERS,
    okStatus: 200,
  },
];

const WHO: Who[] = ['anonymous', 'responder', 'coordinator', 'admin'];

async function send(c: Case, who: Who, withCsrf = true): Promise<request.Response> {
  const { path, body, photo } = await c.setup();
  const staff = who === 'anonymous' ? undefined : agents[who];
  const client = staff ? staff.agent : request(t.app);
  let req = client[c.method](path);
  if (staff && withCsrf) req = req.set('X-CSRF-Token', staff.csrf);
  if (photo) return req.attach('photos', await solidPng(64, 48), 'fixed.png');
  return body ? req.send(body) : req;
}

describe.each(cases)('$name', (c) => {
  it.each(WHO)('as %s', async (who) => {
    const expected = c.allowed.includes(who) ? c.okStatus : who === 'anonymous' ? 401 : 403;
    const res = await send(c, who);
    expect(res.status).toBe(expected);
    if (expected >= 400) expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  if (c.method !== 'get') {
    it('refuses an allowed role without the CSRF token', async () => {
      const res = await send(c, c.allowed[0]!, false);
      expect(res.status).toBe(403);
      expect(res.body.errors[0].field).toBe('X-CSRF-Token');
    });
  }
});

it('GET /api/v1/events needs a staff session', async () => {
  expect((await request(t.app).get('/api/v1/events')).status).toBe(401);
});
