// The authorization matrix: every staff endpoint × (anonymous, responder, coordinator, admin),
// and CSRF for every state change: no token, a wrong one, or another session's, is refused and
// changes nothing; no GET changes anything. The cases are in support/authz-cases.ts.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { solidPng } from '../fixtures/images';
import { authzCases, caseName, WHO, type AuthzCase, type Prepared, type Staff, type Who } from './support/authz-cases';
import { loginAs, makeTeam, PASSWORD, type StaffAgent } from './support/staff';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(120_000);

let t: TestApp;
const agents = {} as Record<Staff, StaffAgent>;
/** A second session of each of the same users: its CSRF token must not work for the first. */
const otherSessions = {} as Record<Staff, StaffAgent>;
let teamId: number;
let otherTeamId: number;

/** Logs the same user in again: a session of its own, with a CSRF token of its own. */
async function loginAgain(staff: StaffAgent): Promise<StaffAgent> {
  const agent = request.agent(t.app);
  const res = await agent.post('/api/v1/auth/login').send({ email: staff.user.email, password: PASSWORD });
  if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
  const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? [])[0]!.split(';')[0]!;
  return { agent, csrf: res.body.csrf_token as string, cookie, user: res.body.user };
}

beforeAll(async () => {
  t = await startTestApp();
  teamId = await makeTeam(t);
  otherTeamId = await makeTeam(t);
  agents.responder = await loginAs(t, 'responder', { teamId });
  agents.coordinator = await loginAs(t, 'coordinator');
  agents.admin = await loginAs(t, 'admin');
  for (const role of ['responder', 'coordinator', 'admin'] as const)
    otherSessions[role] = await loginAgain(agents[role]);
});
afterAll(() => t.close());

const cases = authzCases(() => ({ t, teamId, otherTeamId, adminId: agents.admin.user.id }));

interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: { errors?: { field: string }[] } | undefined;
}

/** What the request carries as X-CSRF-Token. */
type Csrf = 'own' | 'none' | 'wrong' | 'other session';

/** Opens an event stream on a real socket, takes its status line and hangs up. */
async function openStream(path: string, cookie: string | undefined): Promise<Answer> {
  const server = http.createServer(t.app).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    return await new Promise<Answer>((resolve, reject) => {
      const req = http.get(
        {
          host: '127.0.0.1',
          port: (server.address() as AddressInfo).port,
          path,
          headers: cookie ? { Cookie: cookie } : {},
        },
        (res) => {
          const answer = { status: res.statusCode ?? 0, headers: res.headers, body: undefined };
          if (res.statusCode === 200) {
            req.destroy();
            return resolve(answer);
          }
          let data = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (data += chunk));
          res.on('end', () => resolve({ ...answer, body: JSON.parse(data) as Answer['body'] }));
        },
      );
      req.on('error', reject);
    });
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

async function send(c: AuthzCase, who: Who, csrf: Csrf = 'own', prepared?: Prepared): Promise<Answer> {
  const { path, body, photo } = prepared ?? (await c.setup());
  let staff = who === 'anonymous' ? undefined : agents[who];
  let other = who === 'anonymous' ? undefined : otherSessions[who];
  if (staff && c.endsSession) {
    other = staff;
    staff = await loginAgain(staff);
  }
  if (c.stream) return openStream(path, staff?.cookie);
  const client = staff ? staff.agent : request(t.app);
  let req = client[c.method](path);
  const token = {
    own: staff?.csrf,
    none: undefined,
    wrong: staff && crypto.randomBytes(32).toString('base64url'),
    'other session': other?.csrf,
  }[csrf];
  if (token) req = req.set('X-CSRF-Token', token);
  const res = photo
    ? await req.attach('photos', await solidPng(64, 48), 'fixed.png')
    : await (body ? req.send(body) : req);
  return { status: res.status, headers: res.headers, body: res.body as Answer['body'] };
}

describe.each(cases.map((c) => [caseName(c), c] as const))('%s', (_name, c) => {
  it.each(WHO)('as %s', async (who) => {
    const expected = c.allowed.includes(who)
      ? c.okStatus
      : who === 'anonymous'
        ? 401
        : c.notFoundFor?.includes(who)
          ? 404
          : 403;
    const res = await send(c, who);
    expect(res.status).toBe(expected);
    if (expected >= 400) expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  if (c.method !== 'get') {
    it.each(['none', 'wrong', 'other session'] as const)(
      'refuses an allowed role with CSRF token: %s',
      async (csrf) => {
        const res = await send(c, c.allowed[0]!, csrf);
        expect(res.status).toBe(403);
        expect(res.body?.errors?.[0]?.field).toBe('X-CSRF-Token');
      },
    );
  }
});

/** Every table of the product's data, as one digest (sessions and tile caches aside). */
async function snapshot(): Promise<Record<string, string>> {
  const tables = [
    'reports',
    'photos',
    'confirmations',
    'idempotency_keys',
    'categories',
    'settings',
    'teams',
    'users',
    'deployments',
    'report_history',
    'report_notes',
    'report_events',
    'api_keys',
  ];
  const digests: Record<string, string> = {};
  for (const table of tables) {
    const { rows } = await t.pool.query<{ digest: string }>(
      `SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS digest FROM ${table} x`,
    );
    digests[table] = rows[0]!.digest;
  }
  return digests;
}

it('changes no data on any GET, nor on a state change refused for its CSRF token', async () => {
  const gets = cases.filter((c) => c.method === 'get');
  const changes = cases.filter((c) => c.method !== 'get');
  // Whatever the requests need is made first, so only the requests themselves are measured.
  const prepared = new Map<AuthzCase, Prepared>();
  for (const c of cases) prepared.set(c, await c.setup());
  const before = await snapshot();
  for (const c of gets) {
    for (const who of WHO) expect((await send(c, who, 'own', prepared.get(c))).status).toBeLessThan(500);
  }
  for (const c of changes) {
    for (const csrf of ['none', 'wrong', 'other session'] as const) {
      expect((await send(c, c.allowed[0]!, csrf, prepared.get(c))).status).toBe(403);
    }
  }
  expect(await snapshot()).toEqual(before);
  // The digest does see a change: one allowed state change, and it differs.
  const team = cases.find((c) => c.route === 'POST /api/v1/teams')!;
  expect((await send(team, 'admin')).status).toBe(201);
  expect((await snapshot()).teams).not.toBe(before.teams);
});

describe('login cannot be forged from another site', () => {
  // A cross-site page can post a form (urlencoded, multipart, text/plain) but not JSON without a
  // CORS preflight, which this API never grants: so it cannot log a browser in to its own account.
  it.each([
    ['text/plain', (email: string) => JSON.stringify({ email, password: PASSWORD })],
    [
      'application/x-www-form-urlencoded',
      (email: string) => new URLSearchParams({ email, password: PASSWORD }).toString(),
    ],
  ])('refuses a %s login and sets no cookie', async (type, encode) => {
    const res = await request(t.app)
      .post('/api/v1/auth/login')
      .set('Content-Type', type)
      .set('Origin', 'https://evil.example')
      .send(encode(agents.admin.user.email));
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('grants no CORS preflight to the staff API', async () => {
    const res = await request(t.app)
      .options('/api/v1/auth/login')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type, x-csrf-token');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['access-control-allow-headers']).toBeUndefined();
  });
});
