// The authorization matrix's cases: every staff route × who may use it. authz.test.ts runs
// them; routes-coverage.test.ts checks that every route the app registers is either here or
// on its list of public routes.
import crypto from 'node:crypto';
import { createApiKey } from '../../../server/features/apikeys/apikeys.service';
import request from 'supertest';
import { twoColourJpeg } from '../../fixtures/images';
import { createReport, makeStaff } from './staff';
import type { TestApp } from './test-app';

export type Who = 'anonymous' | 'responder' | 'coordinator' | 'admin';
export type Staff = Exclude<Who, 'anonymous'>;
export type Method = 'get' | 'post' | 'patch' | 'delete';

export interface Prepared {
  path: string;
  body?: object;
  photo?: boolean;
}

export interface AuthzCase {
  /** The route as the app registers it: `METHOD /express/path/:param`. */
  route: string;
  /** Which situation of the route this case is, when a route has more than one. */
  situation?: string;
  method: Method;
  /** Makes what the request needs (a fresh report…) and returns its path and body. */
  setup: () => Promise<Prepared>;
  allowed: Who[];
  okStatus: number;
  /** Ends the session it is sent with: sent with a session of its own. */
  endsSession?: boolean;
  /** A Server-Sent Events stream: judged by its status line, then hung up. */
  stream?: boolean;
  /** Staff the report is outside the scope of (triage.scope.ts): 404, as if it did not exist. */
  notFoundFor?: Who[];
}

export interface AuthzContext {
  t: TestApp;
  /** The responder's team. */
  teamId: number;
  /** A team the responder is not in. */
  otherTeamId: number;
  /** The user id of a logged-in admin (creator of API keys). */
  adminId: number;
}

export const ALL_STAFF: Who[] = ['responder', 'coordinator', 'admin'];
export const MANAGERS: Who[] = ['coordinator', 'admin'];
export const WHO: Who[] = ['anonymous', 'responder', 'coordinator', 'admin'];

export const caseName = (c: Pick<AuthzCase, 'route' | 'situation'>) =>
  c.situation ? `${c.route} (${c.situation})` : c.route;

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
const unique = () => crypto.randomBytes(4).toString('hex');

/** A citizen's barrier with one photo (each a different one, so redacting one leaves the others). */
async function reportWithPhoto(t: TestApp): Promise<number> {
  const res = await request(t.app)
    .post('/api/v1/reports')
    .field('category', 'steps')
    .field('lat', '52.52')
    .field('lon', '13.405')
    .field('severity', '2')
    .attach('photos', await twoColourJpeg(200 + crypto.randomInt(200), 100), 'steps.jpg');
  if (res.status !== 201) throw new Error(`report failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as number;
}

/** `ctx` is only called when a case is set up, so the list can be read without an app. */
export function authzCases(ctx: () => AuthzContext): AuthzCase[] {
  const fresh = async (path: (id: number) => string, body?: object) => ({
    path: path(await createReport(ctx().t)),
    body,
  });
  /** A new report, assigned to the responder's team or to another one. */
  const assigned = async (team: 'own' | 'other', path: (id: number) => string, body?: object) => {
    const id = await createReport(ctx().t);
    await ctx().t.pool.query(`UPDATE reports SET status = 'assigned', assigned_team_id = $2 WHERE id = $1`, [
      id,
      team === 'own' ? ctx().teamId : ctx().otherTeamId,
    ]);
    return { path: path(id), body };
  };
  /** A route on a report: a case for a report of the responder's team and one of another team. */
  const onReport = (
    route: string,
    method: Method,
    path: (id: number) => string,
    own: { allowed: Who[]; body?: object; photo?: boolean },
    okStatus: number,
  ): AuthzCase[] =>
    (['own', 'other'] as const).map((team) => ({
      route,
      situation: team === 'own' ? "assigned to the responder's team" : 'assigned to another team',
      method,
      setup: async () => ({ ...(await assigned(team, path, own.body)), photo: own.photo }),
      allowed: team === 'own' ? own.allowed : MANAGERS,
      okStatus,
      notFoundFor: team === 'own' ? [] : ['responder'],
    }));
  /** A message waiting in the inbox (as a gateway would have left it). */
  const inboxMessage = async () => {
    const { rows } = await ctx().t.pool.query<{ id: string }>(
      `INSERT INTO inbound_messages (channel, gateway, external_id, sender, body)
       VALUES ('sms', 'twilio', $1, '+4930123456', 'Steps at the station') RETURNING id`,
      [crypto.randomUUID()],
    );
    return Number(rows[0]!.id);
  };
  const get = (route: string, allowed: Who[], path = route.slice('GET '.length)): AuthzCase => ({
    route,
    method: 'get',
    setup: async () => ({ path }),
    allowed,
    okStatus: 200,
  });

  return [
    get('GET /api/v1/auth/me', ALL_STAFF),
    {
      route: 'POST /api/v1/auth/logout',
      method: 'post',
      setup: async () => ({ path: '/api/v1/auth/logout' }),
      allowed: ALL_STAFF,
      okStatus: 204,
      endsSession: true,
    },
    get('GET /api/v1/users', ['admin']),
    {
      route: 'POST /api/v1/users',
      method: 'post',
      setup: async () => ({
        path: '/api/v1/users',
        body: { email: `u${unique()}@example.org`, role: 'responder', password: 'long enough password' },
      }),
      allowed: ['admin'],
      okStatus: 201,
    },
    {
      route: 'PATCH /api/v1/users/:id',
      method: 'patch',
      setup: async () => ({
        path: `/api/v1/users/${(await makeStaff(ctx().t, 'responder')).id}`,
        body: { name: 'Renamed' },
      }),
      allowed: ['admin'],
      okStatus: 200,
    },
    get('GET /api/v1/staff/users', MANAGERS),
    get('GET /api/v1/teams', ALL_STAFF),
    {
      route: 'POST /api/v1/teams',
      method: 'post',
      setup: async () => ({ path: '/api/v1/teams', body: { name: `Team ${unique()}` } }),
      allowed: MANAGERS,
      okStatus: 201,
    },
    get('GET /api/v1/staff/reports', ALL_STAFF),
    ...onReport(
      'GET /api/v1/staff/reports/:id',
      'get',
      (id) => `/api/v1/staff/reports/${id}`,
      { allowed: ALL_STAFF },
      200,
    ),
    {
      route: 'GET /api/v1/staff/reports/:id',
      situation: 'assigned to nobody',
      method: 'get',
      setup: () => fresh((id) => `/api/v1/staff/reports/${id}`),
      allowed: MANAGERS,
      okStatus: 200,
      notFoundFor: ['responder'],
    },
    ...onReport(
      'GET /api/v1/reports/:id/history',
      'get',
      (id) => `/api/v1/reports/${id}/history`,
      { allowed: ALL_STAFF },
      200,
    ),
    {
      route: 'PATCH /api/v1/reports/:id',
      situation: 'assigned to nobody',
      method: 'patch',
      setup: () => fresh((id) => `/api/v1/reports/${id}`, { status: 'verified' }),
      allowed: MANAGERS,
      okStatus: 200,
      notFoundFor: ['responder'],
    },
    ...onReport(
      'PATCH /api/v1/reports/:id',
      'patch',
      (id) => `/api/v1/reports/${id}`,
      { allowed: ALL_STAFF, body: { status: 'in_progress' } },
      200,
    ),
    {
      route: 'PATCH /api/v1/reports/:id',
      situation: "assigned to the responder's team, a change responders may not make",
      method: 'patch',
      setup: () => assigned('own', (id) => `/api/v1/reports/${id}`, { severity: 1 }),
      allowed: MANAGERS,
      okStatus: 200,
    },
    {
      route: 'POST /api/v1/reports/bulk',
      method: 'post',
      setup: async () => ({
        path: '/api/v1/reports/bulk',
        body: { ids: [await createReport(ctx().t)], changes: { status: 'verified' } },
      }),
      allowed: MANAGERS,
      okStatus: 200,
    },
    ...onReport(
      'POST /api/v1/reports/:id/notes',
      'post',
      (id) => `/api/v1/reports/${id}/notes`,
      { allowed: ALL_STAFF, body: { body: 'Checked by phone' } },
      201,
    ),
    ...onReport(
      'POST /api/v1/reports/:id/photos',
      'post',
      (id) => `/api/v1/reports/${id}/photos`,
      { allowed: ALL_STAFF, photo: true },
      201,
    ),
    get('GET /api/v1/my/assignments', ALL_STAFF),
    {
      route: 'GET /api/v1/events',
      method: 'get',
      setup: async () => ({ path: '/api/v1/events' }),
      allowed: ALL_STAFF,
      okStatus: 200,
      stream: true,
    },
    get('GET /tiles/staff/:z/:x/:y.mvt', ALL_STAFF, '/tiles/staff/0/0/0.mvt'),
    get('GET /api/v1/staff/clusters', ALL_STAFF, '/api/v1/staff/clusters?bbox=13,52,14,53&zoom=8'),
    get('GET /api/v1/hotspots', MANAGERS, '/api/v1/hotspots?bbox=13,52,14,53'),
    get('GET /api/v1/deployments', ALL_STAFF),
    {
      route: 'POST /api/v1/deployments',
      method: 'post',
      setup: async () => ({ path: '/api/v1/deployments', body: { name: 'Mitte', team_id: ctx().teamId, area } }),
      allowed: MANAGERS,
      okStatus: 201,
    },
    get('GET /api/v1/overview', MANAGERS),
    get('GET /api/v1/staff/moderation', MANAGERS),
    get('GET /api/v1/staff/inbox', MANAGERS),
    {
      route: 'GET /api/v1/staff/inbox/:id',
      method: 'get',
      setup: async () => ({ path: `/api/v1/staff/inbox/${await inboxMessage()}` }),
      allowed: MANAGERS,
      okStatus: 200,
    },
    {
      route: 'PATCH /api/v1/staff/inbox/:id',
      method: 'patch',
      setup: async () => ({ path: `/api/v1/staff/inbox/${await inboxMessage()}`, body: { state: 'spam' } }),
      allowed: MANAGERS,
      okStatus: 200,
    },
    {
      route: 'POST /api/v1/staff/inbox/file',
      method: 'post',
      setup: async () => ({
        path: '/api/v1/staff/inbox/file',
        body: { message_ids: [await inboxMessage()], lat: 52.5, lon: 13.4, category: 'steps' },
      }),
      allowed: MANAGERS,
      okStatus: 201,
    },
    {
      route: 'PATCH /api/v1/staff/reports/:id/publication',
      method: 'patch',
      setup: () => fresh((id) => `/api/v1/staff/reports/${id}/publication`, { review: 'published' }),
      allowed: MANAGERS,
      okStatus: 204,
    },
    {
      route: 'PATCH /api/v1/staff/reports/:id/photos/:position',
      method: 'patch',
      setup: async () => ({
        path: `/api/v1/staff/reports/${await reportWithPhoto(ctx().t)}/photos/0`,
        body: { state: 'hidden' },
      }),
      allowed: MANAGERS,
      okStatus: 204,
    },
    {
      route: 'POST /api/v1/staff/reports/:id/photos/:position/redactions',
      method: 'post',
      setup: async () => ({
        path: `/api/v1/staff/reports/${await reportWithPhoto(ctx().t)}/photos/0/redactions`,
        body: { regions: [{ x: 0.1, y: 0.1, width: 0.2, height: 0.2 }] },
      }),
      allowed: MANAGERS,
      okStatus: 204,
    },
    get('GET /api/v1/api-keys', ['admin']),
    {
      route: 'POST /api/v1/releases',
      method: 'post',
      setup: async () => {
        // One build at a time (a second is 409): wait for an earlier case's build to end.
        for (let i = 0; i < 200 && (await request(ctx().t.app).get('/releases/')).body.building; i++) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        return { path: '/api/v1/releases' };
      },
      allowed: ['admin'],
      okStatus: 202,
    },
    {
      route: 'POST /api/v1/api-keys',
      method: 'post',
      setup: async () => ({ path: '/api/v1/api-keys', body: { name: `Client ${unique()}` } }),
      allowed: ['admin'],
      okStatus: 201,
    },
    {
      route: 'DELETE /api/v1/api-keys/:id',
      method: 'delete',
      setup: async () => {
        const { apiKey } = await createApiKey(ctx().t.pool, { name: `Client ${unique()}`, createdBy: ctx().adminId });
        return { path: `/api/v1/api-keys/${apiKey.id}` };
      },
      allowed: ['admin'],
      okStatus: 204,
    },
    // Volunteers (issue 16): coordinators invite and manage them; staff read a report's checks.
    get('GET /api/v1/volunteers', MANAGERS),
    {
      route: 'POST /api/v1/volunteers/invitations',
      method: 'post',
      setup: async () => ({ path: '/api/v1/volunteers/invitations', body: { emails: [`v-${unique()}@example.org`] } }),
      allowed: MANAGERS,
      okStatus: 201,
    },
    {
      route: 'PATCH /api/v1/volunteers/:id',
      method: 'patch',
      setup: async () => ({
        path: `/api/v1/volunteers/${(await makeStaff(ctx().t, 'volunteer')).id}`,
        body: { disabled: true },
      }),
      allowed: MANAGERS,
      okStatus: 200,
    },
    ...onReport(
      'GET /api/v1/staff/reports/:id/volunteer-checks',
      'get',
      (id) => `/api/v1/staff/reports/${id}/volunteer-checks`,
      { allowed: ALL_STAFF },
      200,
    ),
  ];
}

/** The staff routes the matrix covers, as the app registers them. */
export const AUTHZ_ROUTES: ReadonlySet<string> = new Set(
  authzCases(() => {
    throw new Error('the list of routes sets nothing up');
  }).map((c) => c.route),
);
