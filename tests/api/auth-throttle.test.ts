// The login throttle counts an attempt before the password is checked, per account and
// client: an address, or a browser that account has logged in from before (its device cookie).
// Every request of supertest comes from 127.0.0.1, the address of "the shelter's NAT" here;
// other addresses come through a trusted proxy's X-Forwarded-For.
import crypto from 'node:crypto';
import request from 'supertest';
import { DEVICE_COOKIE, LOGIN_THROTTLE } from '../../server/features/auth/auth.service';
import { loginAs, makeStaff, PASSWORD } from './support/staff';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(120_000);

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ config: { trustProxy: true } });
});
afterAll(() => t.close());

const FREE = LOGIN_THROTTLE.freeAttempts;
const BURST = 15;

function attempt(email: string, password: string, opts: { from?: string; device?: string } = {}) {
  const req = request(t.app).post('/api/v1/auth/login');
  if (opts.from) req.set('X-Forwarded-For', opts.from);
  if (opts.device) req.set('Cookie', `${DEVICE_COOKIE}=${opts.device}`);
  return req.send({ email, password });
}

const wrong = () => `wrong ${crypto.randomUUID()}`;

/** BURST wrong passwords for one account, all at once; the statuses, sorted. */
async function burst(email: string, opts: { from?: string; device?: string } = {}): Promise<request.Response[]> {
  return Promise.all(Array.from({ length: BURST }, () => attempt(email, wrong(), opts)));
}

function expectOnlyFreeAttemptsChecked(answers: request.Response[]): void {
  const checked = answers.filter((r) => r.status === 401);
  const refused = answers.filter((r) => r.status === 429);
  expect(checked).toHaveLength(FREE);
  expect(refused).toHaveLength(BURST - FREE);
  for (const r of refused) {
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(r.body.errors[0].field).toBe('password');
    const wait = Number(r.headers['retry-after']);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(LOGIN_THROTTLE.firstWaitS);
  }
}

const deviceCookieOf = (res: request.Response) =>
  ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${DEVICE_COOKIE}=`));
const deviceTokenOf = (res: request.Response) =>
  deviceCookieOf(res)!
    .split(';')[0]!
    .slice(DEVICE_COOKIE.length + 1);

async function attemptsRow(email: string) {
  const { rows } = await t.pool.query<{ client: string; attempts: number }>(
    'SELECT client, attempts FROM login_attempts WHERE account = $1 ORDER BY client',
    [email.toLowerCase()],
  );
  return rows;
}

describe('parallel attempts', () => {
  it('checks only the free attempts of a burst; the rest, even the right password, wait', async () => {
    const user = await makeStaff(t, 'coordinator');
    expectOnlyFreeAttemptsChecked(await burst(user.email));
    expect(await attemptsRow(user.email)).toEqual([{ client: 'address:127.0.0.1', attempts: FREE }]);
    // Counted before the check: the right password is not even tried now.
    const right = await attempt(user.email, PASSWORD);
    expect(right.status).toBe(429);
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
    expect(await attemptsRow(user.email)).toEqual([{ client: 'address:127.0.0.1', attempts: FREE }]);
  });

  it('counts an unknown account the same way (no hint that it does not exist)', async () => {
    expectOnlyFreeAttemptsChecked(await burst(`nobody-${crypto.randomUUID()}@example.org`));
  });

  it('counts an email that lower-casing makes longer than an email may be', async () => {
    const email = `${'İ'.repeat(240)}@example.org`;
    expect(email.toLowerCase().length).toBeGreaterThan(254);
    const res = await attempt(email, wrong());
    expect(res.status).toBe(401);
    expect(await attemptsRow(email.toLowerCase().slice(0, 254))).toEqual([
      { client: 'address:127.0.0.1', attempts: 1 },
    ]);
  });

  it('lets another address in while one is throttled: an attacker elsewhere cannot lock the account', async () => {
    const user = await makeStaff(t, 'coordinator');
    expectOnlyFreeAttemptsChecked(await burst(user.email, { from: '203.0.113.50' }));
    expect((await attempt(user.email, PASSWORD, { from: '203.0.113.60' })).status).toBe(200);
    expect((await attempt(user.email, PASSWORD, { from: '203.0.113.50' })).status).toBe(429);
  });
});

describe('device cookies', () => {
  it('keeps the owner of a known browser in while an attacker behind the same address is throttled', async () => {
    const owner = await makeStaff(t, 'coordinator');
    const first = await attempt(owner.email, PASSWORD);
    expect(first.status).toBe(200);
    const cookie = deviceCookieOf(first)!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/api\/v1\/auth\/login/);
    expect(cookie).toMatch(new RegExp(`Max-Age=${90 * 24 * 3600}`));
    const device = deviceTokenOf(first);

    expectOnlyFreeAttemptsChecked(await burst(owner.email));
    expect((await attempt(owner.email, PASSWORD)).status).toBe(429);
    const again = await attempt(owner.email, PASSWORD, { device });
    expect(again.status).toBe(200);
    expect(deviceTokenOf(again)).toBe(device);
    // A made-up token is no key: it counts as the address.
    const forged = crypto.randomBytes(32).toString('base64url');
    expect((await attempt(owner.email, PASSWORD, { device: forged })).status).toBe(429);
  });

  it('throttles a known browser on a count of its own', async () => {
    const owner = await makeStaff(t, 'responder');
    const device = deviceTokenOf(await attempt(owner.email, PASSWORD));
    expectOnlyFreeAttemptsChecked(await burst(owner.email, { device }));
    expect((await attempt(owner.email, PASSWORD, { device })).status).toBe(429);
    const rows = await attemptsRow(owner.email);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.client).toMatch(/^device:[0-9a-f]{64}$/);
    // The address has a count of its own, untouched.
    expect((await attempt(owner.email, PASSWORD)).status).toBe(200);
  });

  it('serves several accounts on one shared browser, and replaces a token it never issued', async () => {
    const a = await makeStaff(t, 'coordinator');
    const b = await makeStaff(t, 'responder');
    const device = deviceTokenOf(await attempt(a.email, PASSWORD));
    const asB = await attempt(b.email, PASSWORD, { device });
    expect(asB.status).toBe(200);
    expect(deviceTokenOf(asB)).toBe(device);
    const { rows } = await t.pool.query<{ user_id: number }>(
      'SELECT user_id FROM login_devices WHERE token_hash = $1 ORDER BY user_id',
      [crypto.createHash('sha256').update(device).digest('hex')],
    );
    expect(rows.map((r) => Number(r.user_id))).toEqual([a.id, b.id].sort((x, y) => x - y));

    const planted = crypto.randomBytes(32).toString('base64url');
    const fresh = await attempt(a.email, PASSWORD, { device: planted });
    expect(fresh.status).toBe(200);
    expect(deviceTokenOf(fresh)).not.toBe(planted);
  });

  it('forgets the browsers of an account whose password an admin resets', async () => {
    const admin = await loginAs(t, 'admin');
    const user = await makeStaff(t, 'coordinator');
    const device = deviceTokenOf(await attempt(user.email, PASSWORD));
    const reset = await admin.agent
      .patch(`/api/v1/users/${user.id}`)
      .set('X-CSRF-Token', admin.csrf)
      .send({ password: 'violet lanterns under the old quay' });
    expect(reset.status).toBe(200);
    const { rows } = await t.pool.query('SELECT 1 FROM login_devices WHERE user_id = $1', [user.id]);
    expect(rows).toHaveLength(0);
    // The old token now counts as its address.
    expectOnlyFreeAttemptsChecked(await burst(user.email, { device }));
    expect((await attemptsRow(user.email)).map((r) => r.client)).toEqual(['address:127.0.0.1']);
  });
});

describe('what ends a count', () => {
  it('a correct password ends the count of its own account and client, no other', async () => {
    const user = await makeStaff(t, 'coordinator');
    for (let i = 0; i < FREE - 1; i++)
      expect((await attempt(user.email, wrong(), { from: '203.0.113.70' })).status).toBe(401);
    expectOnlyFreeAttemptsChecked(await burst(user.email, { from: '203.0.113.71' }));
    expect((await attempt(user.email, PASSWORD, { from: '203.0.113.70' })).status).toBe(200);
    expect((await attemptsRow(user.email)).map((r) => r.client)).toEqual(['address:203.0.113.71']);
    // The address that logged in starts again with every free attempt.
    expectOnlyFreeAttemptsChecked(await burst(user.email, { from: '203.0.113.70' }));
  });

  it('an hour without a checked attempt forgets the count', async () => {
    const user = await makeStaff(t, 'coordinator');
    expectOnlyFreeAttemptsChecked(await burst(user.email));
    await t.pool.query(`UPDATE login_attempts SET last_attempt = now() - interval '61 minutes' WHERE account = $1`, [
      user.email.toLowerCase(),
    ]);
    expect((await attempt(user.email, wrong())).status).toBe(401);
    expect(await attemptsRow(user.email)).toEqual([{ client: 'address:127.0.0.1', attempts: 1 }]);
    expect((await attempt(user.email, PASSWORD)).status).toBe(200);
    expect(await attemptsRow(user.email)).toEqual([]);
  });

  it('after the free attempts, one more is checked once its wait has passed, and the next waits twice as long', async () => {
    const user = await makeStaff(t, 'coordinator');
    expectOnlyFreeAttemptsChecked(await burst(user.email));
    const passWait = (s: number) =>
      t.pool.query(
        `UPDATE login_attempts SET last_attempt = last_attempt - make_interval(secs => $2) WHERE account = $1`,
        [user.email.toLowerCase(), s],
      );
    await passWait(LOGIN_THROTTLE.firstWaitS);
    expect((await attempt(user.email, wrong())).status).toBe(401);
    const refused = await attempt(user.email, wrong());
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(LOGIN_THROTTLE.firstWaitS);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(2 * LOGIN_THROTTLE.firstWaitS);
    await passWait(2 * LOGIN_THROTTLE.firstWaitS);
    expect((await attempt(user.email, PASSWORD)).status).toBe(200);
  });
});
