import crypto from 'node:crypto';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../server/app';
import { SESSION_COOKIE } from '../../server/features/auth/auth.service';
import { loginAs, makeStaff, PASSWORD } from './support/staff';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(60_000);

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const SAME_AS_TEST_APP = {
  publicUrl: undefined,
  tileUrl: 'http://127.0.0.1:9/{z}/{x}/{y}.png',
  tileAttribution: 'test',
  helpGridM: 500,
  trustProxy: false,
};

const sessionCookie = (res: request.Response) =>
  ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${SESSION_COOKIE}=`));

describe('login', () => {
  it('sets an httpOnly SameSite cookie and returns the user and a CSRF token', async () => {
    const user = await makeStaff(t, 'coordinator');
    const res = await request(t.app)
      .post('/api/v1/auth/login')
      .send({ email: user.email.toUpperCase(), password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: user.id, role: 'coordinator', email: user.email });
    expect(res.body.user).not.toHaveProperty('password_hash');
    expect(res.body.csrf_token).toMatch(/^[\w-]{40,}$/);
    const cookie = sessionCookie(res)!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const { rows } = await t.pool.query('SELECT password_hash FROM users WHERE id = $1', [user.id]);
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
  });

  it('gives a new session id at every login (no session fixation)', async () => {
    const user = await makeStaff(t, 'responder');
    const first = await request(t.app).post('/api/v1/auth/login').send({ email: user.email, password: PASSWORD });
    const second = await request(t.app)
      .post('/api/v1/auth/login')
      .set('Cookie', sessionCookie(first)!.split(';')[0]!)
      .send({ email: user.email, password: PASSWORD });
    expect(sessionCookie(second)!.split(';')[0]).not.toBe(sessionCookie(first)!.split(';')[0]);
  });

  it('refuses a wrong password and an unknown email alike', async () => {
    const user = await makeStaff(t, 'responder');
    const wrong = await request(t.app)
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: 'nope nope nope' });
    const unknown = await request(t.app)
      .post('/api/v1/auth/login')
      .send({ email: 'ghost@example.org', password: PASSWORD });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(sessionCookie(res)).toBeUndefined();
    }
    expect(wrong.body.detail).toBe(unknown.body.detail);
  });

  it('throttles one account from one client after five failures, without locking out others', async () => {
    const victim = await makeStaff(t, 'coordinator');
    const other = await makeStaff(t, 'coordinator');
    for (let i = 0; i < 6; i++) {
      await request(t.app)
        .post('/api/v1/auth/login')
        .send({ email: victim.email, password: `wrong password ${i}` });
    }
    const throttled = await request(t.app).post('/api/v1/auth/login').send({ email: victim.email, password: PASSWORD });
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    const fine = await request(t.app).post('/api/v1/auth/login').send({ email: other.email, password: PASSWORD });
    expect(fine.status).toBe(200);
  });
});

describe('sessions', () => {
  it('/me needs a session; logout needs the CSRF token and ends the session', async () => {
    expect((await request(t.app).get('/api/v1/auth/me')).status).toBe(401);
    const staff = await loginAs(t, 'coordinator');
    const me = await staff.agent.get('/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.csrf_token).toBe(staff.csrf);
    const noToken = await staff.agent.post('/api/v1/auth/logout');
    expect(noToken.status).toBe(403);
    expect(noToken.body.errors[0].field).toBe('X-CSRF-Token');
    expect((await staff.agent.post('/api/v1/auth/logout').set('X-CSRF-Token', staff.csrf)).status).toBe(204);
    expect((await staff.agent.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('never accepts an id planted before login: login issues a new one', async () => {
    const user = await makeStaff(t, 'coordinator');
    const planted = crypto.randomBytes(32).toString('base64url');
    const res = await request(t.app)
      .post('/api/v1/auth/login')
      .set('Cookie', `${SESSION_COOKIE}=${planted}`)
      .send({ email: user.email, password: PASSWORD });
    expect(res.status).toBe(200);
    const issued = sessionCookie(res)!.split(';')[0]!;
    expect(issued).not.toBe(`${SESSION_COOKIE}=${planted}`);
    expect((await request(t.app).get('/api/v1/auth/me').set('Cookie', `${SESSION_COOKIE}=${planted}`)).status).toBe(
      401,
    );
    expect((await request(t.app).get('/api/v1/auth/me').set('Cookie', issued)).body.user.id).toBe(user.id);
  });

  it('ends the live session a browser brings to login (an attacker’s own, planted on a victim)', async () => {
    const attacker = await loginAs(t, 'responder');
    const victim = await makeStaff(t, 'coordinator');
    const res = await request(t.app)
      .post('/api/v1/auth/login')
      .set('Cookie', attacker.cookie)
      .send({ email: victim.email, password: PASSWORD });
    expect(res.status).toBe(200);
    const issued = sessionCookie(res)!.split(';')[0]!;
    expect(issued).not.toBe(attacker.cookie);
    expect((await request(t.app).get('/api/v1/auth/me').set('Cookie', attacker.cookie)).status).toBe(401);
    expect((await request(t.app).get('/api/v1/auth/me').set('Cookie', issued)).body.user.id).toBe(victim.id);
  });

  it('logout ends the session on the server: the old cookie, replayed, gets 401', async () => {
    const staff = await loginAs(t, 'coordinator');
    expect((await request(t.app).get('/api/v1/auth/me').set('Cookie', staff.cookie)).status).toBe(200);
    const out = await request(t.app)
      .post('/api/v1/auth/logout')
      .set('Cookie', staff.cookie)
      .set('X-CSRF-Token', staff.csrf);
    expect(out.status).toBe(204);
    expect(sessionCookie(out)).toMatch(/Expires=Thu, 01 Jan 1970/);
    const replay = await request(t.app).get('/api/v1/auth/me').set('Cookie', staff.cookie);
    expect(replay.status).toBe(401);
    const { rows } = await t.pool.query('SELECT count(*)::int AS n FROM sessions WHERE user_id = $1', [staff.user.id]);
    expect(rows[0].n).toBe(0);
  });

  it('ends every session of a user an admin disables', async () => {
    const admin = await loginAs(t, 'admin');
    const victim = await loginAs(t, 'responder');
    const res = await admin.agent
      .patch(`/api/v1/users/${victim.user.id}`)
      .set('X-CSRF-Token', admin.csrf)
      .send({ disabled: true });
    expect(res.status).toBe(200);
    expect(res.body.disabled).toBe(true);
    expect((await victim.agent.get('/api/v1/auth/me')).status).toBe(401);
    const again = await request(t.app)
      .post('/api/v1/auth/login')
      .send({ email: victim.user.email, password: PASSWORD });
    expect(again.status).toBe(401);
  });
});

describe('session lifetime', () => {
  const sessionOf = async (cookie: string) => {
    const { rows } = await t.pool.query<{ created_at: Date; expires_at: Date }>(
      'SELECT created_at, expires_at FROM sessions WHERE id_hash = $1',
      [crypto.createHash('sha256').update(cookie.split('=')[1]!).digest('hex')],
    );
    return rows[0];
  };
  const HOUR = 3600 * 1000;

  it('gives the cookie the absolute lifetime (SESSION_MAX_HOURS, 24 by default); the server ends it sooner when idle', async () => {
    const user = await makeStaff(t, 'responder');
    const res = await request(t.app).post('/api/v1/auth/login').send({ email: user.email, password: PASSWORD });
    expect(sessionCookie(res)).toMatch(new RegExp(`Max-Age=${24 * 3600}(;|$)`));
    const session = (await sessionOf(sessionCookie(res)!.split(';')[0]!))!;
    expect(session.expires_at.getTime() - session.created_at.getTime()).toBe(12 * HOUR);
  });

  it('ends a session at its absolute lifetime, however busy it was', async () => {
    const staff = await loginAs(t, 'coordinator');
    await t.pool.query(
      `UPDATE sessions SET created_at = now() - interval '24 hours 1 minute', expires_at = now() + interval '11 hours'
        WHERE user_id = $1`,
      [staff.user.id],
    );
    expect((await staff.agent.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('extends an idle session with each use, but never beyond the absolute lifetime', async () => {
    const staff = await loginAs(t, 'coordinator');
    await t.pool.query(
      `UPDATE sessions SET created_at = now() - interval '20 hours', expires_at = now() + interval '1 minute'
        WHERE user_id = $1`,
      [staff.user.id],
    );
    expect((await staff.agent.get('/api/v1/auth/me')).status).toBe(200);
    const session = (await sessionOf(staff.cookie))!;
    expect(session.expires_at.getTime()).toBe(session.created_at.getTime() + 24 * HOUR);
  });

  it('does not find an expired session, and removes it at the next login', async () => {
    const staff = await loginAs(t, 'coordinator');
    await t.pool.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [
      staff.user.id,
    ]);
    expect((await staff.agent.get('/api/v1/auth/me')).status).toBe(401);
    expect(await sessionOf(staff.cookie)).toBeDefined();
    await loginAs(t, 'responder');
    expect(await sessionOf(staff.cookie)).toBeUndefined();
  });

  it('lets the shorter of the two limits win (SESSION_MAX_HOURS=2 under a 12-hour idle limit)', async () => {
    // The same database and schema, another configuration (a second test app would take the
    // embedded database's one session over).
    const app = createApp({
      config: { ...SAME_AS_TEST_APP, sessionTtlHours: 12, sessionMaxHours: 2 },
      pool: t.pool,
      events: t.events,
      databaseKind: process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded',
      storage: t.storage,
      logger: pino({ level: 'silent' }),
    });
    const user = await makeStaff(t, 'responder');
    const res = await request(app).post('/api/v1/auth/login').send({ email: user.email, password: PASSWORD });
    expect(sessionCookie(res)).toMatch(/Max-Age=7200(;|$)/);
    const { rows } = await t.pool.query<{ s: number }>(
      'SELECT extract(epoch FROM expires_at - created_at)::int AS s FROM sessions WHERE user_id = $1',
      [user.id],
    );
    expect(rows).toEqual([{ s: 7200 }]);
  });
});

describe('user administration', () => {
  it('lets an admin add users and reset passwords, refusing short passwords and duplicates', async () => {
    const admin = await loginAs(t, 'admin');
    const add = (body: object) => admin.agent.post('/api/v1/users').set('X-CSRF-Token', admin.csrf).send(body);
    const created = await add({
      email: 'new.person@example.org',
      name: 'New Person',
      role: 'responder',
      password: 'a long password 1',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: 'new.person@example.org', role: 'responder', disabled: false });
    expect(
      (await add({ email: 'new.person@example.org', role: 'responder', password: 'a long password 1' })).status,
    ).toBe(409);
    const short = await add({ email: 'x@example.org', role: 'responder', password: 'short' });
    expect(short.status).toBe(422);
    expect(short.body.errors[0].field).toBe('password');
    const reset = await admin.agent
      .patch(`/api/v1/users/${created.body.id}`)
      .set('X-CSRF-Token', admin.csrf)
      .send({ password: 'another long password' });
    expect(reset.status).toBe(200);
    const login = await request(t.app)
      .post('/api/v1/auth/login')
      .send({ email: 'new.person@example.org', password: 'another long password' });
    expect(login.status).toBe(200);
  });

  it('does not let an admin disable themselves', async () => {
    const admin = await loginAs(t, 'admin');
    const res = await admin.agent
      .patch(`/api/v1/users/${admin.user.id}`)
      .set('X-CSRF-Token', admin.csrf)
      .send({ disabled: true });
    expect(res.status).toBe(409);
  });
});
